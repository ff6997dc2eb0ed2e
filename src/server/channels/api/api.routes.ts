import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  apiKeyIdParams, apiKeyView, createApiKeyBody, createApiKeyResponse, intakeApiHeaders, intakeContactBody, intakeContactParams, intakeContactResponse, intakeContactStatusResponse, type ApiKeyScope,
} from '../../../shared/api/intake-api.js';
import { auditInsert } from '../../audit/audit.js';
import type { AppContext } from '../../context.js';
import { actorOf, sessionOf } from '../../http/access.js';
import { sendError } from '../../http/errors.js';
import { recordInboundSignal } from '../../intake/intake.service.js';
import { ApiKeyCache, createApiKey, listApiKeys, revokeApiKey, type ActiveApiKey } from './api-keys.js';
import { isFreshTimestamp, signaturesEqual, signIntakeRequest } from './signing.js';
import { webhookRate } from '../webhook-rate.js';

const INTAKE_RATE = webhookRate();
const BODY_LIMIT = 256 * 1024;
const rawBodies = new WeakMap<FastifyRequest, string>();
const verifiedKeys = new WeakMap<FastifyRequest, ActiveApiKey>();

const header = (request: FastifyRequest, name: string) => {
  const v = request.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * Checks the HMAC signature of an intake API request before its body is validated: key id, timestamp within the
 * replay window, HMAC-SHA256 over method, path, timestamp and body hash, then the scope. Unknown key and wrong
 * signature answer the same 401.
 */
function requireSignature(keys: ApiKeyCache, scope: ApiKeyScope) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const keyId = header(request, 'x-catalyst-key') ?? '';
    const timestamp = header(request, 'x-catalyst-timestamp') ?? '';
    const signature = (header(request, 'x-catalyst-signature') ?? '').toLowerCase();
    if (!/^ck_[0-9a-f]{16}$/.test(keyId) || !/^[0-9a-f]{64}$/.test(signature)) return sendError(reply, 'invalid_credentials', 'Missing or malformed API key headers');
    if (!isFreshTimestamp(timestamp)) return sendError(reply, 'invalid_credentials', 'X-Catalyst-Timestamp is missing or more than 5 minutes from the server clock');
    const key = await keys.find(keyId);
    const expected = key ? signIntakeRequest(key.secret, request.method, request.url, timestamp, rawBodies.get(request) ?? '') : '0'.repeat(64);
    if (!key || !signaturesEqual(expected, signature)) return sendError(reply, 'invalid_credentials', 'Invalid API key or signature');
    if (!key.scopes.includes(scope)) return sendError(reply, 'forbidden', `This API key lacks the ${scope} scope`);
    verifiedKeys.set(request, key);
    await keys.touch(key);
  };
}

function keyOf(request: FastifyRequest) {
  const key = verifiedKeys.get(request);
  if (!key) throw new Error('keyOf called on a route without requireSignature');
  return key;
}

