import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contactIdParams } from '../../../shared/api/queue.js';
import { messageStatusParams, messageStatusQuery, outboundMessageView, smsReplyBody } from '../../../shared/api/voice.js';
import { auditInsert } from '../../audit/audit.js';
import type { AppContext } from '../../context.js';
import { whoOf } from '../../http/access.js';
import { sendError, sendFailure } from '../../http/errors.js';
import { CONTACT_COLUMNS } from '../../queue/queue.service.js';
import type { AccessPointCache } from '../access-points.js';
import { twilioGuard, verifiedAccessPoint } from '../twilio/guard.js';
import { applyMessageStatus, queueSmsReply, readOutbound, SmsOutbox } from './sms-outbox.js';
import { webhookRate } from '../webhook-rate.js';

export async function outboundRoutes(app: FastifyInstance, ctx: AppContext, cache: AccessPointCache, outbox: SmsOutbox) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/contacts/:id/sms-reply',
    {
      config: { access: { permission: 'contact.reply' } },
      schema: { tags: ['contacts'], summary: 'Reply by SMS / WhatsApp (stored, audited, sent through Twilio after commit with retries)', params: contactIdParams, body: smsReplyBody, response: { 202: z.object({ message: outboundMessageView }) } },
    },
    async (request, reply) => {
      const who = whoOf(request);
      const result = await queueSmsReply(ctx, who, request.params.id, request.body.body);
      if (!result.ok) return sendFailure(reply, result.error);
      // Answer with the state at acceptance (queued), then wake the outbox: the send runs after the reply is read.
      const [message] = await readOutbound(ctx, who.actor.hotlineId, { messageId: result.value.messageId });
      outbox.kick(result.value.messageId);
      return reply.status(202).send({ message });
    },
  );

  r.get(
    '/api/contacts/:id/outbound-messages',
    { config: { access: { permission: 'contact.read' } }, schema: { tags: ['contacts'], summary: 'Delivery state of the replies sent on a contact (no content)', params: contactIdParams, response: { 200: z.object({ items: z.array(outboundMessageView) }) } } },
    async (request, reply) => {
      const who = whoOf(request);
      const { hotlineId } = who.actor;
      const visible = await ctx.db
        .with('audit', (qb) => auditInsert(qb, { hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'contact.read_outbound', recordType: 'contact', recordId: request.params.id, ip: who.ip }))
        .selectFrom('contact as c')
        .select('c.id')
        .where('c.hotline_id', '=', hotlineId)
        .where('c.id', '=', request.params.id)
        .where(who.can.sqlFilter('contact.read', CONTACT_COLUMNS))
        .executeTakeFirst();
      if (!visible) return sendError(reply, 'not_found', 'No such contact');
      return { items: await readOutbound(ctx, hotlineId, { contactId: request.params.id }) };
    },
  );

  const guard = twilioGuard(ctx, cache, (p) => {
    const from = String(p.From ?? '');
    return { channel: from.startsWith('whatsapp:') ? 'whatsapp' : 'sms', address: from };
  });
  r.post(
    '/api/webhooks/twilio/message-status',
    {
      config: { access: { public: true }, rateLimit: webhookRate() },
      preValidation: guard,
      schema: { tags: ['webhooks'], summary: 'Twilio message status callback (signed): delivered / failed for staff replies', body: messageStatusParams, querystring: messageStatusQuery },
    },
    async (request, reply) => {
      const accessPoint = verifiedAccessPoint(request);
      await applyMessageStatus(ctx, accessPoint.hotlineId, { messageId: request.query.m, sid: request.body.MessageSid }, request.body.MessageStatus, request.body.ErrorCode);
      return reply.status(204).send();
    },
  );
}
