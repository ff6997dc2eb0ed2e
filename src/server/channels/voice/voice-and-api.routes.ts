import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import type { AccessPointCache } from '../access-points.js';
import { apiRoutes } from '../api/api.routes.js';
import { outboundRoutes } from '../outbound/outbound.routes.js';
import { voiceRoutes } from './voice.routes.js';

/** Issue 3: Twilio voice, outbound SMS replies, and the signed intake API for other systems. */
export async function voiceAndApiRoutes(app: FastifyInstance, ctx: AppContext, accessPoints: AccessPointCache) {
  await voiceRoutes(app, ctx, accessPoints);
  await outboundRoutes(app, ctx, accessPoints);
  await apiRoutes(app, ctx);
}
