import { sql, type SqlBool } from 'kysely';
import { SEARCH_TYPES, type SearchHit, type SearchQuery, type SearchReason, type SearchType } from '../../shared/api/search.js';
import { appendAudit } from '../audit/audit.js';
import type { AppContext } from '../context.js';
import type { ActorContext } from '../queue/queue.service.js';
import { catchUpContacts, contactsNeedIndexing } from './search.index.js';
import { caseWhere, contactWhere, type CaseFilter } from './filters.js';
import { loadEntities, nameMatches, personLabel, type EntityDetailsWithKind, type PersonDetails, type VisibleCase } from './names.js';
import { hashAll, stemTexts, tokenHasher, type TokenHasher } from './tokens.js';

export { personLabel, type PersonDetails } from './names.js';

/** What the box holds decides how it is searched. */
export type QueryKind = 'empty' | 'reference' | 'phone' | 'email' | 'words';

export function classifyQuery(q: string): QueryKind {
  const text = q.trim();
  if (!text) return 'empty';
  if (/^[KC]-?\d{1,12}$/i.test(text)) return 'reference';
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text)) return 'email';
  if (/^\+?[\d\s().-]{6,}$/.test(text) && text.replace(/\D/g, '').length >= 6) return 'phone';
  return 'words';
}

/** Exact phone and email look-ups read at most this many records of each kind. */
const CANDIDATES = 80;
/** Text look-ups read this many matching documents first, and more only when filters leave the page short. */
const TEXT_FIRST = 300;
const TEXT_MORE = 3000;

interface PersonMatch {
  id: string;
  score: number;
  reasons: SearchReason[];
  /** Already decrypted while ranking by name: not decrypted twice. */
  details?: PersonDetails;
  /** Already known (from the name look-up): their visible cases passing the filters. */
  cases?: VisibleCase[];
}

/** The visible cases (passing the filters) each of these people is on. */
export async function visibleCasesOf(ctx: AppContext, who: ActorContext, personIds: string[], f: CaseFilter = {}) {
  const byPerson = new Map<string, VisibleCase[]>();
  if (personIds.length === 0) return byPerson;
  const rows = await ctx.db
    .selectFrom('case_person as cp')
    .innerJoin('hotline_case as k', 'k.id', 'cp.case_id')
    .select(['cp.person_id', 'k.id', 'k.number', 'k.status', 'k.opened_at'])
    .where('cp.person_id', 'in', personIds)
    .where('cp.hotline_id', '=', who.actor.hotlineId)
    .where(caseWhere(who, f))
    .orderBy('k.opened_at', 'desc')
    .execute();
  for (const r of rows) {
    const list = byPerson.get(r.person_id) ?? [];
    if (!list.some((c) => c.id === r.id)) list.push({ id: r.id, reference: `K-${r.number}`, status: r.status, openedAt: r.opened_at });
    byPerson.set(r.person_id, list);
  }
  return byPerson;
}

async function personHits(ctx: AppContext, who: ActorContext, matches: PersonMatch[], f: CaseFilter): Promise<SearchHit[]> {
  const { hotlineId } = who.actor;
  const cases = await visibleCasesOf(ctx, who, matches.filter((m) => !m.cases).map((m) => m.id), f);
  for (const m of matches) if (m.cases?.length) cases.set(m.id, m.cases);
  const visible = matches.filter((m) => cases.has(m.id));
  if (visible.length === 0) return [];
  const toDecrypt = visible.filter((m) => !m.details).map((m) => m.id);
  const people = toDecrypt.length ? await ctx.db.selectFrom('person').select(['id', 'details']).where('hotline_id', '=', hotlineId).where('id', 'in', toDecrypt).execute() : [];
  const detailsOf = new Map(people.map((p) => [p.id, p.details]));
  return Promise.all(
    visible.map(async (m) => {
      const list = cases.get(m.id)!;
      const details = m.details ?? (JSON.parse(await ctx.keys.decrypt(hotlineId, 'person.details', detailsOf.get(m.id)!)) as PersonDetails);
      return { type: 'person' as const, id: m.id, reference: list[0].reference, label: personLabel(details), caseId: list[0].id, cases: list.map(({ id, reference }) => ({ id, reference })), status: list[0].status, at: list[0].openedAt.toISOString(), reasons: m.reasons, score: m.score };
    }),
  );
}

