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
  EMERGENCY_KINDS, KEY_FIELDS, LIVE_OUTCOMES, REFERRAL_OUTCOMES, REFERRAL_STATES, REPORT_BASES, REPORT_STATUSES, TASK_OUTCOMES, TRAFFICKING_CATEGORIES, UNKNOWN, daysBetween,
  type Breakdown, type Cell, type Distribution, type Heatmap, type LiveResult, type MetricsQuery, type MetricsResult, type ReferralMetrics, type TrendPoint,
} from '../../shared/metrics/definitions.js';
import type { DbOrTx } from '../db/db.js';
import { percentileOf, searchesApply, type FactRow } from './facts.js';
import { readFacts } from './rollup.js';
import { staffedSeconds } from '../queue/availability.js';
import { COMPLEMENTARY_DISPLAY, DEFAULT_SUPPRESSION_THRESHOLD, displayCell, smallCellDisplay, suppressOneWay, suppressTree, suppressTwoWay, type CountTree, type PublishedTree } from './suppression.js';

export interface ComputeOptions {
  /** Hide small counts (readers without case access; anything published). */
  suppress: boolean;
  threshold?: number;
  /** Short abandon threshold in seconds (hotline voice configuration; default 5). */
  shortAbandonSeconds?: number;
  now?: Date;
  /** 'auto' (default): settled days from the daily roll-up; 'off': every day read from the records. */
  rollup?: 'auto' | 'off';
}

type Counts = Map<string, number>;

