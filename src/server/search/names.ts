import { sql } from 'kysely';
import type { AppContext } from '../context.js';
import { jaroWinkler } from '../linkage/jaro-winkler.js';
import type { ActorContext } from '../queue/queue.service.js';
import { entityNameParts, type EntityDetails } from './entities.index.js';
import { caseWhere, type CaseFilter } from './filters.js';
import { hashAll, nameSimilarity, nameWordsOf, queryNameWords, queryTokenGroups, skeletonsOf, type NameParts, type TokenHasher } from './tokens.js';

export const NAME_THRESHOLD = 0.8;
/** At most this many candidates come back from the index per look-up (and at most these are decrypted and scored). */
const CANDIDATES = 150;
/** At most this many index rows are read before ranking (bounds the cost of a very common word). */
const SCAN = 1000;
/** With fewer candidates than this when every word must match, one word may miss (a word mistyped twice)… */
const RELAX_BELOW = 5;
/** …reading at most this many more index rows. */
const RELAX_SCAN = 300;

export interface PersonDetails {
  givenNames?: string;
  familyNames?: string;
  aliases?: string[];
  dateOfBirth?: string;
  phones?: string[];
  emails?: string[];
}

export type EntityKind = 'organisation' | 'place';
export type EntityDetailsWithKind = EntityDetails & { kind: EntityKind };

export function personLabel(d: PersonDetails) {
  return [d.givenNames, d.familyNames].filter(Boolean).join(' ') || (d.aliases?.[0] ?? '—');
}

export interface VisibleCase {
  id: string;
  reference: string;
  status: string;
  openedAt: Date;
}

export interface NameMatch<D> {
  id: string;
  percent: number;
  /** For ordering: the similarity, lowered a little for each of the record's name words the query leaves out, so
   * "José Hernández" comes before "José Luis Hernández Valencia" when "Jose Hernandez" is typed. */
  rank: number;
  details: D;
  /** The cases it is on that this user may read and that pass the filters, newest first. */
  cases: VisibleCase[];
}

export interface NameMatches {
  people: NameMatch<PersonDetails>[];
  entities: NameMatch<EntityDetailsWithKind>[];
  /** False when a bound was reached: more records may match. */
  complete: boolean;
}

interface CandidateRow {
  record_id: string;
  record_type: 'person' | 'case_entity';
  complete: boolean;
  details: Buffer | null;
  kind: EntityKind | null;
  cases: { id: string; number: number; status: string; openedAt: string }[];
}

/**
 * People, organisations and places whose names are near the typed words, on cases this user may read (and that pass
 * the filters). One statement: the index gives candidates sharing a token with every typed word (see
 * search_name_matches, migration 0023), joined to their encrypted details and their visible cases; only candidates
 * with a visible case are decrypted and scored (Jaro-Winkler per word, sound-alike and consonant-skeleton agreement).
 * Permissions apply before scoring, on the whole candidate set, so the page is not cut short by what is hidden.
 */
export async function nameMatches(ctx: AppContext, who: ActorContext, hash: TokenHasher, q: string, wants: { people: boolean; entities: boolean }, f: CaseFilter = {}): Promise<NameMatches> {
  const { hotlineId } = who.actor;
  const groups = queryTokenGroups(q).map((g) => hashAll(hash, g));
  const recordTypes = [...(wants.people ? ['person'] : []), ...(wants.entities ? ['case_entity'] : [])];
  if (groups.length === 0 || recordTypes.length === 0) return { people: [], entities: [], complete: true };
  const { rows } = await sql<CandidateRow>`
    select m.record_id, m.record_type, m.complete, coalesce(p.details, e.details) as details, e.kind,
      coalesce((
        select json_agg(json_build_object('id', k.id, 'number', k.number, 'status', k.status, 'openedAt', k.opened_at) order by k.opened_at desc)
        from hotline_case k
        where k.id in (select cp.case_id from case_person cp where m.record_type = 'person' and cp.person_id = m.record_id union all select m.case_id where m.record_type = 'case_entity')
          and ${caseWhere(who, f)}
      ), '[]'::json) as cases
    from search_name_matches(${hotlineId}, ${JSON.stringify(groups)}::jsonb, ${recordTypes}::text[], ${SCAN}, ${CANDIDATES}, ${RELAX_BELOW}, ${RELAX_SCAN}) m
    left join person p on m.record_type = 'person' and p.id = m.record_id and p.hotline_id = ${hotlineId}
    left join case_entity e on m.record_type = 'case_entity' and e.id = m.record_id and e.hotline_id = ${hotlineId}`.execute(ctx.db);

  const plainQuery = [queryNameWords(q).join(' ')];
  const out: NameMatches = { people: [], entities: [], complete: rows.length < CANDIDATES && rows.every((r) => r.complete) };
  await Promise.all(
    rows.map(async (r) => {
      // Hidden from this user (or filtered out): never decrypted.
      if (r.cases.length === 0 || !r.details) return;
      const cases = r.cases.map((k) => ({ id: k.id, reference: `K-${k.number}`, status: k.status, openedAt: new Date(k.openedAt) }));
      if (r.record_type === 'person') {
        const details = JSON.parse(await ctx.keys.decrypt(hotlineId, 'person.details', r.details)) as PersonDetails;
        const scored = similarityOf(plainQuery, details);
        if (scored) out.people.push({ id: r.record_id, ...scored, details, cases });
      } else {
        const details = { ...(JSON.parse(await ctx.keys.decrypt(hotlineId, 'case_entity.details', r.details)) as EntityDetails), kind: r.kind! };
        const scored = similarityOf(plainQuery, entityNameParts(details));
        if (scored) out.entities.push({ id: r.record_id, ...scored, details, cases });
      }
    }),
  );
  out.people.sort((a, b) => b.rank - a.rank);
  out.entities.sort((a, b) => b.rank - a.rank);
  return out;
}

function similarityOf(plainQuery: string[], parts: NameParts): { percent: number; rank: number } | null {
  const similarity = nameSimilarity(plainQuery, nameWordsOf(parts), skeletonsOf(parts));
  if (similarity < NAME_THRESHOLD) return null;
  // How much of the record's own name the query covers (each of its words near some typed word).
  const own = queryNameWords([parts.givenNames, parts.familyNames].filter(Boolean).join(' '));
  const typed = plainQuery[0].split(' ');
  const covered = own.filter((w) => typed.some((t) => jaroWinkler(t, w) >= 0.85)).length;
  const coverage = own.length ? covered / own.length : 1;
  return { percent: Math.round(similarity * 100), rank: similarity * (0.9 + 0.1 * coverage) };
}

export async function loadEntities(ctx: AppContext, hotlineId: string, ids: string[]) {
  if (ids.length === 0) return new Map<string, EntityDetailsWithKind>();
  const rows = await ctx.db.selectFrom('case_entity').select(['id', 'kind', 'details']).where('hotline_id', '=', hotlineId).where('id', 'in', ids).execute();
  return new Map(await Promise.all(rows.map(async (r) => [r.id, { ...(JSON.parse(await ctx.keys.decrypt(hotlineId, 'case_entity.details', r.details)) as EntityDetails), kind: r.kind }] as const)));
}
