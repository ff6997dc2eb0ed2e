/**
 * The daily metrics roll-up (issue 8): the facts of src/server/metrics/facts.ts, summed per hotline × local day ×
 * grain (no filter, one of area, channel, request type, trafficking type, or a pair of them: migration 0029) and
 * stored in `metrics_rollup` (migration 0022). Only settled days are rolled up (two or more days old in hotline time); today and yesterday are
 * always read live, and so is a day a later write marked dirty until it is rolled up again. The poller
 * (`refreshRollups`, run beside the scheduled reports) re-rolls dirty days and fills missing ones; a read also rolls up
 * a few missing settled days itself.
 */
import { sql } from 'kysely';
import { voiceConfigSchema, DEFAULT_VOICE_CONFIG } from '../../shared/api/voice.js';
import { publishedConfig } from '../config-store.js';
import type { Db, DbOrTx } from '../db/db.js';
import { FAMILIES, FAMILY_PREFIXES, TREND_FACTS, familyFilters, liveFactsSql, unitsOf, type Family, type FactRow, type FactScope } from './facts.js';

const DAY_MS = 86_400_000;
export const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const addMonths = (month: string, n: number) => {
  const d = new Date(`${month}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + n, 1);
  return d.toISOString().slice(0, 10);
};

/** Today in the hotline's time zone (YYYY-MM-DD). */
export async function localToday(db: DbOrTx, tz: string, now: Date): Promise<string> {
  const { rows } = await sql<{ d: string }>`select to_char((${now}::timestamptz at time zone ${tz})::date, 'YYYY-MM-DD') as d`.execute(db);
  return rows[0].d;
}

/** The first day that is not settled: days before it may be rolled up. */
export const settledBefore = (today: string) => addDays(today, -1);

export async function shortAbandonOf(db: DbOrTx, hotlineId: string): Promise<number> {
  return (await publishedConfig(db, hotlineId, 'voice', voiceConfigSchema, DEFAULT_VOICE_CONFIG)).data.shortAbandonSeconds;
}

/**
 * Rolls up the local days [from, to) of one hotline (callers keep `to` at or before `settledBefore`): one transaction,
 * serialised per hotline by an advisory lock; dirty marks of those days are cleared in the same transaction, so a
 * write committed after its snapshot marks the day again.
 */
export async function rollupDays(db: Db, hotlineId: string, from: string, to: string, options: { now?: Date; shortAbandonSeconds?: number } = {}): Promise<number> {
  if (from >= to) return 0;
  const now = options.now ?? new Date();
  const shortAbandonSeconds = options.shortAbandonSeconds ?? (await shortAbandonOf(db, hotlineId));
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtext('metrics_rollup'), hashtext(${hotlineId}))`.execute(tx);
    await sql`set local jit = off`.execute(tx);
    const tz = (await tx.selectFrom('hotline').select('timezone').where('id', '=', hotlineId).executeTakeFirstOrThrow()).timezone;
    await sql`delete from metrics_rollup_dirty where hotline_id = ${hotlineId} and day >= ${from}::date and day < ${to}::date`.execute(tx);
    await sql`delete from metrics_rollup where hotline_id = ${hotlineId} and day >= ${from}::date and day < ${to}::date`.execute(tx);
    await sql`delete from metrics_rollup_day where hotline_id = ${hotlineId} and day >= ${from}::date and day < ${to}::date`.execute(tx);
    const scope: FactScope = { hotlineId, tz, from, to, now, shortAbandonSeconds, filters: {}, unit: 'day' };
    let rows = 0;
    for (const family of FAMILIES) {
      await sql`create temporary table metrics_units on commit drop as ${unitsOf(family, scope)}`.execute(tx);
      const insert = (select: ReturnType<typeof sql>) => sql`insert into metrics_rollup (hotline_id, day, grain, grain_value, fact, key, n, total) ${select}`.execute(tx);
      // No filter, one filter, and every pair of filters: grouping() has a bit per dimension, 1 when it is not grouped.
      const dims = family === 'contact' ? ['area', 'channel', 'f3'] : family === 'case' ? ['area', 'channel'] : ['area'];
      const grains = family === 'contact' ? ['area', 'channel', 'request_type'] : ['area', 'channel'];
      const grouped = await insert(groupedFacts(tx, hotlineId, dims, grains, 'metrics_units'));
      rows += Number(grouped.numAffectedRows ?? 0);
      if (family === 'case') {
        // A case of both types counts under each: its types are an array, unnested; alone and beside area or channel.
        await sql`create temporary table metrics_typed on commit drop as
          select day, fact, key, val, area, channel, tt from metrics_units cross join lateral unnest(f3) tt where tt in ('sex', 'labour')`.execute(tx);
        const typed = await insert(groupedFacts(tx, hotlineId, ['area', 'channel', 'tt'], ['area', 'channel', 'trafficking_type'], 'metrics_typed', 'tt'));
        rows += Number(typed.numAffectedRows ?? 0);
        await sql`drop table metrics_typed`.execute(tx);
      }
      await sql`drop table metrics_units`.execute(tx);
    }
    await sql`
      insert into metrics_rollup_day (hotline_id, day, computed_at, short_abandon_seconds)
      select ${hotlineId}, d::date, ${now}, ${shortAbandonSeconds} from generate_series(${from}::date, ${to}::date - 1, interval '1 day') d`.execute(tx);
    // The months these days are in, summed again when every one of their days is rolled up and clean.
    const monthFrom = `${from.slice(0, 7)}-01`;
    const monthTo = addMonths(`${addDays(to, -1).slice(0, 7)}-01`, 1);
    await sql`delete from metrics_rollup_month where hotline_id = ${hotlineId} and month >= ${monthFrom}::date and month < ${monthTo}::date`.execute(tx);
    await sql`
      insert into metrics_rollup_month (hotline_id, month, grain, grain_value, fact, key, n, total)
      select r.hotline_id, date_trunc('month', r.day)::date, r.grain, r.grain_value, r.fact, r.key, sum(r.n), sum(r.total)
      from metrics_rollup r
      where r.hotline_id = ${hotlineId} and r.day >= ${monthFrom}::date and r.day < ${monthTo}::date
        and date_trunc('month', r.day) in (
          select date_trunc('month', d.day) from metrics_rollup_day d
          where d.hotline_id = ${hotlineId} and d.day >= ${monthFrom}::date and d.day < ${monthTo}::date and d.short_abandon_seconds = ${shortAbandonSeconds}
            and not exists (select 1 from metrics_rollup_dirty x where x.hotline_id = d.hotline_id and x.day = d.day)
          group by 1 having count(*) = extract(day from date_trunc('month', d.day) + interval '1 month' - interval '1 day'))
      group by 1, 2, 3, 4, 5, 6`.execute(tx);
    return rows;
  });
}

