import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { sendError } from '../../http/errors.js';
import { recordInboundSignal, type RecordedSignal } from '../../intake/intake.service.js';
import type { AccessPointCache, ActiveAccessPoint } from '../access-points.js';
import { autoReplyText } from '../hours.js';
import { queueAutoReply, type SmsOutbox } from '../outbound/sms-outbox.js';
import { mediaOf, queueMedia, type MediaFetcher } from './media.js';
import { isValidTwilioRequest } from './signature.js';
import { PROVIDER_WEBHOOK, webhookRate } from '../webhook-rate.js';

const TWIML_EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

const messagingParams = z.object({
  // SM: SMS and WhatsApp text, MM: a message with media (MMS, WhatsApp media).
  MessageSid: z.string().regex(/^(SM|MM)[0-9a-zA-Z]{32}$/),
  From: z.string().min(1).max(100),
  To: z.string().min(1).max(100),
  Body: z.string().max(10_000).default(''),
  NumMedia: z.string().optional(),
  // A location shared on WhatsApp: coordinates, and the place's name and address when the person picked one.
  Latitude: z.string().max(40).optional(),
  Longitude: z.string().max(40).optional(),
  Address: z.string().max(500).optional(),
  Label: z.string().max(500).optional(),
});

/**
 * The text kept for a message: its body, and a shared location written out under it (coordinates, place and address,
 * as sent), so it is stored encrypted with the message and read where the message is. Invalid coordinates are dropped.
 */
export function messageText(p: { Body: string; Latitude?: string; Longitude?: string; Address?: string; Label?: string }): string {
  const lat = Number(p.Latitude);
  const lon = Number(p.Longitude);
  if (p.Latitude === undefined || p.Longitude === undefined || !Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return p.Body;
  const place = [p.Label?.trim(), p.Address?.trim()].filter(Boolean).join(', ');
  const location = `📍 ${lat.toFixed(6)}, ${lon.toFixed(6)}${place ? ` — ${place}` : ''}`;
  return p.Body.trim() ? `${p.Body}\n${location}` : location;
}

/** The URL Twilio signed: the configured public URL when set (behind a proxy), else what this request says. */
export function webhookUrl(ctx: AppContext, request: FastifyRequest) {
  if (ctx.config.publicUrl) return ctx.config.publicUrl.replace(/\/$/, '') + request.url;
  return `${request.protocol}://${request.headers.host}${request.url}`;
}

/** Finds the access point a webhook is for and checks Twilio's signature with its auth token; 403 otherwise. */
async function authenticate(ctx: AppContext, cache: AccessPointCache, request: FastifyRequest, reply: FastifyReply, channel: string, to: string): Promise<ActiveAccessPoint | null> {
  const params = (request.body ?? {}) as Record<string, string>;
  const accessPoint = await cache.find(channel, to);
  const signature = request.headers['x-twilio-signature'];
  if (!accessPoint?.secret || !isValidTwilioRequest(accessPoint.secret, Array.isArray(signature) ? signature[0] : signature, webhookUrl(ctx, request), params)) {
    // The same answer whether the number is unknown or the signature wrong: nothing to learn by probing.
    sendError(reply, 'forbidden', 'Invalid Twilio signature');
    return null;
  }
  return accessPoint;
}

/** A new conversation's automatic text (opt-in, see `autoReplyText`), sent through the outbox at once. */
async function autoReply(ctx: AppContext, outbox: SmsOutbox, accessPoint: ActiveAccessPoint, recorded: RecordedSignal, ip: string) {
  const answer = await autoReplyText(ctx, accessPoint, 1600);
  if (!answer) return;
  const messageId = await queueAutoReply(ctx, accessPoint, recorded, answer.text, answer.kind, ip);
  if (messageId) outbox.kick(messageId);
}

export async function twilioRoutes(app: FastifyInstance, ctx: AppContext, cache: AccessPointCache, outbox: SmsOutbox, media: MediaFetcher) {
  const publicAccess = { access: { public: true as const }, rateLimit: webhookRate() };

  /** Inbound SMS and WhatsApp messages (one Twilio messaging webhook for both; WhatsApp addresses start with whatsapp:). */
  app.post('/api/webhooks/twilio/messaging', { ...PROVIDER_WEBHOOK, config: publicAccess, schema: { tags: ['webhooks'], summary: 'Twilio inbound SMS / WhatsApp webhook (form-encoded, signed)' } }, async (request, reply) => {
    const raw = (request.body ?? {}) as Record<string, unknown>;
    const channel = String(raw.From ?? '').startsWith('whatsapp:') ? 'whatsapp' : 'sms';
    const accessPoint = await authenticate(ctx, cache, request, reply, channel, String(raw.To ?? ''));
    if (!accessPoint) return reply;
    const parsed = messagingParams.safeParse(raw);
    if (!parsed.success) return sendError(reply, 'validation_failed', `${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}`);
    const p = parsed.data;
    const recorded = await recordInboundSignal(ctx, {
      hotlineId: accessPoint.hotlineId,
      channel,
      accessPointId: accessPoint.id,
      correspondent: { kind: 'phone', value: p.From.replace(/^whatsapp:/, '') },
      externalId: p.MessageSid,
      body: messageText(p),
      team: accessPoint.team,
      source: `twilio:${channel}`,
      ip: request.ip,
    });
    // Photos, voice notes, documents: their addresses are stored before the acknowledgement, the files fetched after.
    const files = mediaOf(raw);
    if (files.length > 0 && recorded.messageId) for (const id of await queueMedia(ctx, accessPoint, recorded.messageId, files)) media.kick(id);
    // A new conversation gets the line's greeting or after-hours text, if the admin wrote one (a retry never does).
    if (recorded.isNewContact && !recorded.isDuplicate) {
      await autoReply(ctx, outbox, accessPoint, recorded, request.ip).catch((error: { message?: string }) => ctx.log.error({ err: { message: error?.message } }, 'auto-reply not queued'));
    }
    // 200 with TwiML only now: the message is committed. Twilio retries anything else, and a retry is idempotent.
    return reply.type('text/xml').send(TWIML_EMPTY);
  });
}
