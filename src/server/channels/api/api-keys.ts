import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { createApiKeyBody } from '../../../shared/api/intake-api.js';
import { appendAudit } from '../../audit/audit.js';
import type { AppContext } from '../../context.js';

const SECRET_FIELD = 'api_key.secret';
const CACHE_MS = 5_000;

export interface ActiveApiKey {
  id: string;
  keyId: string;
  hotlineId: string;
  scopes: string[];
  secret: string;
}

type ApiKeyRow = { id: string; key_id: string; name: string; scopes: string[]; created_at: Date; last_used_at: Date | null; revoked_at: Date | null };

export function presentApiKey(row: ApiKeyRow) {
  return { id: row.id, keyId: row.key_id, name: row.name, scopes: row.scopes, createdAt: row.created_at.toISOString(), lastUsedAt: row.last_used_at?.toISOString() ?? null, revokedAt: row.revoked_at?.toISOString() ?? null };
}

const COLUMNS = ['id', 'key_id', 'name', 'scopes', 'created_at', 'last_used_at', 'revoked_at'] as const;
type Who = { actorId: string; actorLabel: string; ip: string | null };

/** A new key: the secret is random, stored encrypted (it must be read back to check HMACs) and returned only now. */
export async function createApiKey(ctx: AppContext, hotlineId: string, input: z.infer<typeof createApiKeyBody>, who: Who) {
  const keyId = `ck_${randomBytes(8).toString('hex')}`;
  const secret = `cks_${randomBytes(32).toString('base64url')}`;
  const sealed = await ctx.keys.encrypt(hotlineId, SECRET_FIELD, secret);
  const row = await ctx.db.transaction().execute(async (tx) => {
    const created = await tx.insertInto('api_key').values({ hotline_id: hotlineId, key_id: keyId, name: input.name, scopes: input.scopes, secret: sealed, created_by: who.actorId }).returning(COLUMNS).executeTakeFirstOrThrow();
    await appendAudit(tx, { hotlineId, ...who, action: 'apikey.create', recordType: 'api_key', recordId: created.id, details: { keyId, scopes: input.scopes } });
    return created;
  });
  return { apiKey: presentApiKey(row), secret };
}

export async function listApiKeys(ctx: AppContext, hotlineId: string) {
  const rows = await ctx.db.selectFrom('api_key').select(COLUMNS).where('hotline_id', '=', hotlineId).orderBy('created_at', 'desc').execute();
  return rows.map(presentApiKey);
}

/** Revokes a key (idempotent; audited once). Other servers stop accepting it within their cache time (5 s). */
export async function revokeApiKey(ctx: AppContext, hotlineId: string, id: string, who: Who) {
  return ctx.db.transaction().execute(async (tx) => {
    const revoked = await tx.updateTable('api_key').set({ revoked_at: new Date() }).where('hotline_id', '=', hotlineId).where('id', '=', id).where('revoked_at', 'is', null).returning(COLUMNS).executeTakeFirst();
    if (revoked) {
      await appendAudit(tx, { hotlineId, ...who, action: 'apikey.revoke', recordType: 'api_key', recordId: id, details: { keyId: revoked.key_id } });
      return presentApiKey(revoked);
    }
    const existing = await tx.selectFrom('api_key').select(COLUMNS).where('hotline_id', '=', hotlineId).where('id', '=', id).executeTakeFirst();
    return existing ? presentApiKey(existing) : null;
  });
}

/** Signed requests look their key up every time: a few seconds of cache spares the database and the decryption. */
export class ApiKeyCache {
  private entries = new Map<string, { value: ActiveApiKey | null; at: number }>();
  private touched = new Map<string, number>();
  constructor(private ctx: AppContext) {}

  async find(keyId: string): Promise<ActiveApiKey | null> {
    const hit = this.entries.get(keyId);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.value;
    const row = await this.ctx.db.selectFrom('api_key').select(['id', 'key_id', 'hotline_id', 'scopes', 'secret']).where('key_id', '=', keyId).where('revoked_at', 'is', null).executeTakeFirst();
    const value = row ? { id: row.id, keyId: row.key_id, hotlineId: row.hotline_id, scopes: row.scopes, secret: await this.ctx.keys.decrypt(row.hotline_id, SECRET_FIELD, row.secret) } : null;
    if (this.entries.size > 10_000) this.entries.clear(); // unknown key ids are cached too; keep the map bounded
    this.entries.set(keyId, { value, at: Date.now() });
    return value;
  }

  /** Records use at most once a minute per key per server. */
  async touch(key: ActiveApiKey) {
    const last = this.touched.get(key.id) ?? 0;
    if (Date.now() - last < 60_000) return;
    this.touched.set(key.id, Date.now());
    await this.ctx.db.updateTable('api_key').set({ last_used_at: new Date() }).where('id', '=', key.id).execute();
  }

  forget(keyId: string) {
    this.entries.delete(keyId);
  }
}
