import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accessPointSettings, createAccessPointBody, updateAccessPointBody } from '../../shared/api/channels.js';
import { appendAudit } from '../audit/audit.js';
import type { AppContext } from '../context.js';
import type { DbOrTx } from '../db/db.js';
import { actorOf, sessionOf } from '../http/access.js';
import { sendError } from '../http/errors.js';
import { normalisePhone } from '../crypto/envelope.js';

const SECRET_FIELD = 'access_point.secret';

/** Phone-like addresses are stored in one normal form so a webhook's `To` finds its access point. */
export function normaliseAddress(channel: string, address: string) {
  const bare = address.replace(/^whatsapp:/i, '').trim();
  return ['phone', 'sms', 'whatsapp'].includes(channel) ? normalisePhone(bare) : bare.toLowerCase();
}

export interface ActiveAccessPoint {
  id: string;
  hotlineId: string;
  channel: string;
  team: string | null;
  settings: z.infer<typeof accessPointSettings>;
  secret: string | null;
}

const CACHE_MS = 5_000;

/**
 * Webhooks look their access point up on every delivery: a few seconds of cache spares the database.
 *
 * At 1,000 webhooks/s an expired entry used to send every request that arrived during the refresh to the database
 * with its own query (a stampede every 5 s, queued behind the intake batches for pool connections: the slowest 1 % of
 * webhooks). Now one look-up per key is in flight at a time, and an expired entry is served while it is refreshed in
 * the background; a change made on this server (`clear()`) is seen at once, and one made on another within the
 * cache time plus one look-up, as before.
 */
export class AccessPointCache {
  private entries = new Map<string, { value: ActiveAccessPoint | null; at: number }>();
  private inFlight = new Map<string, Promise<ActiveAccessPoint | null>>();
  private generation = 0;
  constructor(private ctx: AppContext, private cacheMs = CACHE_MS) {}

  async find(channel: string, address: string): Promise<ActiveAccessPoint | null> {
    const normalised = normaliseAddress(channel, address);
    const key = `${channel}|${normalised}`;
    const hit = this.entries.get(key);
    if (hit && Date.now() - hit.at < this.cacheMs) return hit.value;
    const refresh = this.inFlight.get(key) ?? this.load(key, channel, normalised);
    // Stale while revalidating: the previous answer is as good as it was a moment ago.
    return hit ? hit.value : refresh;
  }

  private load(key: string, channel: string, normalised: string): Promise<ActiveAccessPoint | null> {
    const generation = this.generation;
    const promise = (async () => {
      const row = await this.ctx.db
        .selectFrom('access_point')
        .selectAll()
        .where('channel', '=', channel)
        .where((eb) => eb(eb.fn('lower', ['address']), '=', normalised))
        .where('is_active', '=', true)
        .executeTakeFirst();
      const value = row
        ? { id: row.id, hotlineId: row.hotline_id, channel: row.channel, team: row.team, settings: row.settings as ActiveAccessPoint['settings'], secret: await this.ctx.keys.decryptOptional(row.hotline_id, SECRET_FIELD, row.secret) }
        : null;
      // A look-up that started before clear() may have read the old row: it answers its callers but is not kept.
      if (generation === this.generation) this.entries.set(key, { value, at: Date.now() });
      return value;
    })().finally(() => {
      if (this.inFlight.get(key) === promise) this.inFlight.delete(key);
    });
    this.inFlight.set(key, promise);
    // A background refresh that fails leaves the stale entry in place; the next request tries again.
    promise.catch(() => undefined);
    return promise;
  }

  clear() {
    this.generation++;
    this.entries.clear();
    this.inFlight.clear();
  }
}

function present(row: { id: string; channel: string; name: string; address: string; team: string | null; is_active: boolean; settings: unknown; secret_hint: string | null; version: number; updated_at: Date }) {
  return {
    id: row.id, channel: row.channel, name: row.name, address: row.address, team: row.team, isActive: row.is_active,
    settings: row.settings, secretHint: row.secret_hint, version: row.version, updatedAt: row.updated_at.toISOString(),
  };
}

/** Only the last four characters of a stored secret are ever shown again. */
const hintOf = (secret: string) => `…${secret.slice(-4)}`;

