import { sql } from 'kysely';
import type { AppContext } from '../context.js';
import type { DbOrTx } from '../db/db.js';
import { contactFormFor } from '../intake/form.routes.js';
import './search.tables.js';
import { nameTokens, textTokens, tokenHasher, type NameParts } from './tokens.js';

type RecordType = 'case' | 'person' | 'contact' | 'case_note';

async function upsert(tx: DbOrTx, row: { record_type: RecordType; record_id: string; hotline_id: string; case_id: string | null; name_tokens?: number[]; text_tokens?: number[] }, version = new Date()) {
  await tx
    .insertInto('search_doc')
    .values({ ...row, name_tokens: row.name_tokens ?? [], text_tokens: row.text_tokens ?? [], indexed_at: version })
    .onConflict((oc) =>
      oc.columns(['record_type', 'record_id']).doUpdateSet({
        ...(row.name_tokens && { name_tokens: row.name_tokens }),
        ...(row.text_tokens && { text_tokens: row.text_tokens }),
        indexed_at: version,
      }),
    )
    .execute();
}

/** A person's names, searchable (called in the transaction that writes the person). */
export async function indexPerson(tx: DbOrTx, ctx: AppContext, hotlineId: string, personId: string, names: NameParts) {
  const hash = await tokenHasher(ctx, hotlineId);
  await upsert(tx, { record_type: 'person', record_id: personId, hotline_id: hotlineId, case_id: null, name_tokens: nameTokens(hash, names) });
}

/** A case title or a case note, searchable as text in English, Spanish and French. */
export async function indexCaseText(tx: DbOrTx, ctx: AppContext, hotlineId: string, type: 'case' | 'case_note', recordId: string, caseId: string, text: string) {
  const hash = await tokenHasher(ctx, hotlineId);
  await upsert(tx, { record_type: type, record_id: recordId, hotline_id: hotlineId, case_id: caseId, text_tokens: await textTokens(tx, hash, [text]) });
}

// Contacts are written by the intake screens and channels; search re-reads those changed since its watermark. The
// watermark trails by a minute so a transaction that committed late with an earlier timestamp is still picked up;
// a contact already indexed at its current updated_at is skipped, so the overlap costs one indexed query.
const CONTACT_OVERLAP_MS = 60_000;
const CATCH_UP_BATCH = 500;

/** One cheap query before each search: has any contact changed since it was last indexed? */
export async function contactsNeedIndexing(ctx: AppContext, hotlineId: string): Promise<boolean> {
  const { rows } = await sql<{ stale: boolean }>`
    select exists (
      -- Newest first with a limit, so the (hotline_id, updated_at) index is walked backwards and stops at the watermark
      -- (without it the planner cannot know the bound and scans every contact).
      select 1 from (
        select c.id, c.updated_at from contact c
        where c.hotline_id = ${hotlineId}
          and c.updated_at > coalesce((select w.indexed_until from search_watermark w where w.hotline_id = ${hotlineId} and w.source = 'contact'), '-infinity'::timestamptz) - ${`${CONTACT_OVERLAP_MS} milliseconds`}::interval
        order by c.updated_at desc limit ${CATCH_UP_BATCH * 4}
      ) c left join search_doc d on d.record_type = 'contact' and d.record_id = c.id
      where d.record_id is null or d.indexed_at < c.updated_at
    ) as stale`.execute(ctx.db);
  return rows[0].stale;
}

/**
 * The free-text answers of a contact's configurable form (text and textarea fields of the published form: a name the
 * caller gave, a place), searchable as words beside the summary and notes. Choice answers are codes, not words.
 */
export async function contactFormText(ctx: AppContext, db: DbOrTx, hotlineId: string): Promise<(formData: Buffer | null) => Promise<string | null>> {
  const form = (await contactFormFor(db, hotlineId)).data;
  const textFields = new Set(form.fields.filter((f) => f.type === 'text' || f.type === 'textarea').map((f) => f.id));
  return async (formData) => {
    if (!formData || textFields.size === 0) return null;
    const answers = JSON.parse((await ctx.keys.decrypt(hotlineId, 'contact.form_data', formData)) ?? '{}') as Record<string, unknown>;
    const words = Object.entries(answers).filter(([id, value]) => textFields.has(id) && typeof value === 'string' && value.trim()).map(([, value]) => value as string);
    return words.length ? words.join('\n') : null;
  };
}

/** Index contacts documented since the last pass (their summary, notes and free-text form answers). Returns how many were indexed. */
export async function catchUpContacts(ctx: AppContext, hotlineId: string, maxBatches = 4): Promise<number> {
  let indexed = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const count = await ctx.db.transaction().execute(async (tx) => {
      // One indexer per hotline at a time; a search that finds the lock taken simply searches what is indexed.
      const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(hashtext(${'search-contacts:' + hotlineId})) as locked`.execute(tx);
      if (!rows[0].locked) return -1;
      const mark = await tx.selectFrom('search_watermark').select('indexed_until').where('hotline_id', '=', hotlineId).where('source', '=', 'contact').executeTakeFirst();
      const since = mark ? new Date(mark.indexed_until.getTime() - CONTACT_OVERLAP_MS) : new Date(0);
      const contacts = await tx
        .selectFrom('contact as c')
        .leftJoin('search_doc as d', (join) => join.on('d.record_type', '=', 'contact').onRef('d.record_id', '=', 'c.id'))
        .select(['c.id', 'c.summary', 'c.notes', 'c.form_data', 'c.updated_at'])
        .where('c.hotline_id', '=', hotlineId)
        .where('c.updated_at', '>', since)
        .where((eb) => eb.or([eb('d.record_id', 'is', null), eb('d.indexed_at', '<', eb.ref('c.updated_at'))]))
        .orderBy('c.updated_at')
        .limit(CATCH_UP_BATCH)
        .execute();
      const hash = await tokenHasher(ctx, hotlineId);
      const formText = contacts.length ? await contactFormText(ctx, tx, hotlineId) : null;
      for (const c of contacts) {
        const [summary, notes, form] = await Promise.all([ctx.keys.decryptOptional(hotlineId, 'contact.summary', c.summary), ctx.keys.decryptOptional(hotlineId, 'contact.notes', c.notes), formText!(c.form_data)]);
        // indexed_at holds the contact's own updated_at: the version of the contact these tokens describe.
        await upsert(tx, { record_type: 'contact', record_id: c.id, hotline_id: hotlineId, case_id: null, text_tokens: await textTokens(tx, hash, [summary, notes, form]) }, c.updated_at);
      }
      if (contacts.length > 0) {
        await tx
          .insertInto('search_watermark')
          .values({ hotline_id: hotlineId, source: 'contact', indexed_until: contacts[contacts.length - 1].updated_at })
          .onConflict((oc) => oc.columns(['hotline_id', 'source']).doUpdateSet({ indexed_until: sql`greatest(search_watermark.indexed_until, excluded.indexed_until)` }))
          .execute();
      }
      return contacts.length;
    });
    if (count === -1) break;
    indexed += count;
    if (count < CATCH_UP_BATCH) break;
  }
  return indexed;
}
