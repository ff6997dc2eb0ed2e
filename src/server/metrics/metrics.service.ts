/**
 * Every metric of docs/metrics.md, computed one way (issue 8): the dashboards, the monthly report, the scheduled
 * report and the API all call `computeMetrics`. Aggregates only: no personal data is read, so nothing here is decrypted.
 * Each query is for one hotline (tenant) and one half-open period [from, to) in the hotline's time zone.
 */
import '../cases/schema.js';
import '../assessment/schema.js';
import '../channels/voice/voice.schema.js';
import { sql, type RawBuilder } from 'kysely';
import { DATA_REQUEST_TYPES } from '../../shared/intake.js';
import { INDICATOR_LEVELS } from '../../shared/assessment/vocabulary.js';
import {
  KEY_FIELDS, LIVE_OUTCOMES, REPORT_BASES, REPORT_STATUSES, TASK_OUTCOMES, TRAFFICKING_CATEGORIES, UNKNOWN, daysBetween,
  type Breakdown, type Cell, type Distribution, type Heatmap, type LiveResult, type MetricsQuery, type MetricsResult, type TrendPoint,
} from '../../shared/metrics/definitions.js';
import type { DbOrTx } from '../db/db.js';
import { DEFAULT_SUPPRESSION_THRESHOLD, displayCell, smallCellDisplay, suppressOneWay, suppressTwoWay } from './suppression.js';

export interface ComputeOptions {
  /** Hide small counts (readers without case access; anything published). */
  suppress: boolean;
  threshold?: number;
  /** Short abandon threshold in seconds (hotline voice configuration; default 5). */
  shortAbandonSeconds?: number;
  now?: Date;
}

type Counts = Map<string, number>;

const LIVE_CHANNELS = ['phone', 'chat'];

/** Everything a metric may be filtered by, as SQL over a contact aliased `c`. */
function contactFilters(hotlineId: string, q: MetricsQuery, alias = 'c'): RawBuilder<boolean> {
  const c = sql.raw(alias);
  const parts: RawBuilder<unknown>[] = [sql`${c}.hotline_id = ${hotlineId}`];
  if (q.area) parts.push(sql`${c}.area_code = ${q.area}`);
  if (q.channel) parts.push(sql`${c}.channel = ${q.channel}`);
  if (q.requestType) parts.push(sql`${c}.request_type = ${q.requestType}`);
  return sql<boolean>`(${sql.join(parts, sql` and `)})`;
}

const isDataContact = (alias = 'c') => sql<boolean>`(${sql.raw(alias)}.request_type is null or ${sql.raw(alias)}.request_type in (${sql.join([...DATA_REQUEST_TYPES])}))`;

function bounds(q: MetricsQuery, tz: string) {
  return {
    start: sql<Date>`((${q.from}::date)::timestamp at time zone ${tz})`,
    end: sql<Date>`((${q.to}::date)::timestamp at time zone ${tz})`,
  };
}

function toCounts(rows: { key: string | null; n: number | string }[]): Counts {
  const counts: Counts = new Map();
  for (const r of rows) counts.set(r.key ?? UNKNOWN, (counts.get(r.key ?? UNKNOWN) ?? 0) + Number(r.n));
  return counts;
}

/** Categories in a fixed order (known ones first, zeros kept), then any others seen, then unknown. */
function ordered(counts: Counts, known: readonly string[] = []): [string, number][] {
  const keys = [...known.filter((k) => k !== UNKNOWN), ...[...counts.keys()].filter((k) => !known.includes(k) && k !== UNKNOWN).sort(), UNKNOWN];
  return keys.filter((k, i) => keys.indexOf(k) === i && (known.includes(k) || counts.has(k))).map((k) => [k, counts.get(k) ?? 0]);
}

class Publisher {
  constructor(readonly suppress: boolean, readonly threshold: number) {}

  async breakdown(entries: [string, number][]): Promise<Breakdown> {
    const total = entries.reduce((s, [, v]) => s + v, 0);
    if (!this.suppress || entries.length === 0) return { rows: entries.map(([key, value]) => ({ key, cell: { value } })), total: { value: total } };
    const published = await suppressOneWay(Object.fromEntries(entries.map(([k, v], i) => [`${i}`, v])), { threshold: this.threshold });
    return { rows: entries.map(([key], i) => ({ key, cell: published.cells[`${i}`] })), total: published.total };
  }