async function caseHits(ctx: AppContext, who: ActorContext, found: Map<string, { score: number; reasons: SearchReason[] }> | null, f: CaseFilter, limit: number, after?: { at: string; id: string }): Promise<SearchHit[]> {
  const { hotlineId } = who.actor;
  if (found && found.size === 0) return [];
  let query = ctx.db.selectFrom('hotline_case as k').select(['k.id', 'k.number', 'k.title', 'k.status', 'k.opened_at']).where(caseWhere(who, f));
  if (found) query = query.where('k.id', 'in', [...found.keys()]);
  // Browsing page by page: the cases after the last one shown (newest first; the id breaks ties of one instant).
  if (after) query = query.where(sql<SqlBool>`(k.opened_at, k.id) < (${after.at}::timestamptz, ${after.id}::uuid)`);
  // With found ids, sort by an expression: ordered plainly by opened_at, the planner walks the hotline's opened_at
  // index backwards and filters every case until it has met enough of the ids (18,000 rows at 200,000 cases, measured)
  // instead of reading the few ids by primary key.
  const rows = await query.orderBy(found ? sql`k.opened_at + interval '0 seconds'` : sql`k.opened_at`, 'desc').orderBy('k.id', 'desc').limit(limit).execute();
  return Promise.all(
    rows.map(async (r) => {
      const match = found?.get(r.id) ?? { score: 0.5, reasons: [{ code: 'filter' as const }] };
      return { type: 'case' as const, id: r.id, reference: `K-${r.number}`, label: await ctx.keys.decrypt(hotlineId, 'hotline_case.title', r.title), caseId: r.id, cases: [{ id: r.id, reference: `K-${r.number}` }], status: r.status, at: r.opened_at.toISOString(), reasons: match.reasons, score: match.score };
    }),
  );
}

async function contactHits(ctx: AppContext, who: ActorContext, found: Map<string, { score: number; reasons: SearchReason[] }>, f: CaseFilter, limit: number): Promise<SearchHit[]> {
  const { hotlineId } = who.actor;
  if (found.size === 0) return [];
  const rows = await ctx.db
    .selectFrom('contact as c')
    .select(['c.id', 'c.number', 'c.channel', 'c.status', 'c.received_at', 'c.summary'])
    .select(sql<{ id: string; number: string }[]>`coalesce((select json_agg(json_build_object('id', k.id, 'number', k.number)) from case_contact cc join hotline_case k on k.id = cc.case_id where cc.contact_id = c.id and ${caseWhere(who, {})}), '[]'::json)`.as('cases'))
    .where(contactWhere(who, f))
    .where('c.id', 'in', [...found.keys()])
    // An expression, so the ids are read by primary key rather than by walking received_at (see caseHits).
    .orderBy(sql`c.received_at + interval '0 seconds'`, 'desc')
    .limit(limit)
    .execute();
  return Promise.all(
    rows.map(async (r) => {
      const summary = await ctx.keys.decryptOptional(hotlineId, 'contact.summary', r.summary);
      const cases = r.cases.map((k) => ({ id: k.id, reference: `K-${k.number}` }));
      const match = found.get(r.id)!;
      return { type: 'contact' as const, id: r.id, reference: `C-${r.number}`, label: summary ? summary.slice(0, 120) : r.channel, caseId: cases[0]?.id ?? null, cases, status: r.status, at: r.received_at.toISOString(), reasons: match.reasons, score: match.score };
    }),
  );
}

// Stems of words typed in the box, kept in memory (never stored) to save a round trip on repeated words.
const STEM_CACHE_SIZE = 5000;
const stemCache = new Map<string, string[]>();

