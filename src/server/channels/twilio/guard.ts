import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { sendError } from '../../http/errors.js';
import type { AccessPointCache, ActiveAccessPoint } from '../access-points.js';
import { isValidTwilioRequest } from './signature.js';
import { webhookUrl } from './twilio.routes.js';

const verified = new WeakMap<FastifyRequest, ActiveAccessPoint>();

/**
 * A route-level preValidation hook for Twilio webhooks: finds the access point the request is for (by channel and
 * address, read from the raw form) and checks X-Twilio-Signature with its auth token — before the body is validated,
 * so an unsigned caller learns nothing from validation errors. Unknown number and wrong signature answer the same 403.
 */
export function twilioGuard(ctx: AppContext, cache: AccessPointCache, locate: (params: Record<string, unknown>) => { channel: string; address: string }) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const body = request.body;
    const params = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    const { channel, address } = locate(params);
    const signature = request.headers['x-twilio-signature'];
    const accessPoint = typeof address === 'string' && address.length > 0 && address.length <= 100 ? await cache.find(channel, address) : null;
    const stringParams = Object.values(params).every((v) => typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string')));
    if (!accessPoint?.secret || !stringParams || !isValidTwilioRequest(accessPoint.secret, Array.isArray(signature) ? signature[0] : signature, webhookUrl(ctx, request), params as Record<string, string | string[]>)) {
      return sendError(reply, 'forbidden', 'Invalid Twilio signature');
    }
    verified.set(request, accessPoint);
  };
}

/** The access point a guarded request was verified for. */
export function verifiedAccessPoint(request: FastifyRequest): ActiveAccessPoint {
  const accessPoint = verified.get(request);
  if (!accessPoint) throw new Error('verifiedAccessPoint called on a route without twilioGuard');
  return accessPoint;
}

/** The base URL Twilio reaches us at (for action and callback URLs in TwiML), derived like the signed URL. */
export function publicBase(ctx: AppContext, request: FastifyRequest) {
  const full = webhookUrl(ctx, request);
  return full.slice(0, full.length - request.url.length);
}
