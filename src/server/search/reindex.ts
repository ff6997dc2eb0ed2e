import { sql } from 'kysely';
import type { AppContext } from '../context.js';
import './search.tables.js';
import { hashAll, nameTokens, stemTexts, tokenHasher, type NameParts, type TokenHasher } from './tokens.js';
import { placeTokens } from './entities.index.js';
import { contactFormText } from './search.index.js';

/** What a re-index walks through, in order. */
export const REINDEX_SOURCES = ['person', 'case', 'case_note', 'contact', 'case_entity'] as const;
export type ReindexSource = (typeof REINDEX_SOURCES)[number];

export interface ReindexProgress {
  source: ReindexSource;
  done: number;
  total: number;
}

const BATCH = 500;

type DocRow = { record_type: string; record_id: string; hotline_id: string; case_id: string | null; name_tokens: number[]; text_tokens: number[]; indexed_at: Date };

async function writeDocs(ctx: AppContext, rows: DocRow[]) {
  if (rows.length === 0) return;
  await ctx.db
    .insertInto('search_doc')
    .values(rows as never)
    .onConflict((oc) => oc.columns(['record_type', 'record_id']).doUpdateSet({ name_tokens: sql`excluded.name_tokens`, text_tokens: sql`excluded.text_tokens`, case_id: sql`excluded.case_id`, indexed_at: sql`excluded.indexed_at` }))
    .execute();
}

/** Stems of many texts in one round trip, then their keyed hashes. */
async function textTokensOfMany(ctx: AppContext, hash: TokenHasher, texts: string[]): Promise<number[][]> {
  const stems = await stemTexts(ctx.db, texts.map((t) => t || ''));
  return stems.map((s) => hashAll(hash, s.map((x) => `t:${x}`)));
}

/**
 * Rebuilds a hotline's search index from its records: after a change to how tokens are made (a new transliteration,
 * a new token kind), a new index key, or a restore. Every document is rewritten from the decrypted record, in batches,
 * so searches keep working (on the older tokens) while it runs; documents whose record is gone are removed. Contacts
 * keep their own updated_at as the indexed version, so the catch-up pass does not redo them.
 */