async function stemsOfWords(ctx: AppContext, queryWords: string[]): Promise<string[][]> {
  const missing = queryWords.filter((w) => !stemCache.has(w));
  if (missing.length) {
    const stems = await stemTexts(ctx.db, missing);
    missing.forEach((w, i) => {
      if (stemCache.size >= STEM_CACHE_SIZE) stemCache.delete(stemCache.keys().next().value!);
      stemCache.set(w, stems[i]);
    });
  }
  return queryWords.map((w) => stemCache.get(w) ?? []);
}

type TextRecordType = 'case' | 'case_note' | 'contact' | 'case_entity';
type TextRow = { record_type: TextRecordType; record_id: string; case_id: string | null };

/**
 * Documents whose text holds every typed word (any of its English, Spanish or French stems), at most `limit`;
 * `complete` says whether that was all of them.
 */
async function textMatches(ctx: AppContext, hotlineId: string, hash: TokenHasher, q: string, recordTypes: TextRecordType[], limit: number) {
  const queryWords = q.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8);
  const stems = (await stemsOfWords(ctx, queryWords)).filter((s) => s.length > 0);
  if (stems.length === 0 || recordTypes.length === 0) return { rows: [] as TextRow[], complete: true };
  const groups = stems.map((s) => hashAll(hash, s.map((x) => `t:${x}`)));
  const { rows } = await sql<TextRow>`
    select * from search_text_matches(${hotlineId}, ${JSON.stringify(groups)}::jsonb, ${recordTypes}::text[], ${limit + 1})`.execute(ctx.db);
  return { rows: rows.slice(0, limit), complete: rows.length <= limit };
}

function add(map: Map<string, { score: number; reasons: SearchReason[] }>, id: string, score: number, reason: SearchReason) {
  const entry = map.get(id) ?? { score: 0, reasons: [] };
  entry.score = Math.max(entry.score, score);
  if (!entry.reasons.some((r) => JSON.stringify(r) === JSON.stringify(reason))) entry.reasons.push(reason);
  map.set(id, entry);
}

type Found = Map<string, { score: number; reasons: SearchReason[] }>;

/** Organisations and places found (by name or text) on cases this user may read that pass the filters. */
async function entityHits(ctx: AppContext, who: ActorContext, found: Map<string, EntityMatch>, types: Set<SearchType>, f: CaseFilter): Promise<SearchHit[]> {
  const { hotlineId } = who.actor;
  if (found.size === 0) return [];
  const caseIds = [...new Set([...found.values()].map((e) => e.caseId))];
  const visible = await ctx.db.selectFrom('hotline_case as k').select(['k.id', 'k.number', 'k.status', 'k.opened_at']).where('k.id', 'in', caseIds).where(caseWhere(who, f)).execute();
  const caseOf = new Map(visible.map((k) => [k.id, k]));
  const shown = [...found.entries()].filter(([, e]) => caseOf.has(e.caseId));
  const missing = shown.filter(([, e]) => !e.details).map(([id]) => id);
  const loaded = await loadEntities(ctx, hotlineId, missing);
  const hits: SearchHit[] = [];
  for (const [id, e] of shown) {
    const details = e.details ?? loaded.get(id);
    if (!details || !types.has(details.kind)) continue;
    const k = caseOf.get(e.caseId)!;
    const reference = `K-${k.number}`;
    hits.push({ type: details.kind, id, reference, label: details.name, caseId: k.id, cases: [{ id: k.id, reference }], status: k.status, at: k.opened_at.toISOString(), reasons: e.reasons, score: e.score });
  }
  return hits;
}

interface EntityMatch {
  score: number;
  reasons: SearchReason[];
  caseId: string;
  /** Known when found by name (already decrypted, case already checked); else loaded and checked here. */
  details?: EntityDetailsWithKind;
}

/**
 * One box across cases, people, contacts, organisations and places. Only what the user may read comes back: the case
 * and contact rules are compiled to SQL, and a person, organisation or place appears only through a case the user may
 * read. Look-ups are bounded (a common name or word reads a fixed number of index rows); when a bound was reached the
 * answer says `complete: false`, so the screen can say that more records may match instead of silently showing fewer.
 * Every search is audited with a keyed hash of the query (never the query itself) and the records shown.
 */