export async function apiRoutes(app: FastifyInstance, ctx: AppContext) {
  const keys = new ApiKeyCache(ctx);
  const r = app.withTypeProvider<ZodTypeProvider>();
  const admin = { access: { permission: 'apikey.manage' as const } };
  const tags = ['api-keys'];
  const by = (request: FastifyRequest) => ({ actorId: actorOf(request).id, actorLabel: sessionOf(request).user.email, ip: request.ip });

  r.get('/api/admin/api-keys', { config: admin, schema: { tags, summary: 'The hotline’s intake API keys (never their secrets)', response: { 200: z.object({ items: z.array(apiKeyView) }) } } }, async (request) => ({
    items: await listApiKeys(ctx, actorOf(request).hotlineId),
  }));

  r.post('/api/admin/api-keys', { config: admin, schema: { tags, summary: 'Create an intake API key (the secret is shown once)', body: createApiKeyBody, response: { 201: createApiKeyResponse } } }, async (request, reply) => {
    const created = await createApiKey(ctx, actorOf(request).hotlineId, request.body, by(request));
    return reply.status(201).header('cache-control', 'no-store').send(created);
  });

  r.post('/api/admin/api-keys/:id/revoke', { config: admin, schema: { tags, summary: 'Revoke an intake API key', params: apiKeyIdParams, response: { 200: z.object({ apiKey: apiKeyView }) } } }, async (request, reply) => {
    const revoked = await revokeApiKey(ctx, actorOf(request).hotlineId, request.params.id, by(request));
    if (!revoked) return sendError(reply, 'not_found', 'No such API key');
    keys.forget(revoked.keyId);
    return { apiKey: revoked };
  });

  // The intake API reads its JSON body as text first: the signature covers the exact bytes sent.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (request, body, done) => {
      rawBodies.set(request, body as string);
      if ((body as string).length === 0) return done(null, undefined);
      try {
        done(null, JSON.parse(body as string));
      } catch {
        const error = new Error('The body is not valid JSON') as Error & { statusCode: number };
        error.statusCode = 400;
        done(error, undefined);
      }
    });
    const s = scope.withTypeProvider<ZodTypeProvider>();
    const apiTags = ['intake-api'];

    s.post(
      '/api/intake/v1/contacts',
      {
        config: { access: { public: true }, rateLimit: INTAKE_RATE },
        preValidation: requireSignature(keys, 'intake:write'),
        schema: {
          tags: apiTags,
          summary: 'Record a signal from another system (PBX, partner app); HMAC-signed with an API key',
          description: 'Idempotent on externalId (per API key); without one, a replay of the same signed request returns the same contact. See docs/intake-voice-api.md.',
          headers: intakeApiHeaders,
          body: intakeContactBody,
          response: { 200: intakeContactResponse, 201: intakeContactResponse },
        },
      },
      async (request, reply) => {
        const key = keyOf(request);
        const b = request.body;
        // Namespaced by key, so two partner systems that use the same ids never swallow each other's signals.
        const externalId = b.externalId ? `api:${key.keyId}:${b.externalId}` : `api:${key.keyId}:sig:${header(request, 'x-catalyst-signature')!.toLowerCase()}`;
        const correspondent = b.correspondent?.phone ? { kind: 'phone' as const, value: b.correspondent.phone } : b.correspondent?.email ? { kind: 'email' as const, value: b.correspondent.email } : null;
        const recorded = await recordInboundSignal(ctx, {
          hotlineId: key.hotlineId,
          channel: b.channel,
          correspondent,
          externalId,
          body: b.body,
          subject: b.subject ?? null,
          language: b.language ?? null,
          requestType: b.requestType ?? null,
          flags: b.flags,
          source: `apikey:${key.keyId}`,
          ip: request.ip,
        });
        const contact = { id: recorded.contactId, reference: `C-${recorded.contactNumber}`, number: recorded.contactNumber, isNewContact: recorded.isNewContact, isDuplicate: recorded.isDuplicate };
        return reply.status(recorded.isDuplicate ? 200 : 201).send({ contact });
      },
    );

    s.get(
      '/api/intake/v1/contacts/:id',
      {
        config: { access: { public: true }, rateLimit: INTAKE_RATE },
        preValidation: requireSignature(keys, 'intake:read-own'),
        schema: { tags: apiTags, summary: 'The status of a contact this API key created (no content)', headers: intakeApiHeaders, params: intakeContactParams, response: { 200: intakeContactStatusResponse } },
      },
      async (request, reply) => {
        const key = keyOf(request);
        const prefix = `api:${key.keyId}:`;
        const row = await ctx.db
          .with('audit', (qb) => auditInsert(qb, { hotlineId: key.hotlineId, actorId: null, actorLabel: `apikey:${key.keyId}`, action: 'contact.read_status', recordType: 'contact', recordId: request.params.id, ip: request.ip }))
          .selectFrom('contact as c')
          .select(['c.id', 'c.number', 'c.status', 'c.received_at', 'c.answered_at', 'c.ended_at'])
          .where('c.hotline_id', '=', key.hotlineId)
          .where('c.id', '=', request.params.id)
          .where(({ exists, selectFrom }) =>
            exists(selectFrom('contact_message as m').select('m.id').whereRef('m.contact_id', '=', 'c.id').where('m.hotline_id', '=', key.hotlineId).where(sql<boolean>`left(m.external_id, ${prefix.length}) = ${prefix}`)),
          )
          .executeTakeFirst();
        if (!row) return sendError(reply, 'not_found', 'No such contact for this API key');
        return {
          contact: { id: row.id, reference: `C-${row.number}`, status: row.status, receivedAt: row.received_at.toISOString(), answeredAt: row.answered_at?.toISOString() ?? null, endedAt: row.ended_at?.toISOString() ?? null },
        };
      },
    );
  });
}