/** Everything a metric may be filtered by, as SQL over a contact aliased `c`. */
function contactFilters(hotlineId: string, q: MetricsQuery, alias = 'c'): RawBuilder<boolean> {
  const c = sql.raw(alias);
  const parts: RawBuilder<unknown>[] = [sql`${c}.hotline_id = ${hotlineId}`];
  if (q.area) parts.push(sql`${c}.area_code = ${q.area}`);
  if (q.channel) parts.push(sql`${c}.channel = ${q.channel}`);
  if (q.requestType) parts.push(sql`${c}.request_type = ${q.requestType}`);
  return sql<boolean>`(${sql.join(parts, sql` and `)})`;
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

/** The facts of a period summed over days: counts and sums per fact and key, and per trend bucket. */
class Facts {
  private readonly byKey = new Map<string, Map<string, { n: number; total: number }>>();
  private readonly byBucket = new Map<string, Counts>();

  constructor(rows: Iterable<FactRow>) {
    for (const r of rows) {
      const keys = this.byKey.get(r.fact) ?? new Map<string, { n: number; total: number }>();
      this.byKey.set(r.fact, keys);
      const cell = keys.get(r.key) ?? { n: 0, total: 0 };
      cell.n += Number(r.n);
      cell.total += Number(r.total);
      keys.set(r.key, cell);
      if (r.bucket) {
        const buckets = this.byBucket.get(r.fact) ?? new Map<string, number>();
        this.byBucket.set(r.fact, buckets);
        buckets.set(r.bucket, (buckets.get(r.bucket) ?? 0) + Number(r.n));
      }
    }
  }

  counts(fact: string): Counts {
    return new Map([...(this.byKey.get(fact) ?? new Map<string, { n: number }>()).entries()].map(([k, v]) => [k, v.n]));
  }

  n(fact: string, key: string): number {
    return this.byKey.get(fact)?.get(key)?.n ?? 0;
  }

  buckets(fact: string): Counts {
    return this.byBucket.get(fact) ?? new Map();
  }

  /** Count, exact mean, and median and p90 from the histogram buckets (facts.ts says how exact). */
  distribution(fact: string) {
    const buckets = [...(this.byKey.get(fact) ?? new Map<string, { n: number; total: number }>()).entries()].map(([k, v]) => ({ index: Number(k), ...v }));
    const n = buckets.reduce((s, b) => s + b.n, 0);
    const sum = buckets.reduce((s, b) => s + b.total, 0);
    return { n, mean: n ? sum / n : null, median: percentileOf(buckets, 0.5), p90: percentileOf(buckets, 0.9) };
  }
}

/** Every metric for one hotline, period and filter set. */
export async function computeMetrics(db: DbOrTx, hotlineId: string, q: MetricsQuery, options: ComputeOptions): Promise<MetricsResult> {
  const now = options.now ?? new Date();
  const threshold = options.threshold ?? DEFAULT_SUPPRESSION_THRESHOLD;
  const tz = await hotlineTimezone(db, hotlineId);
  const pub = new Publisher(options.suppress, threshold);
  const { from, to, ...filters } = q;
  const read = await readFacts(db, { hotlineId, tz, from, to, now, shortAbandonSeconds: options.shortAbandonSeconds ?? 5, filters, unit: bucketOf(q) }, { rollup: options.rollup });
  const f = new Facts([...read.rows.values()].flat());
  const tr = trend(q, f.buckets('contact.channel'), f.buckets('case.type'));

  const answered = f.n('live.outcome', 'answered'), abandoned = f.n('live.outcome', 'abandoned'), waiting = f.n('live.outcome', 'waiting');
  // Occupancy: the whole hotline only; hidden with the handle times it is made of when they are too few to show.
  const handled = f.distribution('live.aht');
  const staffed = Object.values(filters).some(Boolean) ? null : await staffedSeconds(db, hotlineId, tz, from, to, now);
  const occupancy = staffed && staffed.seconds > 0 && handled.n > 0 && !(options.suppress && handled.n < threshold) ? (handled.n * handled.mean!) / staffed.seconds : null;
  const offered = await pub.breakdown(LIVE_OUTCOMES.map((k) => [k, k === 'answered' ? answered : k === 'abandoned' ? abandoned : waiting]));
  const within = pub.single(f.n('live.outcome', 'within'));
  const decided = answered + abandoned + waiting - f.n('live.outcome', 'waiting_in_time');
  const isShown = (...cells: Cell[]) => cells.every((cell) => 'value' in cell);
  const byChannel = await pub.breakdown(ordered(f.counts('contact.channel'), ['phone', 'sms', 'whatsapp', 'chat', 'email', 'webform', 'other']));

  const closed = f.n('quality.closed', '');
  const missingAny = f.n('quality.missing', 'any');
  const missingPair = await pub.breakdown([['missing', missingAny], ['complete', closed - missingAny]]);
  const missingByField: Breakdown = { rows: [], total: missingPair.total };
  for (const field of KEY_FIELDS) {
    const pair = await pub.breakdown([['missing', f.n('quality.missing', field)], ['present', closed - f.n('quality.missing', field)]]);
    missingByField.rows.push({ key: field, cell: pair.rows[0].cell });
  }

  const heat = Array.from({ length: 24 }, () => Array(7).fill(0) as number[]);
  for (const [key, n] of f.counts('contact.hour')) {
    const [hour, dow] = key.split(':').map(Number);
    heat[hour][dow] += n;
  }

  const victimsByGender = await pub.breakdown(ordered(f.counts('victim.gender')));
  const casesOpened = await pub.breakdown(ordered(f.counts('case.type'), TRAFFICKING_CATEGORIES));
  // The buckets of a series add up to a published total (contacts, cases opened): suppressed as one table, so a lone
  // hidden day cannot be recovered as the total minus the others.
  const series = async (values: number[]) => (options.suppress ? (await pub.breakdown(values.map((n, i) => [String(i), n]))).rows.map((r) => displayCell(r.cell)) : values);
  const trendContacts = await series(tr.contacts);
  const trendCases = await series(tr.cases);
  const points: TrendPoint[] = tr.days.map((start, i) => ({ start, contacts: toNumberIfPossible(trendContacts[i]), casesOpened: toNumberIfPossible(trendCases[i]) }));
  const referrals = await referralFigures(f, pub, searchesApply(filters));

  return {
    period: { from: q.from, to: q.to, timezone: tz },
    filters: { ...(q.area && { area: q.area }), ...(q.channel && { channel: q.channel }), ...(q.requestType && { requestType: q.requestType }), ...(q.traffickingType && { traffickingType: q.traffickingType }) },
    isSuppressed: options.suppress,
    threshold,
    computedAt: now.toISOString(),
    access: {
      contacts: byChannel.total,
      byChannel,
      byRequestType: await pub.breakdown(ordered(f.counts('contact.request_type'), [...DATA_REQUEST_TYPES])),
      bySignalerType: await pub.breakdown(ordered(f.counts('contact.signaler'))),
      byLanguage: await pub.breakdown(ordered(f.counts('contact.language'))),
      byHeardAbout: await pub.breakdown(ordered(f.counts('contact.heard'))),
      byArea: await pub.breakdown(ordered(f.counts('contact.area')).sort((x, y) => (x[0] === UNKNOWN ? 1 : y[0] === UNKNOWN ? -1 : y[1] - x[1] || x[0].localeCompare(y[0])))),
      hourByWeekday: await pub.heatmap(heat),
      live: {
        offered,
        shortAbandons: pub.single(f.n('live.outcome', 'short')),
        answeredWithinTarget: within,
        serviceLevel: decided > 0 && isShown(within, offered.total) ? f.n('live.outcome', 'within') / decided : null,
        abandonmentRate: answered + abandoned + waiting > 0 && isShown(offered.rows[1].cell, offered.total) ? abandoned / (answered + abandoned + waiting) : null,
        speedOfAnswerSeconds: pub.distribution(f.distribution('live.asa')),
        handleSeconds: pub.distribution(f.distribution('live.aht')),
        occupancy,
      },
    },
    situations: {
      casesOpened,
      casesClosed: pub.single(f.n('case.closed', '')),
      openedByTypology: await pub.breakdown(ordered(f.counts('case.typology')).sort((x, y) => typologyOrder(x[0]) - typologyOrder(y[0]))),
      openedByArea: await pub.breakdown(ordered(f.counts('case.area'))),
      potentialVictims: victimsByGender.total,
      victimsBySexLevel: await pub.breakdown(ordered(f.counts('victim.sex'), [...INDICATOR_LEVELS])),
      victimsByLabourLevel: await pub.breakdown(ordered(f.counts('victim.labour'), [...INDICATOR_LEVELS])),
      victimsByAgeGroup: await pub.breakdown(ordered(f.counts('victim.age'))),
      victimsByGender,
      emergencyRequests: referrals.emergency,
      emergencyKindsNotAvailable: ['extraction'],
    },
    response: {
      tasks: await pub.breakdown(ordered(f.counts('task.outcome'), TASK_OUTCOMES).filter(([k]) => k !== UNKNOWN)),
      reportsSent: await pub.breakdown(ordered(f.counts('report.sent'), REPORT_BASES).filter(([k, v]) => k !== UNKNOWN || v > 0)),
      reportsByStatus: await pub.breakdown(ordered(f.counts('report.status'), REPORT_STATUSES).filter(([k]) => k !== UNKNOWN)),
      referrals: referrals.metrics,
    },
    quality: {
      closedDataContacts: missingPair.total,
      missingAny: missingPair.rows[0].cell,
      missingByField,
      documentationSeconds: pub.distribution(f.distribution('quality.doc')),
    },
    trend: { bucket: tr.bucket, points },
  };
}

/**
 * Referral figures, published as trees so the linked tables agree: referrals made by state, the accepted ones by
 * outcome (their total is the accepted count); needs referred by need, each split into unmet and taken up (only the
 * unmet part is published); emergency requests are the emergency needs' cells of that same tree, with a subtotal shown
 * only when both of its cells are.
 */
async function referralFigures(f: Facts, pub: Publisher, hasSearches: boolean): Promise<{ metrics: ReferralMetrics; emergency: Breakdown }> {
  const leaf = (key: string, value: number): CountTree => ({ key, value });
  const made: CountTree = {
    key: 'made',
    children: REFERRAL_STATES.map((state) => (state === 'accepted' ? { key: state, children: REFERRAL_OUTCOMES.map((o) => leaf(o, f.n('referral.outcome', o))) } : leaf(state, f.n('referral.status', state)))),
  };
  const referred = f.counts('need.referred');
  const needKeys = [...new Set([...EMERGENCY_KINDS, ...referred.keys()])].sort((a, b) => (EMERGENCY_KINDS.includes(a as never) ? 0 : 1) - (EMERGENCY_KINDS.includes(b as never) ? 0 : 1) || a.localeCompare(b));
  const needs: CountTree = {
    key: 'needs',
    children: needKeys.map((need) => ({ key: need, children: [leaf('unmet', f.n('need.unmet', need)), leaf('taken_up', (referred.get(need) ?? 0) - f.n('need.unmet', need))] })),
  };
  const [madeP, needsP] = pub.suppress ? await Promise.all([suppressTree(made, { threshold: pub.threshold }), suppressTree(needs, { threshold: pub.threshold })]) : [exactTree(made), exactTree(needs)];
  const accepted = madeP.children!.find((c) => c.key === 'accepted')!;
  const needsReferred: Breakdown = { rows: needsP.children!.map((c) => ({ key: c.key, cell: c.cell })), total: needsP.cell };
  // Unmet per need: the "unmet" cells; their sum is not a published total of the tree, so it is shown only when every cell is.
  const unmetRows = needsP.children!.map((c) => ({ key: c.key, cell: c.children![0].cell }));
  const unmetNeeds: Breakdown = { rows: unmetRows.filter((r) => !('value' in r.cell) || r.cell.value > 0 || referred.has(r.key)), total: subtotal(unmetRows.map((r) => r.cell), pub) };
  const emergencyRows = needsReferred.rows.filter((r) => EMERGENCY_KINDS.includes(r.key as never));
  const emergency: Breakdown = { rows: emergencyRows, total: subtotal(emergencyRows.map((r) => r.cell), pub) };
  return {
    emergency,
    metrics: {
      isAvailable: true,
      made: { rows: madeP.children!.map((c) => ({ key: c.key, cell: c.cell })), total: madeP.cell },
      outcomes: { rows: accepted.children!.map((c) => ({ key: c.key, cell: c.cell })), total: accepted.cell },
      acknowledgeSeconds: pub.distribution(f.distribution('referral.ack')),
      needsReferred: { rows: needsReferred.rows.filter((r) => EMERGENCY_KINDS.includes(r.key as never) || referred.has(r.key)), total: needsReferred.total },
      unmetNeeds,
      needsWithoutPartner: hasSearches ? await pub.breakdown(ordered(f.counts('search.no_partner')).filter(([k]) => k !== UNKNOWN)) : null,
    },
  };
}

function exactTree(node: CountTree): PublishedTree {
  const children = node.children?.map(exactTree);
  const value = children ? children.reduce((s, c) => s + ('value' in c.cell ? c.cell.value : 0), 0) : (node.value ?? 0);
  return { key: node.key, cell: { value }, ...(children && { children }) };
}

/** A sum of published cells that no table publishes as a total: shown only when every part is shown. */
function subtotal(cells: Cell[], pub: Publisher): Cell {
  if (cells.every((c) => 'value' in c)) return { value: cells.reduce((s, c) => s + ('value' in c ? c.value : 0), 0) };
  return { suppressed: true, display: pub.suppress ? COMPLEMENTARY_DISPLAY : 'x' };
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