  /** A count published on its own (no total it adds up to): only primary suppression applies. */
  single(value: number): Cell {
    return this.suppress && value > 0 && value < this.threshold ? { suppressed: true, display: smallCellDisplay(this.threshold) } : { value };
  }

  async heatmap(counts: number[][]): Promise<Heatmap> {
    if (!this.suppress) {
      const rowTotals = counts.map((r) => r.reduce((s, v) => s + v, 0));
      const columnTotals = counts[0].map((_, c) => counts.reduce((s, r) => s + r[c], 0));
      const cell = (value: number): Cell => ({ value });
      return { cells: counts.map((r) => r.map(cell)), rowTotals: rowTotals.map(cell), columnTotals: columnTotals.map(cell), total: cell(rowTotals.reduce((s, v) => s + v, 0)) };
    }
    const p = await suppressTwoWay(counts.map((_, i) => `${i}`), counts[0].map((_, i) => `${i}`), counts, { threshold: this.threshold });
    return { cells: p.cells, rowTotals: p.rowTotals, columnTotals: p.columnTotals, total: p.total };
  }

  distribution(row: { n: number | string; mean: number | string | null; median: number | string | null; p90: number | string | null }): Distribution {
    const n = Number(row.n);
    if (n === 0 || (this.suppress && n < this.threshold)) return { count: this.suppress && n > 0 ? null : n, mean: null, median: null, p90: null };
    const round = (v: number | string | null) => (v === null ? null : Math.round(Number(v) * 10) / 10);
    return { count: n, mean: round(row.mean), median: round(row.median), p90: round(row.p90) };
  }
}

async function hotlineTimezone(db: DbOrTx, hotlineId: string): Promise<string> {
  return (await db.selectFrom('hotline').select('timezone').where('id', '=', hotlineId).executeTakeFirstOrThrow()).timezone;
}

async function tableExists(db: DbOrTx, name: string): Promise<boolean> {
  const { rows } = await sql<{ ok: boolean }>`select to_regclass(${name}) is not null as ok`.execute(db);
  return rows[0]?.ok ?? false;
}

// ---- Access ---------------------------------------------------------------------------------------------------

async function accessBreakdowns(db: DbOrTx, hotlineId: string, q: MetricsQuery, tz: string) {
  const { start, end } = bounds(q, tz);
  // One scan of the period's data contacts; GROUPING SETS gives every breakdown (and the hour × weekday grid) at once.
  const unit = sql.lit(bucketOf(q));
  const { rows } = await sql<{ g: number; channel: string | null; request_type: string | null; signaler_type: string | null; language: string | null; heard_about: string | null; area_code: string | null; hour: number | null; dow: number | null; day: string | null; n: string }>`
    with c as (
      select c.channel, c.request_type, c.signaler_type, c.language, c.heard_about, c.area_code,
             to_char(date_trunc(${unit}, c.received_at at time zone ${tz}), 'YYYY-MM-DD') as day,
             extract(hour from c.received_at at time zone ${tz})::int as hour,
             (extract(isodow from c.received_at at time zone ${tz})::int - 1) as dow
      from contact c
      where ${contactFilters(hotlineId, q)} and c.direction = 'inbound' and ${isDataContact()}
        and c.received_at >= ${start} and c.received_at < ${end}
    )
    select grouping(channel, request_type, signaler_type, language, heard_about, area_code, hour, dow, day) as g,
           channel, request_type, signaler_type, language, heard_about, area_code, hour, dow, day, count(*) as n
    from c
    group by grouping sets ((channel), (request_type), (signaler_type), (language), (heard_about), (area_code), (hour, dow), (day))`.execute(db);
  // grouping() bits, most significant first: channel … dow, day. A set's own columns are 0.
  const pick = (mask: number, key: (r: (typeof rows)[number]) => string | null) => toCounts(rows.filter((r) => Number(r.g) === mask).map((r) => ({ key: key(r), n: r.n })));
  const all = 0b111111111;
  const heat = Array.from({ length: 24 }, () => Array(7).fill(0) as number[]);
  for (const r of rows) if (Number(r.g) === (all & ~0b110) && r.hour !== null && r.dow !== null) heat[r.hour][r.dow] += Number(r.n);
  return {
    byChannel: pick(all & ~(1 << 8), (r) => r.channel),
    byRequestType: pick(all & ~(1 << 7), (r) => r.request_type),
    bySignalerType: pick(all & ~(1 << 6), (r) => r.signaler_type),
    byLanguage: pick(all & ~(1 << 5), (r) => r.language),
    byHeardAbout: pick(all & ~(1 << 4), (r) => r.heard_about),
    byArea: pick(all & ~(1 << 3), (r) => r.area_code),
    byDay: pick(all & ~1, (r) => r.day),
    heat,
  };
}