/** Days of [from, to) (all before `settledBefore`) that are rolled up, clean, and rolled with this short-abandon rule. */
async function usableDays(db: DbOrTx, hotlineId: string, from: string, to: string, shortAbandonSeconds: number): Promise<Set<string>> {
  if (from >= to) return new Set();
  const { rows } = await sql<{ d: string }>`
    select to_char(r.day, 'YYYY-MM-DD') as d from metrics_rollup_day r
    where r.hotline_id = ${hotlineId} and r.day >= ${from}::date and r.day < ${to}::date and r.short_abandon_seconds = ${shortAbandonSeconds}
      and not exists (select 1 from metrics_rollup_dirty x where x.hotline_id = r.hotline_id and x.day = r.day)`.execute(db);
  return new Set(rows.map((r) => r.d));
}

function runsOf(days: string[]): [string, string][] {
  const runs: [string, string][] = [];
  for (const d of days) {
    const last = runs[runs.length - 1];
    if (last && last[1] === d) last[1] = addDays(d, 1);
    else runs.push([d, addDays(d, 1)]);
  }
  return runs;
}

export interface FactsPlan {
  /** Local days read from the roll-up. */
  rolledDays: number;
  /** Day ranges read live. */
  liveRanges: [string, string][];
  /** Whole months (of the rolled days) read from the month sums. */
  months: number;
}

/**
 * One grouping-sets statement over a temporary table of fact units: every grouping of at most two of `dims` (no
 * filter, one filter, a pair), named by `grains` ('area', 'area+channel', …; values joined by '|'). With `required`,
 * only the groupings that include that dimension (the trafficking type, whose units are unnested).
 */
