import type { z } from 'zod';
import type { DbOrTx } from './db/db.js';

/**
 * Versioned per-hotline configuration (hotline_config): the newest published version of a kind, else the shipped
 * default. A stored version that no longer validates falls back to the default rather than breaking intake.
 */
export async function publishedConfig<T>(db: DbOrTx, hotlineId: string, kind: string, schema: z.ZodType<T>, fallback: T): Promise<{ data: T; version: number }> {
  const row = await db
    .selectFrom('hotline_config')
    .select(['data', 'version'])
    .where('hotline_id', '=', hotlineId)
    .where('kind', '=', kind)
    .where('published_at', 'is not', null)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return { data: fallback, version: 0 };
  const parsed = schema.safeParse(row.data);
  return parsed.success ? { data: parsed.data, version: row.version } : { data: fallback, version: 0 };
}

/** Saves a new version and publishes it at once (drafts come with the editors that need them). */
export async function publishConfig(db: DbOrTx, hotlineId: string, kind: string, data: unknown, userId: string | null) {
  const { max } = await db
    .selectFrom('hotline_config')
    .select((eb) => eb.fn.max('version').as('max'))
    .where('hotline_id', '=', hotlineId)
    .where('kind', '=', kind)
    .executeTakeFirstOrThrow();
  const version = Number(max ?? 0) + 1;
  await db.insertInto('hotline_config').values({ hotline_id: hotlineId, kind, version, data: JSON.stringify(data), published_at: new Date(), created_by: userId }).execute();
  return version;
}
