import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { emailAttachmentParams, emailMessagesResponse, emailReplyBody, emailReplyView } from '../../../shared/api/email.js';
import { contactIdParams } from '../../../shared/api/queue.js';
import { auditInsert } from '../../audit/audit.js';
import type { AppContext } from '../../context.js';
import { whoOf } from '../../http/access.js';
import { sendError, sendFailure } from '../../http/errors.js';
import { CONTACT_COLUMNS, type ActorContext } from '../../queue/queue.service.js';
import type { DroppedAttachment } from './email.tables.js';
import { EmailOutbox, queueEmailReply, readEmailReplies } from './email.outbound.js';

const tags = ['contacts'];

/** The contact, if the actor may read it; the read (and its purpose) is audited in the same statement. */
function visibleContact(ctx: AppContext, who: ActorContext, contactId: string, action: string, details?: Record<string, unknown>) {
  const { hotlineId } = who.actor;
  return ctx.db
    .with('audit', (qb) => auditInsert(qb, { hotlineId, actorId: who.actor.id, actorLabel: who.label, action, recordType: 'contact', recordId: contactId, ip: who.ip, details }))
    .selectFrom('contact as c')
    .select(['c.id', 'c.thread_id'])
    .where('c.hotline_id', '=', hotlineId)
    .where('c.id', '=', contactId)
    .where(who.can.sqlFilter('contact.read', CONTACT_COLUMNS))
    .executeTakeFirst();
}

/**
 * Email for the console: reply by email (sent through the relay after commit), the email details of a conversation
 * (senders, subjects, attachments, delivery states) and attachment downloads. The SMTP listener itself is started by
 * the server (src/server/main.ts), not here: it is a separate port.
 */
export async function emailRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const outbox = new EmailOutbox(ctx);
  outbox.start();
  app.addHook('onClose', async () => outbox.stop());

  r.post(
    '/api/contacts/:id/email-reply',
    {
      config: { access: { permission: 'contact.reply' } },
      schema: { tags, summary: 'Reply by email (stored encrypted, audited, sent through the SMTP relay after commit, threaded with In-Reply-To/References)', params: contactIdParams, body: emailReplyBody, response: { 202: z.object({ message: emailReplyView }) } },
    },
    async (request, reply) => {
      const who = whoOf(request);
      const result = await queueEmailReply(ctx, who, request.params.id, request.body.body, { to: request.body.to });
      if (!result.ok) return sendFailure(reply, result.error);
      outbox.kick(result.value.messageId);
      const [message] = await readEmailReplies(ctx, who.actor.hotlineId, { messageId: result.value.messageId });
      return reply.status(202).send({ message });
    },
  );

  r.get(
    '/api/contacts/:id/email-messages',
    { config: { access: { permission: 'contact.read' } }, schema: { tags, summary: 'Email details of a contact’s conversation: senders, subjects, attachments, delivery states (audited read)', params: contactIdParams, response: { 200: emailMessagesResponse } } },
    async (request, reply) => {
      const who = whoOf(request);
      const { hotlineId } = who.actor;
      const contact = await visibleContact(ctx, who, request.params.id, 'contact.read_email');
      if (!contact) return sendError(reply, 'not_found', 'No such contact');
      const rows = await ctx.db
        .selectFrom('email_message as e')
        .innerJoin('contact_message as m', 'm.id', 'e.message_id')
        .select(['e.message_id', 'm.contact_id', 'e.direction', 'e.address', 'e.subject', 'm.status', 'e.attempts', 'e.failure_reason', 'e.dropped_attachments', 'm.created_at'])
        .where('e.hotline_id', '=', hotlineId)
        .where('e.thread_id', '=', contact.thread_id)
        .orderBy('m.created_at')
        .limit(1000)
        .execute();
      const files = rows.length
        ? await ctx.db
            .selectFrom('attachment')
            .select(['id', 'message_id', 'filename', 'content_type', 'size', 'sha256'])
            .where('hotline_id', '=', hotlineId)
            .where('message_id', 'in', rows.map((row) => row.message_id))
            .orderBy('created_at')
            .execute()
        : [];
      const dec = (field: string, value: Buffer | null) => ctx.keys.decryptOptional(hotlineId, field, value);
      const items = await Promise.all(
        rows.map(async (row) => ({
          messageId: row.message_id,
          contactId: row.contact_id,
          direction: row.direction,
          address: await dec('email_message.address', row.address),
          subject: await dec('email_message.subject', row.subject),
          status: row.status,
          attempts: row.attempts,
          failureReason: row.failure_reason,
          createdAt: row.created_at.toISOString(),
          attachments: await Promise.all(
            files
              .filter((f) => f.message_id === row.message_id)
              .map(async (f) => ({ id: f.id, filename: await ctx.keys.decrypt(hotlineId, 'attachment.filename', f.filename), contentType: f.content_type, size: f.size, sha256: f.sha256 })),
          ),
          droppedAttachments: (row.dropped_attachments as DroppedAttachment[]).map((d) => ({ reason: d.reason, contentType: d.contentType, size: d.size })),
        })),
      );
      return { items };
    },
  );

  r.get(
    '/api/contacts/:id/email-attachments/:attachmentId',
    { config: { access: { permission: 'contact.read' } }, schema: { tags, summary: 'Download one attachment of an email contact (audited read)', params: emailAttachmentParams } },
    async (request, reply) => {
      const who = whoOf(request);
      const { hotlineId } = who.actor;
      const contact = await visibleContact(ctx, who, request.params.id, 'contact.read_attachment', { attachmentId: request.params.attachmentId });
      if (!contact) return sendError(reply, 'not_found', 'No such attachment');
      const file = await ctx.db
        .selectFrom('attachment as a')
        .innerJoin('contact_message as m', 'm.id', 'a.message_id')
        .select(['a.filename', 'a.content_type', 'a.data'])
        .where('a.hotline_id', '=', hotlineId)
        .where('a.id', '=', request.params.attachmentId)
        .where('m.thread_id', '=', contact.thread_id)
        .executeTakeFirst();
      if (!file) return sendError(reply, 'not_found', 'No such attachment');
      const [filename, data] = await Promise.all([ctx.keys.decrypt(hotlineId, 'attachment.filename', file.filename), ctx.keys.decryptBytes(hotlineId, 'attachment.data', file.data)]);
      // Always a download, never rendered in the console's origin; the type is the one detected from the bytes.
      const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
      return reply
        .header('content-type', file.content_type)
        .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'no-store')
        .send(data);
    },
  );
}