function groupedFacts(tx: DbOrTx, hotlineId: string, dims: string[], grains: string[], table: string, required?: string) {
  const allBits = (1 << dims.length) - 1;
  const bitOf = (i: number) => 1 << (dims.length - 1 - i);
  const subsets: number[][] = [[]];
  dims.forEach((_, i) => subsets.push([i]));
  dims.forEach((_, i) => dims.forEach((__, j) => { if (j > i) subsets.push([i, j]); }));
  const chosen = required === undefined ? subsets : subsets.filter((set) => set.includes(dims.indexOf(required)));
  const bits = `grouping(${dims.join(', ')})`;
  const sets = chosen.map((set) => `(${['day', 'fact', 'key', ...set.map((i) => dims[i])].join(', ')})`).join(', ');
  const whenOf = (set: number[]) => allBits & ~set.reduce((b, i) => b | bitOf(i), 0);
  const grainCase = `case ${bits} ${chosen.map((set) => `when ${whenOf(set)} then '${set.length === 0 ? 'all' : set.map((i) => grains[i]).join('+')}'`).join(' ')} end`;
  const valueCase = `case ${bits} ${chosen.map((set) => `when ${whenOf(set)} then ${set.length === 0 ? "''" : set.map((i) => `${dims[i]}::text`).join(" || '|' || ")}`).join(' ')} end`;
  // A grouping whose value is unknown (no area recorded) is not a filter anyone can choose: left out, as before.
  return sql`
    select ${hotlineId}::uuid, day::date, grain, value, fact, key, n, total from (
      select day, fact, key, count(*) as n, coalesce(sum(val), 0) as total, ${sql.raw(grainCase)} as grain, ${sql.raw(valueCase)} as value
      from ${sql.table(table)} group by grouping sets (${sql.raw(sets)})) g
    where grain = 'all' or value is not null`;
}

export interface ReadOptions {
  /** 'auto' (default): roll-up where usable; 'off': everything live (the raw path). */
  rollup?: 'auto' | 'off';
  /** Settled days missing from the roll-up that a read rolls up itself before reading (more: read live). */
  rollOnReadMax?: number;
}

/**
 * The facts of [scope.from, scope.to) for the scope's filters: rolled-up days from `metrics_rollup`, the others live.
 * The roll-up keeps no filter, one filter and every pair; a view with three filters on one family is read live.
 */
export async function readFacts(db: DbOrTx, scope: FactScope, options: ReadOptions = {}): Promise<{ rows: Map<Family, FactRow[]>; plan: FactsPlan }> {
  const grains = new Map(FAMILIES.map((f) => [f, familyFilters(f, scope.filters)]));
  const usable = options.rollup !== 'off' && [...grains.values()].every((g) => g.length <= 2);
  const today = await localToday(db, scope.tz, scope.now);
  const settledEnd = settledBefore(today) < scope.to ? settledBefore(today) : scope.to;
  let rolled = new Set<string>();
  if (usable && scope.from < settledEnd) {
    rolled = await usableDays(db, scope.hotlineId, scope.from, settledEnd, scope.shortAbandonSeconds);
    const missing = allDays(scope.from, settledEnd).filter((d) => !rolled.has(d));
    // Inside a caller's transaction (the scheduled report) nothing is rolled up: the roll-up has its own transaction.
    if (missing.length > 0 && missing.length <= (options.rollOnReadMax ?? 7) && !db.isTransaction) {
      for (const [a, b] of runsOf(missing)) await rollupDays(db as Db, scope.hotlineId, a, b, { now: scope.now, shortAbandonSeconds: scope.shortAbandonSeconds });
      rolled = await usableDays(db, scope.hotlineId, scope.from, settledEnd, scope.shortAbandonSeconds);
    }
  }
  const days = allDays(scope.from, scope.to);
  let live = runsOf(days.filter((d) => !rolled.has(d)));
  if (live.length > 4) {
    // Many scattered gaps: one live span over them; only the days outside it come from the roll-up.
    const span: [string, string] = [live[0][0], live[live.length - 1][1]];
    live = [span];
    rolled = new Set([...rolled].filter((d) => d < span[0] || d >= span[1]));
  }
  // With monthly buckets, whole months of usable days are read from the month sums; the other rolled days one by one.
  const fullMonths: string[] = [];
  if (scope.unit === 'month') {
    for (let m = `${scope.from.slice(0, 7)}-01`; m < scope.to; m = addMonths(m, 1)) {
      const next = addMonths(m, 1);
      if (m >= scope.from && next <= settledEnd && allDays(m, next).every((d) => rolled.has(d))) fullMonths.push(m);
    }
  }
  const inFullMonth = new Set(fullMonths);
  const dayList = [...rolled].filter((d) => !inFullMonth.has(`${d.slice(0, 7)}-01`));
  const out = new Map<Family, FactRow[]>();
  await Promise.all(
    FAMILIES.map(async (family) => {
      const rows: FactRow[] = [];
      const parts: Promise<unknown>[] = live.flatMap(([a, b]) => liveFactsSql(family, { ...scope, from: a, to: b }).map(async (q) => rows.push(...(await withoutJit(db, q)))));
      // No filter: 'all'; one: its grain; two: the pair in familyFilters' order ('area+channel', 'CA-ON|phone').
      const filters = grains.get(family)!;
      const grain = filters.length === 0 ? { grain: 'all', value: '' } : { grain: filters.map((f) => f.grain).join('+'), value: filters.map((f) => f.value).join('|') };
      const ofFamily = sql`split_part(fact, '.', 1) in (${sql.join(FAMILY_PREFIXES[family])})`;
      const trendBucket = (column: string) => sql`case when fact in (${sql.join([...TREND_FACTS])}) then to_char(date_trunc(${sql.lit(scope.unit)}, ${sql.ref(column)}), 'YYYY-MM-DD') else '' end`;
      if (dayList.length > 0) {
        parts.push(
          (async () => {
            const { rows: r } = await sql<FactRow>`
              select ${trendBucket('day')} as bucket, fact, key, sum(n)::int as n, sum(total)::float8 as total
              from metrics_rollup
              where hotline_id = ${scope.hotlineId} and grain = ${grain.grain} and grain_value = ${grain.value} and ${ofFamily}
                and day >= ${scope.from}::date and day < ${settledEnd}::date and day = any(${dayList}::date[])
              group by 1, 2, 3`.execute(db);
            rows.push(...r);
          })(),
        );
      }
      if (fullMonths.length > 0) {
        parts.push(
          (async () => {
            const { rows: r } = await sql<FactRow>`
              select ${trendBucket('month')} as bucket, fact, key, sum(n)::int as n, sum(total)::float8 as total
              from metrics_rollup_month
              where hotline_id = ${scope.hotlineId} and grain = ${grain.grain} and grain_value = ${grain.value} and ${ofFamily}
                and month = any(${fullMonths}::date[])
              group by 1, 2, 3`.execute(db);
            rows.push(...r);
          })(),
        );
      }
      await Promise.all(parts);
      out.set(family, rows);
    }),
  );
  return { rows: out, plan: { rolledDays: rolled.size, liveRanges: live, months: fullMonths.length } };
}

