import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { whoOf } from '../http/access.js';
import { sendResult } from '../http/errors.js';
import {
  configKindSchema, createConfigDraft, discardConfigDraft, exportConfig, importConfig, listConfigVersions, publishConfigDraft, readConfigVersion,
  updateConfigDraft,
} from './config.service.js';

const kindParams = z.strictObject({ kind: configKindSchema });
const versionParams = z.strictObject({ kind: configKindSchema, version: z.coerce.number().int().min(0).max(1_000_000) });

/** The admin editor's API for versioned instruments and protocol sets (docs/assessment.md, "Editing"). */
export async function assessmentConfigRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['configuration'];
  const access = { permission: 'config.manage' } as const;

  r.get('/api/admin/config/:kind/versions', { config: { access }, schema: { tags, summary: 'Versions of the instrument or protocol set: drafts, published (who, when), the shipped default', params: kindParams } }, async (request) =>
    listConfigVersions(ctx, whoOf(request), request.params.kind),
  );

  r.get('/api/admin/config/:kind/versions/:version', { config: { access }, schema: { tags, summary: 'One version with its data', params: versionParams } }, async (request, reply) =>
    sendResult(reply, await readConfigVersion(ctx, whoOf(request), request.params.kind, request.params.version)),
  );

  r.get('/api/admin/config/:kind/versions/:version/export', { config: { access }, schema: { tags, summary: 'Download a version as stable JSON (audited)', params: versionParams } }, async (request, reply) => {
    const result = await exportConfig(ctx, whoOf(request), request.params.kind, request.params.version);
    if (!result.ok) return sendResult(reply, result);
    return reply.header('content-type', 'application/json; charset=utf-8').header('content-disposition', `attachment; filename="${result.value.filename}"`).send(result.value.json);
  });

  r.post('/api/admin/config/:kind/drafts', { config: { access }, schema: { tags, summary: 'Start a draft from any version (409 while another draft is open)', params: kindParams, body: z.strictObject({ from: z.int().min(0) }) } }, async (request, reply) =>
    sendResult(reply, await createConfigDraft(ctx, whoOf(request), request.params.kind, request.body.from), (value) => value, 201),
  );

  r.put(
    '/api/admin/config/:kind/drafts/:version',
    { config: { access }, schema: { tags, summary: 'Save a draft; refused with issues naming each bad item', params: versionParams, body: z.strictObject({ data: z.unknown(), ifUpdatedAt: z.iso.datetime().optional() }) } },
    async (request, reply) => sendResult(reply, await updateConfigDraft(ctx, whoOf(request), request.params.kind, request.params.version, request.body.data, request.body.ifUpdatedAt)),
  );

  r.delete('/api/admin/config/:kind/drafts/:version', { config: { access }, schema: { tags, summary: 'Discard a draft', params: versionParams } }, async (request, reply) =>
    sendResult(reply, await discardConfigDraft(ctx, whoOf(request), request.params.kind, request.params.version)),
  );

  r.post('/api/admin/config/:kind/drafts/:version/publish', { config: { access }, schema: { tags, summary: 'Publish a draft: new assessments use it, past results keep the version they name', params: versionParams } }, async (request, reply) =>
    sendResult(reply, await publishConfigDraft(ctx, whoOf(request), request.params.kind, request.params.version)),
  );

  r.post('/api/admin/config/:kind/import', { config: { access }, schema: { tags, summary: 'Import JSON as a new draft (validated first)', params: kindParams, body: z.strictObject({ json: z.string().min(1).max(900_000) }) } }, async (request, reply) =>
    sendResult(reply, await importConfig(ctx, whoOf(request), request.params.kind, request.body.json), (value) => value, 201),
  );
}
