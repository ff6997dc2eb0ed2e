import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { contactIdParams } from '../../../shared/api/queue.js';
import { callStatusParams, contactCallsResponse, incomingCallParams, queueResultParams, waitParams } from '../../../shared/api/voice.js';
import type { Locale } from '../../../shared/roles.js';
import { auditInsert } from '../../audit/audit.js';
import type { AppContext } from '../../context.js';
import { whoOf } from '../../http/access.js';
import { sendError } from '../../http/errors.js';
import { CONTACT_COLUMNS } from '../../queue/queue.service.js';
import type { AccessPointCache, ActiveAccessPoint } from '../access-points.js';
import { publicBase, twilioGuard, verifiedAccessPoint } from '../twilio/guard.js';
import { enqueue, hangup, pause, say, voiceResponse, type TwimlNode } from './twiml.js';
import { hotlineFacts, lineLanguages } from '../hours.js';
import { applyCallStatus, applyQueueResult, listCalls, outcomeOfQueueResult, recordIncomingCall } from './voice.service.js';
import { DEFAULT_AFTER_HOURS, DEFAULT_GREETINGS, DEFAULT_HOLD, DEFAULT_NOT_CONNECTED, sayLanguage } from './voice.text.js';
import { PROVIDER_WEBHOOK, webhookRate } from '../webhook-rate.js';


/** One <Say> per language the line speaks, in the configured text or the default. */
function sayAll(languages: Locale[], country: string, configured: Partial<Record<Locale, string>> | undefined, fallback: Record<Locale, string>): TwimlNode[] {
  return languages.map((lang) => say(configured?.[lang]?.trim() || fallback[lang], sayLanguage(lang, country)));
}

export async function voiceRoutes(app: FastifyInstance, ctx: AppContext, cache: AccessPointCache) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['webhooks'];
  const guard = twilioGuard(ctx, cache, (p) => ({ channel: 'phone', address: String(p.To ?? '') }));
  const publicAccess = { access: { public: true as const }, rateLimit: webhookRate() };
  const xml = (reply: import('fastify').FastifyReply, body: string) => reply.type('text/xml').send(body);

  r.post(
    '/api/webhooks/twilio/voice',
    { ...PROVIDER_WEBHOOK, config: publicAccess, preValidation: guard, schema: { tags, summary: 'Twilio incoming call webhook (signed): stores the call, greets, enqueues', body: incomingCallParams } },
    async (request, reply) => {
      const accessPoint = verifiedAccessPoint(request);
      const call = await recordIncomingCall(ctx, accessPoint, request.body, request.ip);
      const { settings } = accessPoint;
      const country = call.hotline.country;
      if (!call.isOpen) return xml(reply, voiceResponse([...sayAll(call.languages, country, settings.afterHoursMessage, DEFAULT_AFTER_HOURS), hangup()]));
      const base = publicBase(ctx, request);
      // Answered only now: the call is committed as a contact. The caller waits in the hotline's Twilio queue.
      return xml(
        reply,
        voiceResponse([
          ...sayAll(call.languages, country, settings.greetings, DEFAULT_GREETINGS),
          enqueue(`hotline-${call.hotline.slug}`, { action: `${base}/api/webhooks/twilio/voice/queue-result`, waitUrl: `${base}/api/webhooks/twilio/voice/wait` }),
        ]),
      );
    },
  );

  r.post(
    '/api/webhooks/twilio/voice/wait',
    { ...PROVIDER_WEBHOOK, config: publicAccess, preValidation: guard, schema: { tags, summary: 'Twilio Enqueue waitUrl (signed): what a caller hears while queued', body: waitParams } },
    async (request, reply) => {
      const accessPoint = verifiedAccessPoint(request);
      const hotline = await hotlineFacts(ctx, accessPoint.hotlineId);
      // Twilio requests this again whenever it has played to the end, so the message repeats with quiet between.
      return xml(reply, voiceResponse([...sayAll(lineLanguages(accessPoint, hotline), hotline.country, undefined, DEFAULT_HOLD), pause(20)]));
    },
  );

  r.post(
    '/api/webhooks/twilio/voice/queue-result',
    { ...PROVIDER_WEBHOOK, config: publicAccess, preValidation: guard, schema: { tags, summary: 'Twilio Enqueue action (signed): how the caller left the queue', body: queueResultParams } },
    async (request, reply) => {
      const accessPoint = verifiedAccessPoint(request);
      await applyQueueResult(ctx, accessPoint, request.body, request.ip);
      return xml(reply, await afterQueue(ctx, accessPoint, request.body.QueueResult));
    },
  );

  r.post(
    '/api/webhooks/twilio/voice/status',
    { ...PROVIDER_WEBHOOK, config: publicAccess, preValidation: guard, schema: { tags, summary: 'Twilio call status callback (signed): answer, duration, abandonment', body: callStatusParams } },
    async (request, reply) => {
      await applyCallStatus(ctx, verifiedAccessPoint(request), request.body, request.ip);
      return reply.status(204).send();
    },
  );

  r.get(
    '/api/contacts/:id/calls',
    { config: { access: { permission: 'contact.read' } }, schema: { tags: ['contacts'], summary: 'The phone calls of a contact: queue outcome, answer, duration, abandonment', params: contactIdParams, response: { 200: contactCallsResponse } } },
    async (request, reply) => {
      const who = whoOf(request);
      const { hotlineId } = who.actor;
      const visible = await ctx.db
        .with('audit', (qb) => auditInsert(qb, { hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'contact.read_calls', recordType: 'contact', recordId: request.params.id, ip: who.ip }))
        .selectFrom('contact as c')
        .select('c.id')
        .where('c.hotline_id', '=', hotlineId)
        .where('c.id', '=', request.params.id)
        .where(who.can.sqlFilter('contact.read', CONTACT_COLUMNS))
        .executeTakeFirst();
      if (!visible) return sendError(reply, 'not_found', 'No such contact');
      return { calls: await listCalls(ctx, hotlineId, request.params.id) };
    },
  );
}

async function afterQueue(ctx: AppContext, accessPoint: ActiveAccessPoint, result: string) {
  const outcome = outcomeOfQueueResult(result);
  if (outcome === 'answered') return voiceResponse([hangup()]);
  if (outcome === 'not_connected') {
    const hotline = await hotlineFacts(ctx, accessPoint.hotlineId);
    return voiceResponse([...sayAll(lineLanguages(accessPoint, hotline), hotline.country, undefined, DEFAULT_NOT_CONNECTED), hangup()]);
  }
  return voiceResponse([]);
}