/**
 * Runs a metrics query with JIT compilation off: these aggregate queries are estimated expensive enough for PostgreSQL
 * to JIT-compile them, which costs more (about 1–2 s measured) than it saves at these sizes.
 */
async function withoutJit<T>(db: DbOrTx, query: { execute: (db: DbOrTx) => Promise<{ rows: T[] }> }): Promise<T[]> {
  if (db.isTransaction) {
    await sql`set local jit = off`.execute(db);
    return (await query.execute(db)).rows;
  }
  return (db as Db).transaction().execute(async (tx) => {
    await sql`set local jit = off`.execute(tx);
    return (await query.execute(tx)).rows;
  });
}

function allDays(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d < to; d = addDays(d, 1)) out.push(d);
  return out;
}

/**
 * Keeps the roll-up fresh: re-rolls dirty days and rolls up missing settled days (newest first, `maxDays` per hotline
 * per call, so a first backfill spreads over several ticks). Returns the days rolled up.
 */
export async function refreshRollups(db: Db, now = new Date(), { maxDays = 62, backfillDays = 5 * 366 }: { maxDays?: number; backfillDays?: number } = {}): Promise<number> {
  const hotlines = await db.selectFrom('hotline').select(['id', 'timezone']).execute();
  let total = 0;
  for (const h of hotlines) {
    const today = await localToday(db, h.timezone, now);
    const end = settledBefore(today);
    const start = addDays(end, -backfillDays);
    const shortAbandonSeconds = await shortAbandonOf(db, h.id);
    // From the first contact on: days dirty, not rolled, or rolled with another short-abandon rule; newest first.
    const first = await sql<{ d: string | null }>`select to_char((min(received_at) at time zone ${h.timezone})::date, 'YYYY-MM-DD') as d from contact where hotline_id = ${h.id}`.execute(db);
    const from = first.rows[0]?.d && first.rows[0].d > start ? first.rows[0].d : start;
    if (!first.rows[0]?.d || from >= end) continue;
    const { rows } = await sql<{ d: string }>`
      select to_char(x.d, 'YYYY-MM-DD') as d from generate_series(${from}::date, ${end}::date - 1, interval '1 day') x(d)
      where not exists (select 1 from metrics_rollup_day r where r.hotline_id = ${h.id} and r.day = x.d::date and r.short_abandon_seconds = ${shortAbandonSeconds}
                          and not exists (select 1 from metrics_rollup_dirty y where y.hotline_id = r.hotline_id and y.day = r.day))
      order by 1 desc limit ${maxDays}`.execute(db);
    for (const [a, b] of runsOf(rows.map((r) => r.d).sort())) {
      await rollupDays(db, h.id, a, b, { now, shortAbandonSeconds });
      total += Math.round((Date.parse(b) - Date.parse(a)) / DAY_MS);
    }
  }
  return total;
}