async function liveAccess(db: DbOrTx, hotlineId: string, q: MetricsQuery, tz: string, shortAbandonSeconds: number, now: Date) {
  const { start, end } = bounds(q, tz);
  const { rows } = await sql<{
    answered: string; abandoned: string; waiting: string; short_abandons: string; within: string; waiting_in_time: string;
    asa_n: string; asa_mean: number | null; asa_median: number | null; asa_p90: number | null;
    aht_n: string; aht_mean: number | null; aht_median: number | null; aht_p90: number | null;
  }>`
    with c as (
      select c.received_at, c.answered_at, c.ended_at, c.sla_due_at,
             (c.answered_at is null and c.ended_at is not null
               and (coalesce(v.is_short_abandon, false) or extract(epoch from c.ended_at - c.received_at) < ${shortAbandonSeconds})) as is_short
      from contact c
      left join lateral (select bool_or(v.is_short_abandon) as is_short_abandon, bool_or(v.is_after_hours) as is_after_hours
                         from voice_call v where v.contact_id = c.id and v.hotline_id = ${hotlineId}) v on true
      where ${contactFilters(hotlineId, q)} and c.direction = 'inbound' and c.channel in (${sql.join(LIVE_CHANNELS)})
        and c.received_at >= ${start} and c.received_at < ${end}
        and not coalesce(v.is_after_hours, false)
    )
    select
      count(*) filter (where answered_at is not null) as answered,
      count(*) filter (where answered_at is null and ended_at is not null and not is_short) as abandoned,
      count(*) filter (where answered_at is null and ended_at is null) as waiting,
      count(*) filter (where is_short) as short_abandons,
      count(*) filter (where answered_at is not null and sla_due_at is not null and answered_at <= sla_due_at) as within,
      count(*) filter (where answered_at is null and ended_at is null and sla_due_at > ${now}) as waiting_in_time,
      count(*) filter (where answered_at is not null) as asa_n,
      avg(extract(epoch from answered_at - received_at)) filter (where answered_at is not null) as asa_mean,
      percentile_cont(0.5) within group (order by extract(epoch from answered_at - received_at)) filter (where answered_at is not null) as asa_median,
      percentile_cont(0.9) within group (order by extract(epoch from answered_at - received_at)) filter (where answered_at is not null) as asa_p90,
      count(*) filter (where answered_at is not null and ended_at is not null) as aht_n,
      avg(extract(epoch from ended_at - answered_at)) filter (where answered_at is not null and ended_at is not null) as aht_mean,
      percentile_cont(0.5) within group (order by extract(epoch from ended_at - answered_at)) filter (where answered_at is not null and ended_at is not null) as aht_median,
      percentile_cont(0.9) within group (order by extract(epoch from ended_at - answered_at)) filter (where answered_at is not null and ended_at is not null) as aht_p90
    from c`.execute(db);
  return rows[0];
}

// ---- Situations -----------------------------------------------------------------------------------------------

/** Cases opened (or closed) in the period, with the area and channel of their first linked contact. */
function caseScope(hotlineId: string, q: MetricsQuery, tz: string, column: 'opened_at' | 'closed_at', needsArea = false) {
  const { start, end } = bounds(q, tz);
  const filters: RawBuilder<unknown>[] = [sql`k.hotline_id = ${hotlineId}`, sql`k.${sql.raw(column)} >= ${start}`, sql`k.${sql.raw(column)} < ${end}`];
  if (q.traffickingType) filters.push(sql`${q.traffickingType} = any(k.trafficking_types)`);
  if (q.area) filters.push(sql`first.area_code = ${q.area}`);
  if (q.channel) filters.push(sql`first.channel = ${q.channel}`);
  // The first contact is looked up only when a filter or the area breakdown needs it (one index probe per case).
  if (!needsArea && !q.area && !q.channel) {
    return sql`select k.id, k.opened_at, k.trafficking_types, k.typology_code, null::text as area_code from hotline_case k where ${sql.join(filters, sql` and `)}`;
  }
  return sql`
    select k.id, k.opened_at, k.trafficking_types, k.typology_code, first.area_code
    from hotline_case k
    left join lateral (select c.area_code, c.channel from case_contact cc join contact c on c.id = cc.contact_id and c.hotline_id = ${hotlineId}
                       where cc.case_id = k.id and cc.hotline_id = ${hotlineId} order by c.received_at, c.id limit 1) first on true
    where ${sql.join(filters, sql` and `)}`;
}

