import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { closeContactBody, contactIdParams, updateContactBody } from '../../shared/api/queue.js';
import type { AppContext } from '../context.js';
import { recordRecent } from '../search/saved.service.js';
import { whoOf } from '../http/access.js';
import { sendError, sendResult } from '../http/errors.js';
import { closeContact, readContact, updateContact } from './contacts.service.js';

export async function contactRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['contacts'];

  r.get('/api/contacts/:id', { config: { access: { permission: 'contact.read' } }, schema: { tags, summary: 'One contact with its conversation (audited read)', params: contactIdParams } }, async (request, reply) => {
    const contact = await readContact(ctx, whoOf(request), request.params.id);
    if (!contact) return sendError(reply, 'not_found', 'No such contact');
    await recordRecent(ctx, whoOf(request), 'contact', request.params.id);
    return { contact };
  });

  r.patch('/api/contacts/:id', { config: { access: { permission: 'contact.update' } }, schema: { tags, summary: 'Document a contact (409 with the current record on a stale version)', params: contactIdParams, body: updateContactBody } }, async (request, reply) =>
    sendResult(reply, await updateContact(ctx, whoOf(request), request.params.id, request.body), (contact) => ({ contact })),
  );

  r.post('/api/contacts/:id/close', { config: { access: { permission: 'contact.update' } }, schema: { tags, summary: 'Wrap up or close a contact', params: contactIdParams, body: closeContactBody } }, async (request, reply) =>
    sendResult(reply, await closeContact(ctx, whoOf(request), request.params.id, request.body.version, request.body.status), (contact) => ({ contact })),
  );
}
