import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { addEntityBody, addPersonBody, breakGlassBody, caseIdParams, createCaseBody, linkContactBody, listCasesQuery, noteBody, updateCaseBody } from '../../shared/api/cases.js';
import type { AppContext } from '../context.js';
import { actorOf, whoOf } from '../http/access.js';
import { sendError, sendResult } from '../http/errors.js';
import { recordRecent } from '../search/saved.service.js';
import { addEntity } from './entities.service.js';
import { addNote, addPerson, breakGlass, createCase, linkContact, listBreakGlass, listCases, readCase, updateCase } from './cases.service.js';

export async function caseRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['cases'];
  const readBack = async (request: Parameters<typeof whoOf>[0], id: string) => ({ case: await readCase(ctx, whoOf(request), id) });

  r.get('/api/cases', { config: { access: { permission: 'case.read' } }, schema: { tags, summary: 'Cases I may see (filters: status, assignee, exact phone or email)', querystring: listCasesQuery } }, async (request) => ({
    items: await listCases(ctx, whoOf(request), request.query),
  }));

  r.post('/api/cases', { config: { access: { permission: 'case.create' } }, schema: { tags, summary: 'Open a case (optionally from a contact)', body: createCaseBody } }, async (request, reply) => {
    const result = await createCase(ctx, whoOf(request), request.body);
    if (!result.ok) return sendResult(reply, result);
    return reply.status(201).send(await readBack(request, result.value.id));
  });

  r.get('/api/cases/:id', { config: { access: { permission: 'case.read' } }, schema: { tags, summary: 'One case with people, contacts and timeline (audited read)', params: caseIdParams } }, async (request, reply) => {
    const found = await readCase(ctx, whoOf(request), request.params.id);
    if (!found) return sendError(reply, 'not_found', 'No such case');
    await recordRecent(ctx, whoOf(request), 'case', found.id);
    return { case: found };
  });

  r.patch('/api/cases/:id', { config: { access: { permission: 'case.update' } }, schema: { tags, summary: 'Change a case (409 with the current case on a stale version)', params: caseIdParams, body: updateCaseBody } }, async (request, reply) => {
    const result = await updateCase(ctx, whoOf(request), request.params.id, request.body);
    return result.ok ? readBack(request, request.params.id) : sendResult(reply, result);
  });

  r.post('/api/cases/:id/contacts', { config: { access: { permission: 'case.update' } }, schema: { tags, summary: 'Link a contact to the case', params: caseIdParams, body: linkContactBody } }, async (request, reply) => {
    const result = await linkContact(ctx, whoOf(request), request.params.id, request.body.contactId);
    return result.ok ? readBack(request, request.params.id) : sendResult(reply, result);
  });

  r.post('/api/cases/:id/people', { config: { access: { permission: 'case.update' } }, schema: { tags, summary: 'Add a person with their role', params: caseIdParams, body: addPersonBody } }, async (request, reply) => {
    const result = await addPerson(ctx, whoOf(request), request.params.id, request.body);
    return result.ok ? reply.status(201).send(await readBack(request, request.params.id)) : sendResult(reply, result);
  });

  r.post('/api/cases/:id/entities', { config: { access: { permission: 'case.update' } }, schema: { tags, summary: 'Add an organisation (business, venue) or a place to the case (name and address encrypted, searchable)', params: caseIdParams, body: addEntityBody } }, async (request, reply) => {
    const result = await addEntity(ctx, whoOf(request), request.params.id, request.body);
    return result.ok ? reply.status(201).send(await readBack(request, request.params.id)) : sendResult(reply, result);
  });

  r.post('/api/cases/:id/notes', { config: { access: { permission: 'case.update' } }, schema: { tags, summary: 'Add a note to the timeline', params: caseIdParams, body: noteBody } }, async (request, reply) => {
    const result = await addNote(ctx, whoOf(request), request.params.id, request.body.body);
    return result.ok ? reply.status(201).send(await readBack(request, request.params.id)) : sendResult(reply, result);
  });

  r.post('/api/cases/:id/break-glass', { config: { access: { permission: 'case.break_glass' } }, schema: { tags, summary: 'Open a restricted case with a written reason (audited, shown to admins)', params: caseIdParams, body: breakGlassBody } }, async (request, reply) =>
    sendResult(reply, await breakGlass(ctx, whoOf(request), request.params.id, request.body.reason)),
  );

  r.get('/api/admin/break-glass', { config: { access: { permission: 'audit.read' } }, schema: { tags: ['admin'], summary: 'Every break-glass access to restricted cases' } }, async (request) => ({
    items: await listBreakGlass(ctx, actorOf(request).hotlineId),
  }));
}