async function situations(db: DbOrTx, hotlineId: string, q: MetricsQuery, tz: string) {
  const [opened, closed, victims] = await Promise.all([
    sql<{ g: number; types: string[] | null; typology_code: string | null; area_code: string | null; day: string | null; n: string }>`
      with k as (${caseScope(hotlineId, q, tz, 'opened_at', true)})
      select grouping(trafficking_types, typology_code, area_code, day) as g, trafficking_types as types, typology_code, area_code, day, count(*) as n
      from (select k.*, to_char(date_trunc(${sql.lit(bucketOf(q))}, k.opened_at at time zone ${tz}), 'YYYY-MM-DD') as day from k) k
      group by grouping sets ((trafficking_types, typology_code, area_code), (day))`.execute(db),
    sql<{ n: string }>`with k as (${caseScope(hotlineId, q, tz, 'closed_at')}) select count(*) as n from k`.execute(db),
    // Potential victims of the cases opened in the period, once per case, with the case's highest indicator level per
    // type: over the latest assessment of each linked contact, an override of that level taking its place.
    sql<{ gender: string | null; age_range: string | null; sex: number | null; labour: number | null; n: string }>`
      with k as (${caseScope(hotlineId, q, tz, 'opened_at')}),
      latest as (
        select cc.case_id, a.id, a.sex_level, a.labour_level
        from case_contact cc
        join lateral (select a.id, a.sex_level, a.labour_level from assessment a
                      where a.contact_id = cc.contact_id and a.hotline_id = ${hotlineId} order by a.assessed_at desc limit 1) a on true
        where cc.hotline_id = ${hotlineId} and cc.case_id in (select id from k)
      ),
      lvl as (
        select l.case_id,
          max(array_position(array[${sql.join([...INDICATOR_LEVELS])}]::text[], coalesce((select o.level from assessment_override o where o.assessment_id = l.id and o.type = 'sex' order by o.overridden_at desc limit 1), l.sex_level))) as sex,
          max(array_position(array[${sql.join([...INDICATOR_LEVELS])}]::text[], coalesce((select o.level from assessment_override o where o.assessment_id = l.id and o.type = 'labour' order by o.overridden_at desc limit 1), l.labour_level))) as labour
        from latest l group by l.case_id
      )
      select p.gender, p.age_range, lvl.sex, lvl.labour, count(*) as n
      from k
      -- lateral with an "offset 0" fence: an index probe per case in the period, never a scan of every case's people
      join lateral (select cp.person_id from case_person cp where cp.case_id = k.id and cp.hotline_id = ${hotlineId} and cp.role = 'potential_victim' offset 0) cp on true
      join person p on p.id = cp.person_id and p.hotline_id = ${hotlineId}
      left join lvl on lvl.case_id = k.id
      group by 1, 2, 3, 4`.execute(db),
  ]);
  const byType: Counts = new Map();
  const byTypology: Counts = new Map();
  const byArea: Counts = new Map();
  const add = (m: Counts, k: string, n: number) => m.set(k, (m.get(k) ?? 0) + n);
  const byDay: Counts = new Map();
  for (const r of opened.rows) {
    const n = Number(r.n);
    // grouping() bits (types, typology, area, day): 0b1110 is the (day) set, 0b0001 the breakdown set.
    if (Number(r.g) === 0b1110) {
      if (r.day) byDay.set(r.day, n);
      continue;
    }
    const types = r.types ?? [];
    const hasSex = types.includes('sex'), hasLabour = types.includes('labour');
    add(byType, hasSex && hasLabour ? 'sex_and_labour' : hasSex ? 'sex' : hasLabour ? 'labour' : 'not_classified', n);
    add(byTypology, r.typology_code ?? 'not_classified', n);
    add(byArea, r.area_code ?? UNKNOWN, n);
  }
  const level = (position: number | null) => (position ? INDICATOR_LEVELS[position - 1] : UNKNOWN);
  const bySex: Counts = new Map(), byLabour: Counts = new Map(), byAge: Counts = new Map(), byGender: Counts = new Map();
  for (const r of victims.rows) {
    const n = Number(r.n);
    add(bySex, level(r.sex), n);
    add(byLabour, level(r.labour), n);
    add(byAge, r.age_range ?? UNKNOWN, n);
    add(byGender, r.gender ?? UNKNOWN, n);
  }
  return { byType, byTypology, byArea, byDay, closed: Number(closed.rows[0].n), bySex, byLabour, byAge, byGender };
}

