import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import type { AccessPointCache } from '../access-points.js';
import { apiRoutes } from '../api/api.routes.js';
import { outboundRoutes } from '../outbound/outbound.routes.js';
import type { SmsOutbox } from '../outbound/sms-outbox.js';
import { voiceRoutes } from './voice.routes.js';

/** Issue 3: Twilio voice, outbound SMS replies, and the signed intake API for other systems. */
export async function voiceAndApiRoutes(app: FastifyInstance, ctx: AppContext, accessPoints: AccessPointCache, outbox: SmsOutbox) {
  await voiceRoutes(app, ctx, accessPoints);
  await outboundRoutes(app, ctx, accessPoints, outbox);
  await apiRoutes(app, ctx);
}
