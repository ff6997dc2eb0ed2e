import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { savedSearchBody, savedSearchParams, searchQuery, suggestionsBody, suggestionsParams } from '../../shared/api/search.js';
import type { AppContext } from '../context.js';
import { whoOf } from '../http/access.js';
import { sendResult } from '../http/errors.js';
import { deleteSavedSearch, listRecent, listSavedSearches, saveSearch } from './saved.service.js';
import { search } from './search.service.js';
import { suggestForContact } from './suggestions.service.js';

export async function searchRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['search'];
  // Searching is part of working cases: whoever may read cases may search; each result is still checked against the
  // case and contact rules in SQL, so a search shows nothing a direct read would refuse.
  const access = { access: { permission: 'case.read' as const } };

  // QA reviewers may read (normal) contacts but not cases: they search contacts only (docs/cases.md, Search).
  const searchAccess = { access: { anyPermission: ['case.read', 'contact.read'] as const } };

  r.get('/api/search', { config: searchAccess, schema: { tags, summary: 'One box across cases, people, contacts, organisations and places (names survive typos; phones and emails exact; text in en/es/fr). Audited.', querystring: searchQuery } }, async (request) =>
    search(ctx, whoOf(request), request.query),
  );
  r.get('/api/search/saved', { config: searchAccess, schema: { tags, summary: 'My saved searches' } }, async (request) => ({ items: await listSavedSearches(ctx, whoOf(request)) }));
  r.post('/api/search/saved', { config: searchAccess, schema: { tags, summary: 'Save a search (name and parameters stored encrypted)', body: savedSearchBody } }, async (request, reply) =>
    sendResult(reply, await saveSearch(ctx, whoOf(request), request.body), (v) => v, 201),
  );
  r.delete('/api/search/saved/:id', { config: searchAccess, schema: { tags, summary: 'Delete one of my saved searches', params: savedSearchParams } }, async (request, reply) =>
    sendResult(reply, await deleteSavedSearch(ctx, whoOf(request), request.params.id), () => ({ deleted: true })),
  );
  r.get('/api/search/recent', { config: access, schema: { tags, summary: 'Cases and contacts I opened lately and may still read' } }, async (request) => ({ items: await listRecent(ctx, whoOf(request)) }));

  r.post('/api/contacts/:id/suggestions', { config: { access: { permission: 'contact.read' } }, schema: { tags, summary: 'People, cases and contacts that may be the same situation, with reasons (audited)', params: suggestionsParams, body: suggestionsBody } }, async (request, reply) =>
    sendResult(reply, await suggestForContact(ctx, whoOf(request), request.params.id, request.body)),
  );
}