// ---- Response -------------------------------------------------------------------------------------------------

async function response(db: DbOrTx, hotlineId: string, q: MetricsQuery, tz: string, now: Date) {
  const { start, end } = bounds(q, tz);
  const [tasks, reports] = await Promise.all([
    sql<{ key: string; n: string }>`
      select case when t.status = 'skipped' then 'skipped'
                  when t.status = 'done' and t.completed_at <= t.due_at then 'on_time'
                  when t.status = 'done' then 'done_late'
                  when t.due_at < ${now} then 'open_overdue'
                  else 'open_not_due' end as key, count(*) as n
      from task t join contact c on c.id = t.contact_id and c.hotline_id = ${hotlineId}
      where t.hotline_id = ${hotlineId} and ${contactFilters(hotlineId, q)} and t.due_at >= ${start} and t.due_at < ${end}
      group by 1`.execute(db),
    sql<{ status: string; basis: string; exception: string | null; n: string }>`
      select r.status, r.basis, r.exception, count(*) as n
      from report r join contact c on c.id = r.contact_id and c.hotline_id = ${hotlineId}
      where r.hotline_id = ${hotlineId} and ${contactFilters(hotlineId, q)} and r.requested_at >= ${start} and r.requested_at < ${end}
      group by 1, 2, 3`.execute(db),
  ]);
  const byStatus: Counts = new Map(), sentByBasis: Counts = new Map();
  for (const r of reports.rows) {
    byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + Number(r.n));
    if (r.status === 'sent') {
      const key = r.basis === 'exception' ? `exception:${r.exception ?? UNKNOWN}` : r.basis;
      sentByBasis.set(key, (sentByBasis.get(key) ?? 0) + Number(r.n));
    }
  }
  return { tasks: toCounts(tasks.rows), byStatus, sentByBasis };
}

// ---- Quality --------------------------------------------------------------------------------------------------

async function quality(db: DbOrTx, hotlineId: string, q: MetricsQuery, tz: string) {
  const { start, end } = bounds(q, tz);
  const { rows } = await sql<Record<string, string | number | null>>`
    select count(*) as closed,
      count(*) filter (where ${sql.join(KEY_FIELDS.map((f) => sql`c.${sql.raw(f)} is null`), sql` or `)}) as missing_any,
      ${sql.join(KEY_FIELDS.map((f) => sql`count(*) filter (where c.${sql.raw(f)} is null) as ${sql.raw(`missing_${f}`)}`))},
      avg(extract(epoch from c.ended_at - c.received_at)) as doc_mean,
      percentile_cont(0.5) within group (order by extract(epoch from c.ended_at - c.received_at)) as doc_median,
      percentile_cont(0.9) within group (order by extract(epoch from c.ended_at - c.received_at)) as doc_p90
    from contact c
    where ${contactFilters(hotlineId, q)} and c.direction = 'inbound' and ${isDataContact()} and c.status = 'closed'
      and c.ended_at >= ${start} and c.ended_at < ${end}`.execute(db);
  return rows[0];
}

// ---- Trend ----------------------------------------------------------------------------------------------------

function bucketOf(q: MetricsQuery): 'day' | 'month' {
  return daysBetween(q.from, q.to) > 92 ? 'month' : 'day';
}

/** Every bucket of the period, zeros included (the counts come from the access and situation queries). */
function trend(q: MetricsQuery, contactsByDay: Counts, casesByDay: Counts) {
  const bucket = bucketOf(q);
  const days: string[] = [];
  for (let d = new Date(`${q.from}T00:00:00Z`); d < new Date(`${q.to}T00:00:00Z`); bucket === 'day' ? d.setUTCDate(d.getUTCDate() + 1) : d.setUTCMonth(d.getUTCMonth() + 1, 1)) {
    days.push(d.toISOString().slice(0, 10));
  }
  if (bucket === 'month' && days[0] && !days[0].endsWith('-01')) days[0] = `${days[0].slice(0, 7)}-01`;
  return { bucket, days, contacts: days.map((d) => contactsByDay.get(d) ?? 0), cases: days.map((d) => casesByDay.get(d) ?? 0) };
}

