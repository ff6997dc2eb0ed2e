import type { DbOrTx } from '../db/db.js';
import type { KeyStore } from '../crypto/keystore.js';
import { appendAudit } from '../audit/audit.js';

export interface NewHotline {
  slug: string;
  name: string;
  country: string;
  timezone: string;
  locales?: string[];
  defaultLocale?: string;
}

/** A hotline (tenant) is created with its own encryption keys and an audit chain that starts with its creation. */
export async function createHotline(tx: DbOrTx, keys: KeyStore, input: NewHotline, actorLabel = 'system') {
  const hotline = await tx
    .insertInto('hotline')
    .values({ slug: input.slug, name: input.name, country: input.country, timezone: input.timezone, locales: input.locales, default_locale: input.defaultLocale })
    .returning(['id', 'slug', 'name'])
    .executeTakeFirstOrThrow();
  await keys.createHotlineKeys(tx, hotline.id);
  await appendAudit(tx, { hotlineId: hotline.id, actorId: null, actorLabel, action: 'hotline.create', recordType: 'hotline', recordId: hotline.id, details: { slug: hotline.slug } });
  return hotline;
}

export async function findHotlineBySlug(db: DbOrTx, slug: string) {
  return db.selectFrom('hotline').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function listHotlines(db: DbOrTx) {
  return db.selectFrom('hotline').select(['id', 'slug', 'name', 'country']).orderBy('slug').execute();
}