export async function createAccessPoint(db: DbOrTx, ctx: AppContext, hotlineId: string, input: z.infer<typeof createAccessPointBody>) {
  return db
    .insertInto('access_point')
    .values({
      hotline_id: hotlineId, channel: input.channel, name: input.name, address: normaliseAddress(input.channel, input.address), team: input.team ?? null,
      settings: JSON.stringify(input.settings), secret: await ctx.keys.encryptOptional(hotlineId, SECRET_FIELD, input.secret), secret_hint: input.secret ? hintOf(input.secret) : null,
      updated_at: new Date(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function accessPointRoutes(app: FastifyInstance, ctx: AppContext, cache: AccessPointCache) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const by = (request: FastifyRequest) => ({ actorId: actorOf(request).id, actorLabel: sessionOf(request).user.email, ip: request.ip });
  const tags = ['channels'];

  r.get('/api/admin/access-points', { config: { access: { permission: 'channel.manage' } }, schema: { tags, summary: 'The hotline’s access points (phone numbers, chat, email, web form)' } }, async (request) => {
    const rows = await ctx.db.selectFrom('access_point').selectAll().where('hotline_id', '=', actorOf(request).hotlineId).orderBy('channel').orderBy('name').execute();
    return { items: rows.map(present) };
  });

  r.post('/api/admin/access-points', { config: { access: { permission: 'channel.manage' } }, schema: { tags, summary: 'Add an access point', body: createAccessPointBody } }, async (request, reply) => {
    const hotlineId = actorOf(request).hotlineId;
    try {
      const row = await ctx.db.transaction().execute(async (tx) => {
        const created = await createAccessPoint(tx, ctx, hotlineId, request.body);
        await appendAudit(tx, { hotlineId, ...by(request), action: 'channel.create', recordType: 'access_point', recordId: created.id, details: { channel: created.channel, secretSet: !!request.body.secret } });
        return created;
      });
      cache.clear();
      return reply.status(201).send({ accessPoint: present(row) });
    } catch (error) {
      if ((error as { code?: string }).code === '23505') return sendError(reply, 'conflict', 'Another active access point already uses this address on this channel');
      throw error;
    }
  });

  r.patch(
    '/api/admin/access-points/:id',
    { config: { access: { permission: 'channel.manage' } }, schema: { tags, summary: 'Change an access point', params: z.object({ id: z.string().uuid() }), body: updateAccessPointBody } },
    async (request, reply) => {
      const hotlineId = actorOf(request).hotlineId;
      const body = request.body;
      const secret = body.secret ? await ctx.keys.encrypt(hotlineId, SECRET_FIELD, body.secret) : undefined;
      const row = await ctx.db.transaction().execute(async (tx) => {
        const updated = await tx
          .updateTable('access_point')
          .set((eb) => ({
            ...(body.name !== undefined && { name: body.name }),
            ...(body.team !== undefined && { team: body.team }),
            ...(body.settings !== undefined && { settings: JSON.stringify(body.settings) }),
            ...(body.isActive !== undefined && { is_active: body.isActive }),
            ...(secret && { secret, secret_hint: hintOf(body.secret!) }),
            updated_at: new Date(),
            version: eb('version', '+', 1),
          }))
          .where('hotline_id', '=', hotlineId)
          .where('id', '=', request.params.id)
          .where('version', '=', body.version)
          .returningAll()
          .executeTakeFirst();
        if (updated) await appendAudit(tx, { hotlineId, ...by(request), action: 'channel.update', recordType: 'access_point', recordId: updated.id, details: { fields: Object.keys(body).filter((k) => k !== 'version' && k !== 'secret'), secretChanged: !!secret } });
        return updated;
      });
      if (!row) {
        const exists = await ctx.db.selectFrom('access_point').select('version').where('hotline_id', '=', hotlineId).where('id', '=', request.params.id).executeTakeFirst();
        return exists ? sendError(reply, 'stale_version', 'Someone else changed this access point; reload it') : sendError(reply, 'not_found', 'No such access point');
      }
      cache.clear();
      return { accessPoint: present(row) };
    },
  );
}
