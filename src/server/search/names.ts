import { sql } from 'kysely';
import type { AppContext } from '../context.js';
import { words } from '../linkage/text.js';
import { entityNameParts, type EntityDetails } from './entities.index.js';
import { hashAll, nameSimilarity, nameWordsOf, queryTokenGroups, skeletonsOf, transliterate, type NameParts, type TokenHasher } from './tokens.js';

export const NAME_THRESHOLD = 0.8;
/** At most this many candidates are decrypted and scored per look-up. */
const CANDIDATES = 150;
/** At most this many index rows are read per look-up before ranking (bounds the cost of a very common word). */
const SCAN = 2000;
/** With fewer good matches than this when every word must match, one word may miss (a word mistyped twice). */
const MIN_GOOD = 5;

export interface PersonDetails {
  givenNames?: string;
  familyNames?: string;
  aliases?: string[];
  dateOfBirth?: string;
  phones?: string[];
  emails?: string[];
}

export function personLabel(d: PersonDetails) {
  return [d.givenNames, d.familyNames].filter(Boolean).join(' ') || (d.aliases?.[0] ?? '—');
}

export interface NameMatch<D> {
  id: string;
  caseId: string | null;
  percent: number;
  details: D;
}

type NameRecordType = 'person' | 'case_entity';

async function candidates(ctx: AppContext, hotlineId: string, groups: number[][], type: NameRecordType, minGroups: number) {
  const { rows } = await sql<{ record_id: string; record_type: NameRecordType; case_id: string | null; overlap: number; complete: boolean }>`
    select * from search_name_matches(${hotlineId}, ${JSON.stringify(groups)}::jsonb, ${[type]}::text[], ${minGroups}, ${SCAN}, ${CANDIDATES})`.execute(ctx.db);
  return { rows, complete: rows.length < CANDIDATES && (rows[0]?.complete ?? true) };
}

/**
 * Records whose names are near the typed words. The index gives candidates that share a token with every typed word
 * (the GIN index intersects one group per word); those are decrypted and scored (Jaro-Winkler per word, sound-alike and
 * consonant-skeleton agreement). Only when fewer than a handful pass, one word may miss. `complete` is false when a
 * bound was reached, so the caller can say that more records may match.
 */
async function nameMatches<D>(
  ctx: AppContext,
  hotlineId: string,
  hash: TokenHasher,
  q: string,
  type: NameRecordType,
  load: (ids: string[]) => Promise<Map<string, D>>,
  partsOf: (d: D) => NameParts,
): Promise<{ matches: NameMatch<D>[]; complete: boolean }> {
  const groups = queryTokenGroups(q).map((g) => hashAll(hash, g));
  if (groups.length === 0) return { matches: [], complete: true };
  const plainQuery = words(transliterate(q)).join(' ');
  const seen = new Set<string>();
  const matches: NameMatch<D>[] = [];
  let complete = true;
  for (const minGroups of groups.length > 1 ? [groups.length, groups.length - 1] : [1]) {
    if (minGroups < groups.length && matches.length >= MIN_GOOD) break;
    const found = await candidates(ctx, hotlineId, groups, type, minGroups);
    complete &&= found.complete;
    const fresh = found.rows.filter((r) => !seen.has(r.record_id));
    fresh.forEach((r) => seen.add(r.record_id));
    const details = await load(fresh.map((r) => r.record_id));
    for (const r of fresh) {
      const d = details.get(r.record_id);
      if (!d) continue;
      const parts = partsOf(d);
      const similarity = nameSimilarity([plainQuery], nameWordsOf(parts), skeletonsOf(parts));
      if (similarity >= NAME_THRESHOLD) matches.push({ id: r.record_id, caseId: r.case_id, percent: Math.round(similarity * 100), details: d });
    }
  }
  return { matches: matches.sort((a, b) => b.percent - a.percent), complete };
}

/** People whose names are near the typed words. */
export async function peopleByName(ctx: AppContext, hotlineId: string, hash: TokenHasher, q: string) {
  return nameMatches<PersonDetails>(ctx, hotlineId, hash, q, 'person', async (ids) => {
    if (ids.length === 0) return new Map();
    const rows = await ctx.db.selectFrom('person').select(['id', 'details']).where('hotline_id', '=', hotlineId).where('id', 'in', ids).execute();
    return new Map(await Promise.all(rows.map(async (r) => [r.id, JSON.parse(await ctx.keys.decrypt(hotlineId, 'person.details', r.details)) as PersonDetails] as const)));
  }, (d) => d);
}

/** Organisations and places whose names (or other names) are near the typed words. */
export async function entitiesByName(ctx: AppContext, hotlineId: string, hash: TokenHasher, q: string) {
  return nameMatches<EntityDetails & { kind: 'organisation' | 'place' }>(ctx, hotlineId, hash, q, 'case_entity', (ids) => loadEntities(ctx, hotlineId, ids), entityNameParts);
}

export async function loadEntities(ctx: AppContext, hotlineId: string, ids: string[]) {
  if (ids.length === 0) return new Map<string, EntityDetails & { kind: 'organisation' | 'place' }>();
  const rows = await ctx.db.selectFrom('case_entity').select(['id', 'kind', 'details']).where('hotline_id', '=', hotlineId).where('id', 'in', ids).execute();
  return new Map(await Promise.all(rows.map(async (r) => [r.id, { ...(JSON.parse(await ctx.keys.decrypt(hotlineId, 'case_entity.details', r.details)) as EntityDetails), kind: r.kind as 'organisation' | 'place' }] as const)));
}