// ---- The whole set ----------------------------------------------------------------------------------------------

/** Every metric for one hotline, period and filter set. */
export async function computeMetrics(db: DbOrTx, hotlineId: string, q: MetricsQuery, options: ComputeOptions): Promise<MetricsResult> {
  const now = options.now ?? new Date();
  const threshold = options.threshold ?? DEFAULT_SUPPRESSION_THRESHOLD;
  const tz = await hotlineTimezone(db, hotlineId);
  const pub = new Publisher(options.suppress, threshold);
  const [b, live, sit, resp, qual, hasReferrals] = await Promise.all([
    accessBreakdowns(db, hotlineId, q, tz),
    liveAccess(db, hotlineId, q, tz, options.shortAbandonSeconds ?? 5, now),
    situations(db, hotlineId, q, tz),
    response(db, hotlineId, q, tz, now),
    quality(db, hotlineId, q, tz),
    tableExists(db, 'referral'),
  ]);
  const tr = trend(q, b.byDay, sit.byDay);

  const answered = Number(live.answered), abandoned = Number(live.abandoned), waiting = Number(live.waiting);
  const offered = await pub.breakdown(LIVE_OUTCOMES.map((k) => [k, k === 'answered' ? answered : k === 'abandoned' ? abandoned : waiting]));
  const within = pub.single(Number(live.within));
  const decided = answered + abandoned + waiting - Number(live.waiting_in_time);
  const isShown = (...cells: Cell[]) => cells.every((cell) => 'value' in cell);
  const byChannel = await pub.breakdown(ordered(b.byChannel, ['phone', 'sms', 'whatsapp', 'chat', 'email', 'webform', 'other']));

  const closed = Number(qual.closed);
  const missingPair = await pub.breakdown([['missing', Number(qual.missing_any)], ['complete', closed - Number(qual.missing_any)]]);
  const missingByField: Breakdown = { rows: [], total: missingPair.total };
  for (const f of KEY_FIELDS) {
    const pair = await pub.breakdown([['missing', Number(qual[`missing_${f}`])], ['present', closed - Number(qual[`missing_${f}`])]]);
    missingByField.rows.push({ key: f, cell: pair.rows[0].cell });
  }

  const victimsByGender = await pub.breakdown(ordered(sit.byGender));
  const casesOpened = await pub.breakdown(ordered(sit.byType, TRAFFICKING_CATEGORIES));
  // The buckets of a series add up to a published total (contacts, cases opened): suppressed as one table, so a lone
  // hidden day cannot be recovered as the total minus the others.
  const series = async (values: number[]) => (options.suppress ? (await pub.breakdown(values.map((n, i) => [String(i), n]))).rows.map((r) => displayCell(r.cell)) : values);
  const trendContacts = await series(tr.contacts);
  const trendCases = await series(tr.cases);
  const points: TrendPoint[] = tr.days.map((start, i) => ({ start, contacts: toNumberIfPossible(trendContacts[i]), casesOpened: toNumberIfPossible(trendCases[i]) }));

  return {
    period: { from: q.from, to: q.to, timezone: tz },
    filters: { ...(q.area && { area: q.area }), ...(q.channel && { channel: q.channel }), ...(q.requestType && { requestType: q.requestType }), ...(q.traffickingType && { traffickingType: q.traffickingType }) },
    isSuppressed: options.suppress,
    threshold,
    computedAt: now.toISOString(),
    access: {
      contacts: byChannel.total,
      byChannel,
      byRequestType: await pub.breakdown(ordered(b.byRequestType, [...DATA_REQUEST_TYPES])),
      bySignalerType: await pub.breakdown(ordered(b.bySignalerType)),
      byLanguage: await pub.breakdown(ordered(b.byLanguage)),
      byHeardAbout: await pub.breakdown(ordered(b.byHeardAbout)),
      byArea: await pub.breakdown(ordered(b.byArea).sort((x, y) => (x[0] === UNKNOWN ? 1 : y[0] === UNKNOWN ? -1 : y[1] - x[1] || x[0].localeCompare(y[0])))),
      hourByWeekday: await pub.heatmap(b.heat),
      live: {
        offered,
        shortAbandons: pub.single(Number(live.short_abandons)),
        answeredWithinTarget: within,
        serviceLevel: decided > 0 && isShown(within, offered.total) ? Number(live.within) / decided : null,
        abandonmentRate: answered + abandoned + waiting > 0 && isShown(offered.rows[1].cell, offered.total) ? abandoned / (answered + abandoned + waiting) : null,
        speedOfAnswerSeconds: pub.distribution({ n: live.asa_n, mean: live.asa_mean, median: live.asa_median, p90: live.asa_p90 }),
        handleSeconds: pub.distribution({ n: live.aht_n, mean: live.aht_mean, median: live.aht_median, p90: live.aht_p90 }),
      },
    },
    situations: {
      casesOpened,
      casesClosed: pub.single(sit.closed),
      openedByTypology: await pub.breakdown(ordered(sit.byTypology).sort((x, y) => typologyOrder(x[0]) - typologyOrder(y[0]))),
      openedByArea: await pub.breakdown(ordered(sit.byArea)),
      potentialVictims: victimsByGender.total,
      victimsBySexLevel: await pub.breakdown(ordered(sit.bySex, [...INDICATOR_LEVELS])),
      victimsByLabourLevel: await pub.breakdown(ordered(sit.byLabour, [...INDICATOR_LEVELS])),
      victimsByAgeGroup: await pub.breakdown(ordered(sit.byAge)),
      victimsByGender,
    },
    response: {
      tasks: await pub.breakdown(ordered(resp.tasks, TASK_OUTCOMES).filter(([k]) => k !== UNKNOWN)),
      reportsSent: await pub.breakdown(ordered(resp.sentByBasis, REPORT_BASES).filter(([k, v]) => k !== UNKNOWN || v > 0)),
      reportsByStatus: await pub.breakdown(ordered(resp.byStatus, REPORT_STATUSES).filter(([k]) => k !== UNKNOWN)),
      referrals: { isAvailable: hasReferrals },
    },
    quality: {
      closedDataContacts: missingPair.total,
      missingAny: missingPair.rows[0].cell,
      missingByField,
      documentationSeconds: pub.distribution({ n: closed, mean: qual.doc_mean, median: qual.doc_median, p90: qual.doc_p90 }),
    },
    trend: { bucket: tr.bucket, points },
  };
}

