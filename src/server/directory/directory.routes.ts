import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { hsdsHotlineParams, hsdsIdParams, hsdsListQuery } from '../../shared/directory/needs.js';
import type { AppContext } from '../context.js';
import { sendError } from '../http/errors.js';
import { hotlineIdForSlug, listPublishedOrganizations, listPublishedServices, readPublishedOrganization, readPublishedService } from './directory.service.js';

/** The HSDS 3.0 API version and profile this read API serves (the `/` endpoint of the HSDS OpenAPI). */
const HSDS_VERSION = '3.0';
const HSDS_PROFILE = 'https://openreferral.org/';
const HSDS_OPENAPI = 'https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json';

/**
 * The public, read-only HSDS read API for partners that consume directories: `/hsds/<hotline slug>/...`. Only
 * organizations the hotline has vetted (and their services) are published; partner staff contacts never are. The
 * data is public directory data, so any origin may read it (CORS `*`, no credentials); rate limited per client.
 */
export async function directoryRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const config = { access: { public: true as const }, rateLimit: { max: 300, timeWindow: '1 minute' } };
  const tags = ['hsds'];
  const open = (reply: FastifyReply) => reply.header('access-control-allow-origin', '*').header('cache-control', 'public, max-age=60');
  const hotlineOr404 = async (slug: string, reply: FastifyReply) => {
    const id = await hotlineIdForSlug(ctx.db, slug);
    if (!id) sendError(reply, 'not_found', 'No such directory');
    return id;
  };

  r.get('/hsds/:hotline', { config, schema: { tags, summary: 'HSDS API information (version, profile, OpenAPI)', params: hsdsHotlineParams } }, async (request, reply) => {
    if (!(await hotlineOr404(request.params.hotline, reply))) return reply;
    open(reply);
    return { version: HSDS_VERSION, profile: HSDS_PROFILE, openapi_url: HSDS_OPENAPI };
  });

  r.get('/hsds/:hotline/services', { config, schema: { tags, summary: 'Published services (HSDS page: total_items, total_pages, page_number, size, ..., contents)', params: hsdsHotlineParams, querystring: hsdsListQuery } }, async (request, reply) => {
    const hotlineId = await hotlineOr404(request.params.hotline, reply);
    if (!hotlineId) return reply;
    open(reply);
    return listPublishedServices(ctx.db, hotlineId, request.query);
  });

  r.get('/hsds/:hotline/services/:id', { config, schema: { tags, summary: 'One published service, fully nested (HSDS service)', params: hsdsIdParams } }, async (request, reply) => {
    const hotlineId = await hotlineOr404(request.params.hotline, reply);
    if (!hotlineId) return reply;
    const service = await readPublishedService(ctx.db, hotlineId, request.params.id);
    if (!service) return sendError(reply, 'not_found', 'No such service');
    open(reply);
    return service;
  });

  r.get('/hsds/:hotline/organizations', { config, schema: { tags, summary: 'Published organizations (HSDS page)', params: hsdsHotlineParams, querystring: hsdsListQuery } }, async (request, reply) => {
    const hotlineId = await hotlineOr404(request.params.hotline, reply);
    if (!hotlineId) return reply;
    open(reply);
    return listPublishedOrganizations(ctx.db, hotlineId, request.query);
  });

  r.get('/hsds/:hotline/organizations/:id', { config, schema: { tags, summary: 'One published organization with its phones, locations and services', params: hsdsIdParams } }, async (request, reply) => {
    const hotlineId = await hotlineOr404(request.params.hotline, reply);
    if (!hotlineId) return reply;
    const organization = await readPublishedOrganization(ctx.db, hotlineId, request.params.id);
    if (!organization) return sendError(reply, 'not_found', 'No such organization');
    open(reply);
    return organization;
  });
}