export async function reindexHotline(ctx: AppContext, hotlineId: string, onProgress?: (p: ReindexProgress) => void): Promise<Record<ReindexSource | 'removed', number>> {
  const hash = await tokenHasher(ctx, hotlineId);
  const formText = await contactFormText(ctx, ctx.db, hotlineId);
  const counts: Record<ReindexSource | 'removed', number> = { person: 0, case: 0, case_note: 0, contact: 0, case_entity: 0, removed: 0 };
  const totals = {
    person: ctx.db.selectFrom('person').where('hotline_id', '=', hotlineId),
    case: ctx.db.selectFrom('hotline_case').where('hotline_id', '=', hotlineId),
    case_note: ctx.db.selectFrom('case_event').where('hotline_id', '=', hotlineId).where('kind', '=', 'note'),
    contact: ctx.db.selectFrom('contact').where('hotline_id', '=', hotlineId),
    case_entity: ctx.db.selectFrom('case_entity').where('hotline_id', '=', hotlineId),
  };

  for (const source of REINDEX_SOURCES) {
    const { n } = await (totals[source] as typeof totals.person).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const total = Number(n);
    onProgress?.({ source, done: 0, total });
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const now = new Date();
      let rows: DocRow[] = [];
      let last: string | undefined;
      if (source === 'person') {
        const batch = await ctx.db.selectFrom('person').select(['id', 'details']).where('hotline_id', '=', hotlineId).where('id', '>', after).orderBy('id').limit(BATCH).execute();
        last = batch.at(-1)?.id;
        rows = await Promise.all(
          batch.map(async (p) => {
            const details = JSON.parse(await ctx.keys.decrypt(hotlineId, 'person.details', p.details)) as NameParts;
            return { record_type: 'person', record_id: p.id, hotline_id: hotlineId, case_id: null, name_tokens: nameTokens(hash, details), text_tokens: [], indexed_at: now };
          }),
        );
      } else if (source === 'case') {
        const batch = await ctx.db.selectFrom('hotline_case').select(['id', 'title']).where('hotline_id', '=', hotlineId).where('id', '>', after).orderBy('id').limit(BATCH).execute();
        last = batch.at(-1)?.id;
        const titles = await Promise.all(batch.map((k) => ctx.keys.decrypt(hotlineId, 'hotline_case.title', k.title)));
        const tokens = await textTokensOfMany(ctx, hash, titles);
        rows = batch.map((k, i) => ({ record_type: 'case', record_id: k.id, hotline_id: hotlineId, case_id: k.id, name_tokens: [], text_tokens: tokens[i], indexed_at: now }));
      } else if (source === 'case_note') {
        const batch = await ctx.db.selectFrom('case_event').select(['id', 'case_id', 'body']).where('hotline_id', '=', hotlineId).where('kind', '=', 'note').where('id', '>', after).orderBy('id').limit(BATCH).execute();
        last = batch.at(-1)?.id;
        const bodies = await Promise.all(batch.map(async (e) => (await ctx.keys.decryptOptional(hotlineId, 'case_event.body', e.body)) ?? ''));
        const tokens = await textTokensOfMany(ctx, hash, bodies);
        rows = batch.map((e, i) => ({ record_type: 'case_note', record_id: e.id, hotline_id: hotlineId, case_id: e.case_id, name_tokens: [], text_tokens: tokens[i], indexed_at: now }));
      } else if (source === 'contact') {
        const batch = await ctx.db.selectFrom('contact').select(['id', 'summary', 'notes', 'form_data', 'updated_at']).where('hotline_id', '=', hotlineId).where('id', '>', after).orderBy('id').limit(BATCH).execute();
        last = batch.at(-1)?.id;
        const texts = await Promise.all(
          batch.map(async (c) => [await ctx.keys.decryptOptional(hotlineId, 'contact.summary', c.summary), await ctx.keys.decryptOptional(hotlineId, 'contact.notes', c.notes), await formText(c.form_data)].filter(Boolean).join('\n')),
        );
        const tokens = await textTokensOfMany(ctx, hash, texts);
        rows = batch.map((c, i) => ({ record_type: 'contact', record_id: c.id, hotline_id: hotlineId, case_id: null, name_tokens: [], text_tokens: tokens[i], indexed_at: c.updated_at }));
      } else {
        const batch = await ctx.db.selectFrom('case_entity').select(['id', 'case_id', 'details']).where('hotline_id', '=', hotlineId).where('id', '>', after).orderBy('id').limit(BATCH).execute();
        last = batch.at(-1)?.id;
        rows = await Promise.all(
          batch.map(async (e) => {
            const tokens = await placeTokens(ctx.db, hash, JSON.parse(await ctx.keys.decrypt(hotlineId, 'case_entity.details', e.details)));
            return { record_type: 'case_entity', record_id: e.id, hotline_id: hotlineId, case_id: e.case_id, name_tokens: tokens.name, text_tokens: tokens.text, indexed_at: now };
          }),
        );
      }
      if (!last) break;
      await writeDocs(ctx, rows);
      counts[source] += rows.length;
      onProgress?.({ source, done: counts[source], total });
      after = last;
    }
  }

  // Documents whose record no longer exists (deleted, or merged away) are dropped.
  const removed = await sql<{ n: string }>`
    with gone as (
      delete from search_doc d where d.hotline_id = ${hotlineId} and not exists (
        select 1 from person p where d.record_type = 'person' and p.id = d.record_id
        union all select 1 from hotline_case k where d.record_type = 'case' and k.id = d.record_id
        union all select 1 from case_event e where d.record_type = 'case_note' and e.id = d.record_id
        union all select 1 from contact c where d.record_type = 'contact' and c.id = d.record_id
        union all select 1 from case_entity x where d.record_type = 'case_entity' and x.id = d.record_id)
      returning 1)
    select count(*) as n from gone`.execute(ctx.db);
  counts.removed = Number(removed.rows[0].n);
  return counts;
}