function toNumberIfPossible(v: number | string): number | string {
  return typeof v === 'number' || !/^\d+$/.test(v) ? v : Number(v);
}

function typologyOrder(code: string): number {
  const n = Number(String(code).replace(/\D/g, ''));
  return code === 'not_classified' || code === UNKNOWN ? 1000 : Number.isFinite(n) && n > 0 ? n : 999;
}

/** The live operations view: the queue now, and today's figures (hotline time). */
export async function computeLive(db: DbOrTx, hotlineId: string, filters: Omit<MetricsQuery, 'from' | 'to'>, options: ComputeOptions): Promise<LiveResult> {
  const now = options.now ?? new Date();
  const tz = await hotlineTimezone(db, hotlineId);
  const { rows } = await sql<{ today: string; tomorrow: string }>`
    select to_char((${now}::timestamptz at time zone ${tz})::date, 'YYYY-MM-DD') as today,
           to_char((${now}::timestamptz at time zone ${tz})::date + 1, 'YYYY-MM-DD') as tomorrow`.execute(db);
  const q: MetricsQuery = { ...filters, from: rows[0].today, to: rows[0].tomorrow };
  const [today, queue] = await Promise.all([
    computeMetrics(db, hotlineId, q, { ...options, now }),
    sql<{ waiting: string; in_progress: string; wrap_up: string; oldest: Date | null }>`
      select count(*) filter (where c.status = 'waiting') as waiting, count(*) filter (where c.status = 'in_progress') as in_progress,
             count(*) filter (where c.status = 'wrap_up') as wrap_up, min(c.received_at) filter (where c.status = 'waiting') as oldest
      from contact c where ${contactFilters(hotlineId, q)} and c.status <> 'closed'`.execute(db),
  ]);
  const r = queue.rows[0];
  // Current queue counts are operational (not published): the wall shows the same numbers to supervisors.
  return {
    now: now.toISOString(),
    waiting: Number(r.waiting),
    longestWaitSeconds: r.oldest ? Math.max(0, Math.round((now.getTime() - new Date(r.oldest).getTime()) / 1000)) : 0,
    inProgress: Number(r.in_progress),
    wrapUp: Number(r.wrap_up),
    today,
  };
}
