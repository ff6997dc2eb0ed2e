import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contactIdParams } from '../../shared/api/queue.js';
import { auditInsert } from '../audit/audit.js';
import type { AppContext } from '../context.js';
import { whoOf } from '../http/access.js';
import { sendError } from '../http/errors.js';
import { CONTACT_COLUMNS, type ActorContext } from '../queue/queue.service.js';

const attachmentParams = z.object({ id: z.string().uuid(), attachmentId: z.string().uuid() });

/**
 * The files of a contact's conversation (names decrypted, no bytes), oldest first, each with its download address.
 * Callers have checked and audited the read of the contact.
 */
export async function threadAttachments(ctx: AppContext, hotlineId: string, contactId: string, threadId: string) {
  const rows = await ctx.db
    .selectFrom('attachment as a')
    .innerJoin('contact_message as m', 'm.id', 'a.message_id')
    .select(['a.id', 'a.message_id', 'a.filename', 'a.content_type', 'a.size', 'a.sha256', 'a.created_at'])
    .where('a.hotline_id', '=', hotlineId)
    .where('m.thread_id', '=', threadId)
    .orderBy('a.created_at')
    .execute();
  return Promise.all(
    rows.map(async (a) => ({
      id: a.id, messageId: a.message_id, filename: await ctx.keys.decrypt(hotlineId, 'attachment.filename', a.filename), contentType: a.content_type, size: a.size, sha256: a.sha256,
      createdAt: a.created_at.toISOString(), url: `/api/contacts/${contactId}/attachments/${a.id}`,
    })),
  );
}

/** The contact if the actor may read it; the read is audited in the same statement (whether or not it is found). */
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
 * Files that came with a contact's conversation, whatever the channel (web tip uploads, email attachments): the list
 * and the download, for staff who may read the contact, each audited. Files are stored encrypted; the type shown is
 * the one detected from the bytes on arrival, and a download is never rendered in the console's origin.
 */
export async function attachmentRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['contacts'];

  r.get('/api/contacts/:id/attachments', { config: { access: { permission: 'contact.read' } }, schema: { tags, summary: 'Files received in a contact’s conversation (audited read)', params: contactIdParams } }, async (request, reply) => {
    const who = whoOf(request);
    const { hotlineId } = who.actor;
    const contact = await visibleContact(ctx, who, request.params.id, 'contact.list_attachments');
    if (!contact) return sendError(reply, 'not_found', 'No such contact');
    return { items: await threadAttachments(ctx, hotlineId, contact.id, contact.thread_id) };
  });

  r.get(
    '/api/contacts/:id/attachments/:attachmentId',
    { config: { access: { permission: 'contact.read' } }, schema: { tags, summary: 'Download one file of a contact’s conversation (audited read)', params: attachmentParams } },
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