export async function search(ctx: AppContext, who: ActorContext, query: SearchQuery): Promise<{ kind: QueryKind; items: SearchHit[]; complete: boolean; next: string | null }> {
  const { hotlineId } = who.actor;
  const types = new Set<SearchType>(query.types?.length ? query.types : SEARCH_TYPES);
  // Status and trafficking type belong to cases: with those filters, contacts are not searched.
  if (query.status || query.type) types.delete('contact');
  // People, organisations and places are reached through cases; a user who may not read cases sees none of them.
  if (!who.can.mayAttempt('case.read')) for (const t of ['case', 'person', 'organisation', 'place'] as const) types.delete(t);
  if (!who.can.mayAttempt('contact.read')) types.delete('contact');
  const f: CaseFilter = { status: query.status, type: query.type, area: query.area, from: query.from, to: query.to, assignee: query.assignee };
  const kind = classifyQuery(query.q);
  const q = query.q.trim();
  const wantsEntities = types.has('organisation') || types.has('place');

  const cases: Found = new Map();
  const contacts: Found = new Map();
  const entities = new Map<string, EntityMatch>();
  const people: PersonMatch[] = [];
  let hits: SearchHit[] = [];
  let complete = true;

  let next: string | null = null;
  if (kind === 'empty') {
    const [at, id] = query.after ? query.after.split('|') : [];
    hits = types.has('case') ? await caseHits(ctx, who, null, f, query.limit + 1, at ? { at, id } : undefined) : [];
    if (hits.length > query.limit) {
      hits = hits.slice(0, query.limit);
      const last = hits[hits.length - 1];
      next = `${last.at}|${last.id}`;
    }
  } else {
    if (kind === 'reference') {
      const number = q.replace(/\D/g, '');
      if (/^k/i.test(q)) {
        const row = await ctx.db.selectFrom('hotline_case').select('id').where('hotline_id', '=', hotlineId).where('number', '=', number as never).executeTakeFirst();
        if (row) add(cases, row.id, 1, { code: 'reference' });
      } else {
        const row = await ctx.db.selectFrom('contact').select('id').where('hotline_id', '=', hotlineId).where('number', '=', number as never).executeTakeFirst();
        if (row) add(contacts, row.id, 1, { code: 'reference' });
      }
    } else if (kind === 'phone' || kind === 'email') {
      // Exact lookups through the blind index, normalised exactly as when the number or address was stored.
      const index = await ctx.keys.blindIndex(hotlineId, kind, q);
      const column = kind === 'phone' ? 'phone_indexes' : 'email_indexes';
      const code = kind === 'phone' ? ('same_phone' as const) : ('same_email' as const);
      const [found, threads] = await Promise.all([
        types.has('person') || types.has('case') ? ctx.db.selectFrom('person').select('id').where('hotline_id', '=', hotlineId).where(sql<SqlBool>`${sql.ref(column)} @> array[${index}]::bytea[]`).limit(CANDIDATES + 1).execute() : [],
        types.has('contact') ? ctx.db.selectFrom('contact as c').innerJoin('contact_thread as t', 't.id', 'c.thread_id').select('c.id').where('t.hotline_id', '=', hotlineId).where('t.correspondent_index', '=', index).orderBy('c.received_at', 'desc').limit(CANDIDATES + 1).execute() : [],
      ]);
      complete = found.length <= CANDIDATES && threads.length <= CANDIDATES;
      for (const p of found.slice(0, CANDIDATES)) people.push({ id: p.id, score: 1, reasons: [{ code }] });
      for (const c of threads.slice(0, CANDIDATES)) add(contacts, c.id, 1, { code });
    } else {
      const hash = await tokenHasher(ctx, hotlineId);
      const textTypes: TextRecordType[] = [...(types.has('case') ? (['case', 'case_note'] as const) : []), ...(types.has('contact') ? (['contact'] as const) : []), ...(wantsEntities ? (['case_entity'] as const) : [])];
      const wantsPeople = types.has('person') || types.has('case');
      const [named, texts] = await Promise.all([
        nameMatches(ctx, who, hash, q, { people: wantsPeople, entities: wantsEntities || types.has('case') }, f),
        (async () => {
          // Contacts documented since the last pass are indexed first (one cheap query when there are none).
          if (types.has('contact') && (await contactsNeedIndexing(ctx, hotlineId))) await catchUpContacts(ctx, hotlineId);
          return textMatches(ctx, hotlineId, hash, q, textTypes, TEXT_FIRST);
        })(),
      ]);
      complete = named.complete;
      for (const p of named.people) people.push({ id: p.id, score: p.rank, reasons: [{ code: 'name_similar', percent: p.percent }], details: p.details, cases: p.cases });
      for (const e of named.entities) entities.set(e.id, { score: e.rank, reasons: [{ code: 'name_similar', percent: e.percent }], caseId: e.cases[0].id, details: e.details });
      const addTexts = (rows: TextRow[]) => {
        for (const t of rows) {
          if (t.record_type === 'contact') add(contacts, t.record_id, 0.7, { code: 'text_match', field: 'summary' });
          else if (t.record_type === 'case_entity') {
            const entry = entities.get(t.record_id) ?? { score: 0.7, reasons: [], caseId: t.case_id! };
            if (!entry.reasons.some((r) => r.code === 'text_match')) entry.reasons.push({ code: 'text_match', field: 'place' });
            entities.set(t.record_id, entry);
          } else add(cases, t.case_id!, t.record_type === 'case' ? 0.8 : 0.7, { code: 'text_match', field: t.record_type === 'case' ? 'title' : 'note' });
        }
      };
      addTexts(texts.rows);
      // Filters apply after the text look-up: when there were more matches than were read, read more.
      if (!texts.complete && Object.values(f).some(Boolean)) {
        const more = await textMatches(ctx, hotlineId, hash, q, textTypes, TEXT_MORE);
        addTexts(more.rows);
        complete &&= more.complete;
      } else complete &&= texts.complete;
    }
    // Searching cases only (the case list): a person, organisation or place found brings their cases.
    if (!types.has('person') && types.has('case') && people.length > 0) {
      const theirCases = await visibleCasesOf(ctx, who, people.filter((p) => !p.cases).map((p) => p.id), f);
      for (const p of people) for (const k of p.cases ?? theirCases.get(p.id) ?? []) for (const r of p.reasons) add(cases, k.id, p.score, r);
    }
    if (types.has('case')) for (const e of entities.values()) if (e.details && !types.has(e.details.kind)) for (const r of e.reasons) add(cases, e.caseId, e.score, r);
    const parts = await Promise.all([
      types.has('person') ? personHits(ctx, who, people, f) : [],
      types.has('case') ? caseHits(ctx, who, cases, f, query.limit) : [],
      types.has('contact') ? contactHits(ctx, who, contacts, f, query.limit) : [],
      wantsEntities ? entityHits(ctx, who, entities, types, f) : [],
    ]);
    hits = parts.flat().sort((a, b) => b.score - a.score || (b.at ?? '').localeCompare(a.at ?? ''));
    if (hits.length > query.limit) complete = false;
    hits = hits.slice(0, query.limit);
  }

  await appendAudit(ctx.db, {
    hotlineId,
    actorId: who.actor.id,
    actorLabel: who.label,
    action: 'search',
    recordType: 'search',
    details: {
      kind,
      // A keyed hash lets an investigator ask "did anyone search for this name?" without the log holding the name.
      queryIndex: q ? (await ctx.keys.blindIndex(hotlineId, 'text', `search:${q.toLowerCase()}`)).toString('hex').slice(0, 32) : null,
      filters: Object.fromEntries(Object.entries(f).filter(([, v]) => v)),
      ...(query.after ? { page: 'next' } : {}),
      shown: hits.map((h) => `${h.type}:${h.id}`),
    },
    ip: who.ip,
  });
  return { kind, items: hits, complete, next };
}
