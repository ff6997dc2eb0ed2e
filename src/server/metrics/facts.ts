/**
 * Metric facts (docs/metrics.md, issue 8): every figure of the dashboards is a sum of counts per hotline × local day ×
 * fact × key. The same SQL feeds the live path (a period read straight from the records) and the daily roll-up
 * (src/server/metrics/rollup.ts), so both give the same figures by construction; the tests check it.
 *
 * A fact row is one count (`n`) and a sum of values (`total`, for means). Durations are counted in histogram buckets
 * (`key` = bucket index): 1-second buckets under 10 s, then buckets 10 % wide. Medians and p90 are read from the
 * buckets with each bucket standing for the mean of its values: exact when a bucket's values are equal (whole
 * seconds under 10 s, or one value per bucket), otherwise within one bucket (10 %). Means are exact.
 *
 * Families, and the filters that apply to them:
 * - contact facts (contacts, live access, quality, tasks, reports): area, channel, request type of the contact;
 * - case facts (cases, victims, referrals, needs): area and channel of the case's first contact, trafficking type;
 * - search facts (need searches that found no partner): area only.
 */
import '../cases/schema.js';
import '../assessment/schema.js';
import '../channels/voice/voice.schema.js';
import '../referrals/schema.js';
import { sql, type RawBuilder } from 'kysely';
import { INDICATOR_LEVELS } from '../../shared/assessment/vocabulary.js';
import { DATA_REQUEST_TYPES } from '../../shared/intake.js';
import { KEY_FIELDS, type MetricsQuery } from '../../shared/metrics/definitions.js';

export type Family = 'contact' | 'case' | 'search';
export const FAMILIES: Family[] = ['contact', 'case', 'search'];
/** The first part of a fact's name says its family. */
export const FAMILY_PREFIXES: Record<Family, string[]> = { contact: ['contact', 'live', 'quality', 'task', 'report'], case: ['case', 'victim', 'referral', 'need'], search: ['search'] };

/** Facts whose rows keep their day (or month) bucket: the trend reads them per bucket. */
export const TREND_FACTS = ['contact.channel', 'case.type'] as const;

export interface FactRow {
  bucket: string;
  fact: string;
  key: string;
  n: number;
  total: number;
}

/** The filter a family is read at: at most one dimension for the roll-up (more: the live path). */
export interface Grain {
  grain: 'all' | 'area' | 'channel' | 'request_type' | 'trafficking_type';
  value: string;
}

export function familyFilters(family: Family, q: Omit<MetricsQuery, 'from' | 'to'>): Grain[] {
  const out: Grain[] = [];
  if (q.area) out.push({ grain: 'area', value: q.area });
  if (family === 'search') return out;
  if (q.channel) out.push({ grain: 'channel', value: q.channel });
  if (family === 'contact' && q.requestType) out.push({ grain: 'request_type', value: q.requestType });
  if (family === 'case' && q.traffickingType) out.push({ grain: 'trafficking_type', value: q.traffickingType });
  return out;
}

/** Whether need searches are in the view at all: they have no channel, request type or trafficking type. */
export function searchesApply(q: Omit<MetricsQuery, 'from' | 'to'>): boolean {
  return !q.channel && !q.requestType && !q.traffickingType;
}

const RATIO = 1.1;
/** SQL: the histogram bucket of a duration in seconds (1-second buckets under 10 s, then 10 % wide). */
export const bucketSql = (seconds: RawBuilder<unknown>) =>
  sql<string>`(case when greatest(${seconds}, 0) < 10 then floor(greatest(${seconds}, 0))::int else 10 + floor(ln(${seconds} / 10.0) / ln(${RATIO}))::int end)::text`;

/** percentile_cont over the values the buckets stand for (each bucket: n copies of its mean). */
export function percentileOf(buckets: { n: number; total: number; index: number }[], p: number): number | null {
  const sorted = buckets.filter((b) => b.n > 0).sort((a, b) => a.index - b.index);
  const count = sorted.reduce((s, b) => s + b.n, 0);
  if (count === 0) return null;
  const rank = p * (count - 1);
  const at = (position: number) => {
    let seen = 0;
    for (const b of sorted) {
      seen += b.n;
      if (position < seen) return b.total / b.n;
    }
    const last = sorted[sorted.length - 1];
    return last.total / last.n;
  };
  const lo = Math.floor(rank), hi = Math.ceil(rank);
  const a = at(lo), b = at(hi);
  return a + (rank - lo) * (b - a);
}

export interface FactScope {
  hotlineId: string;
  tz: string;
  /** Local days [from, to). */
  from: string;
  to: string;
  now: Date;
  shortAbandonSeconds: number;
  filters: Omit<MetricsQuery, 'from' | 'to'>;
  /** 'day' or 'month': how TREND_FACTS rows are bucketed ('day' when building the roll-up). */
  unit: 'day' | 'month';
}

const isDataContact = sql<boolean>`(c.request_type is null or c.request_type in (${sql.join([...DATA_REQUEST_TYPES])}))`;
const local = (ts: RawBuilder<unknown>, tz: string) => sql`(${ts} at time zone ${tz})`;
const dayOf = (ts: RawBuilder<unknown>, tz: string) => sql<string>`to_char(${local(ts, tz)}, 'YYYY-MM-DD')`;
const LIVE_CHANNELS = ['phone', 'chat'];
export const EMERGENCY_NEEDS = ['emergency_shelter', 'transport'] as const;

function range(s: FactScope, column: RawBuilder<unknown>) {
  return sql`${column} >= ((${s.from}::date)::timestamp at time zone ${s.tz}) and ${column} < ((${s.to}::date)::timestamp at time zone ${s.tz})`;
}

function contactWhere(s: FactScope, alias = 'c') {
  const c = sql.raw(alias);
  const parts: RawBuilder<unknown>[] = [sql`${c}.hotline_id = ${s.hotlineId}`];
  if (s.filters.area) parts.push(sql`${c}.area_code = ${s.filters.area}`);
  if (s.filters.channel) parts.push(sql`${c}.channel = ${s.filters.channel}`);
  if (s.filters.requestType) parts.push(sql`${c}.request_type = ${s.filters.requestType}`);
  return sql.join(parts, sql` and `);
}

/**
 * Unpivoted contact facts: one row per count, with the day and the three filter dimensions (area, channel, and the
 * family's third: request type for contacts). `val` is the duration for histogram facts.
 */
function contactUnits(s: FactScope) {
  const tz = s.tz;
  return [
    sql`
    select c.day, c.area_code as area, c.channel, c.request_type as f3, f.fact, f.key, null::float8 as val
    from (select c.*, ${dayOf(sql`c.received_at`, tz)} as day, extract(hour from ${local(sql`c.received_at`, tz)})::int as hour,
                 extract(isodow from ${local(sql`c.received_at`, tz)})::int - 1 as dow
          from contact c
          where ${contactWhere(s)} and c.direction = 'inbound' and ${isDataContact} and ${range(s, sql`c.received_at`)}) c
    cross join lateral (values ('contact.channel', coalesce(c.channel, 'unknown')), ('contact.request_type', coalesce(c.request_type, 'unknown')),
      ('contact.signaler', coalesce(c.signaler_type, 'unknown')), ('contact.language', coalesce(c.language, 'unknown')),
      ('contact.heard', coalesce(c.heard_about, 'unknown')), ('contact.area', coalesce(c.area_code, 'unknown')),
      ('contact.hour', c.hour || ':' || c.dow)) f(fact, key)`,
    sql`    select c.day, c.area_code, c.channel, c.request_type, f.fact, f.key, f.val
    from (
      select c.*, ${dayOf(sql`c.received_at`, tz)} as day,
             (c.answered_at is null and c.ended_at is not null
               and (coalesce(v.is_short_abandon, false) or extract(epoch from c.ended_at - c.received_at) < ${s.shortAbandonSeconds})) as is_short
      from contact c
      left join lateral (select bool_or(v.is_short_abandon) as is_short_abandon, bool_or(v.is_after_hours) as is_after_hours
                         from voice_call v where v.contact_id = c.id and v.hotline_id = ${s.hotlineId}) v on true
      where ${contactWhere(s)} and c.direction = 'inbound' and c.channel in (${sql.join(LIVE_CHANNELS)})
        and ${range(s, sql`c.received_at`)} and not coalesce(v.is_after_hours, false)
    ) c
    cross join lateral (values
      ('live.outcome', case when c.answered_at is not null then 'answered' when c.ended_at is null then 'waiting' when c.is_short then 'short' else 'abandoned' end, null::float8),
      ('live.outcome', case when c.answered_at is not null and c.sla_due_at is not null and c.answered_at <= c.sla_due_at then 'within'
                            when c.answered_at is null and c.ended_at is null and c.sla_due_at > ${s.now} then 'waiting_in_time' end, null),
      ('live.asa', case when c.answered_at is not null then ${bucketSql(sql`extract(epoch from c.answered_at - c.received_at)`)} end, extract(epoch from c.answered_at - c.received_at)::float8),
      ('live.aht', case when c.answered_at is not null and c.ended_at is not null then ${bucketSql(sql`extract(epoch from c.ended_at - c.answered_at)`)} end, extract(epoch from c.ended_at - c.answered_at)::float8)
    ) f(fact, key, val)
    where f.key is not null`,
    sql`    select c.day, c.area_code, c.channel, c.request_type, f.fact, f.key, f.val
    from (select c.*, ${dayOf(sql`c.ended_at`, tz)} as day, extract(epoch from c.ended_at - c.received_at)::float8 as doc
          from contact c
          where ${contactWhere(s)} and c.direction = 'inbound' and ${isDataContact} and c.status = 'closed' and ${range(s, sql`c.ended_at`)}) c
    cross join lateral (values ('quality.closed', '', null::float8),
      ('quality.missing', case when ${sql.join(KEY_FIELDS.map((f) => sql`c.${sql.raw(f)} is null`), sql` or `)} then 'any' end, null),
      ${sql.join(KEY_FIELDS.map((f) => sql`('quality.missing', case when c.${sql.raw(f)} is null then ${f} end, null)`))},
      ('quality.doc', ${bucketSql(sql`c.doc`)}, c.doc)) f(fact, key, val)
    where f.key is not null`,
    sql`    select ${dayOf(sql`t.due_at`, tz)}, c.area_code, c.channel, c.request_type, 'task.outcome',
           case when t.status = 'skipped' then 'skipped' when t.status = 'done' and t.completed_at <= t.due_at then 'on_time'
                when t.status = 'done' then 'done_late' when t.due_at < ${s.now} then 'open_overdue' else 'open_not_due' end, null
    from task t join contact c on c.id = t.contact_id and c.hotline_id = ${s.hotlineId}
    where t.hotline_id = ${s.hotlineId} and ${contactWhere(s)} and ${range(s, sql`t.due_at`)}`,
    sql`    select r.day, r.area_code, r.channel, r.request_type, f.fact, f.key, null
    from (select r.*, ${dayOf(sql`r.requested_at`, tz)} as day, c.area_code, c.channel, c.request_type
          from report r join contact c on c.id = r.contact_id and c.hotline_id = ${s.hotlineId}
          where r.hotline_id = ${s.hotlineId} and ${contactWhere(s)} and ${range(s, sql`r.requested_at`)}) r
    cross join lateral (values ('report.status', r.status),
      ('report.sent', case when r.status = 'sent' then case when r.basis = 'exception' then 'exception:' || coalesce(r.exception, 'unknown') else r.basis end end)) f(fact, key)
    where f.key is not null`,
  ];
}

/** Cases in a period of one of their dates, with the area and channel of their first linked contact. */
function caseBase(s: FactScope, column: 'opened_at' | 'closed_at') {
  const parts: RawBuilder<unknown>[] = [sql`k.hotline_id = ${s.hotlineId}`, range(s, sql`k.${sql.raw(column)}`)];
  if (s.filters.traffickingType) parts.push(sql`${s.filters.traffickingType} = any(k.trafficking_types)`);
  if (s.filters.area) parts.push(sql`first.area_code = ${s.filters.area}`);
  if (s.filters.channel) parts.push(sql`first.channel = ${s.filters.channel}`);
  return sql`
    select k.id, k.trafficking_types, k.typology_code, first.area_code as area, first.channel, ${dayOf(sql`k.${sql.raw(column)}`, s.tz)} as day
    from hotline_case k
    left join lateral (select c.area_code, c.channel from case_contact cc join contact c on c.id = cc.contact_id and c.hotline_id = ${s.hotlineId}
                       where cc.case_id = k.id and cc.hotline_id = ${s.hotlineId} order by c.received_at, c.id limit 1) first on true
    where ${sql.join(parts, sql` and `)}`;
}

/** Referrals made in the period, through their case (first contact's area and channel; the case's types). */
function referralBase(s: FactScope) {
  const parts: RawBuilder<unknown>[] = [sql`r.hotline_id = ${s.hotlineId}`, range(s, sql`r.created_at`)];
  if (s.filters.traffickingType) parts.push(sql`${s.filters.traffickingType} = any(k.trafficking_types)`);
  if (s.filters.area) parts.push(sql`first.area_code = ${s.filters.area}`);
  if (s.filters.channel) parts.push(sql`first.channel = ${s.filters.channel}`);
  return sql`
    select r.*, k.trafficking_types, first.area_code as area, first.channel as first_channel, ${dayOf(sql`r.created_at`, s.tz)} as day
    from referral r
    join hotline_case k on k.id = r.case_id and k.hotline_id = ${s.hotlineId}
    left join lateral (select c.area_code, c.channel from case_contact cc join contact c on c.id = cc.contact_id and c.hotline_id = ${s.hotlineId}
                       where cc.case_id = k.id and cc.hotline_id = ${s.hotlineId} order by c.received_at, c.id limit 1) first on true
    where ${sql.join(parts, sql` and `)}`;
}

/** Unpivoted case facts (third filter dimension: the case's trafficking types, an array). */
function caseUnits(s: FactScope) {
  const levels = sql`array[${sql.join([...INDICATOR_LEVELS])}]::text[]`;
  const levelName = (position: RawBuilder<unknown>) => sql`coalesce((${levels})[${position}], 'unknown')`;
  return [
    sql`
    select k.day, k.area, k.channel, k.trafficking_types as f3, f.fact, f.key, null::float8 as val
    from (${caseBase(s, 'opened_at')}) k
    cross join lateral (values
      ('case.type', case when 'sex' = any(k.trafficking_types) and 'labour' = any(k.trafficking_types) then 'sex_and_labour'
                         when 'sex' = any(k.trafficking_types) then 'sex' when 'labour' = any(k.trafficking_types) then 'labour' else 'not_classified' end),
      -- The Polaris type number, however the code was written ('4', 'P4', 'polaris-4'), as exports read it (polarisNumber).
      ('case.typology', coalesce(substring(k.typology_code from '(\\d{1,2})\\s*$'), 'not_classified')),
      ('case.area', coalesce(k.area, 'unknown'))) f(fact, key)`,
    sql`    select k.day, k.area, k.channel, k.trafficking_types, 'case.closed', '', null from (${caseBase(s, 'closed_at')}) k`,
    sql`    -- Potential victims of the cases opened, once per case, with the case's highest indicator level per type over the
    -- latest assessment of each linked contact (an override of that level taking its place).
    select k.day, k.area, k.channel, k.trafficking_types, f.fact, f.key, null
    from (${caseBase(s, 'opened_at')}) k
    join lateral (select cp.person_id from case_person cp where cp.case_id = k.id and cp.hotline_id = ${s.hotlineId} and cp.role = 'potential_victim' offset 0) cp on true
    join person p on p.id = cp.person_id and p.hotline_id = ${s.hotlineId}
    left join lateral (
      select max(array_position(${levels}, coalesce((select o.level from assessment_override o where o.assessment_id = a.id and o.type = 'sex' order by o.overridden_at desc limit 1), a.sex_level))) as sex,
             max(array_position(${levels}, coalesce((select o.level from assessment_override o where o.assessment_id = a.id and o.type = 'labour' order by o.overridden_at desc limit 1), a.labour_level))) as labour
      from case_contact cc
      join lateral (select a.id, a.sex_level, a.labour_level from assessment a
                    where a.contact_id = cc.contact_id and a.hotline_id = ${s.hotlineId} order by a.assessed_at desc limit 1) a on true
      where cc.case_id = k.id and cc.hotline_id = ${s.hotlineId}) lvl on true
    cross join lateral (values ('victim.sex', ${levelName(sql`lvl.sex`)}), ('victim.labour', ${levelName(sql`lvl.labour`)}),
      ('victim.age', coalesce(p.age_range, 'unknown')), ('victim.gender', coalesce(p.gender, 'unknown'))) f(fact, key)`,
    sql`    select r.day, r.area, r.first_channel, r.trafficking_types, f.fact, f.key, f.val
    from (${referralBase(s)}) r
    cross join lateral (values
      ('referral.status', case when r.status = 'declined' then 'declined' when r.responded_at is not null then 'accepted'
                               when r.status = 'cancelled' then 'cancelled' else 'awaiting' end, null::float8),
      ('referral.outcome', case when r.responded_at is not null and r.status <> 'declined' then coalesce(r.outcome, 'none_yet') end, null),
      ('referral.ack', case when r.responded_at is not null then ${bucketSql(sql`extract(epoch from r.responded_at - r.created_at)`)} end, extract(epoch from r.responded_at - r.created_at)::float8)
    ) f(fact, key, val)
    where f.key is not null`,
    sql`    -- Needs of a case referred: each (case, need) pair once, on the day of its first referral; unmet when every referral
    -- for it was declined by the partner or cancelled (none awaiting an answer or accepted).
    select pr.day, pr.area, pr.first_channel, pr.trafficking_types, f.fact, pr.need, null
    from (
      select distinct on (r.case_id, n.need) r.case_id, n.need, r.day, r.area, r.first_channel, r.trafficking_types,
             (select bool_and(x.status = 'declined' or (x.status = 'cancelled' and x.responded_at is null)) from referral x
              where x.hotline_id = ${s.hotlineId} and x.case_id = r.case_id and n.need = any(x.needs)) as is_unmet
      from (${referralBase(s)}) r
      cross join lateral unnest(r.needs) n(need)
      where not exists (select 1 from referral x where x.hotline_id = ${s.hotlineId} and x.case_id = r.case_id and n.need = any(x.needs) and x.created_at < r.created_at)
      order by r.case_id, n.need, r.created_at
    ) pr
    cross join lateral (values ('need.referred'), (case when pr.is_unmet then 'need.unmet' end)) f(fact)
    where f.fact is not null`,
  ];
}

function searchUnits(s: FactScope): RawBuilder<unknown>[] {
  const parts: RawBuilder<unknown>[] = [sql`s.hotline_id = ${s.hotlineId}`, sql`s.matches = 0`, range(s, sql`s.searched_at`)];
  if (s.filters.area) parts.push(sql`s.area_code = ${s.filters.area}`);
  return [sql`
    select ${dayOf(sql`s.searched_at`, s.tz)} as day, s.area_code as area, null::text as channel, null::text as f3, 'search.no_partner' as fact, s.need as key, null::float8 as val
    from referral_need_search s where ${sql.join(parts, sql` and `)}`];
}

/** The family's unit rows as separate parts: the live path runs them concurrently, the roll-up as one union. */
export function unitPartsOf(family: Family, s: FactScope): RawBuilder<unknown>[] {
  return family === 'contact' ? contactUnits(s) : family === 'case' ? caseUnits(s) : searchUnits(s);
}

export function unitsOf(family: Family, s: FactScope) {
  return sql.join(unitPartsOf(family, s).map((part, i) => (i === 0 ? sql`select * from (${part}) u(day, area, channel, f3, fact, key, val)` : sql`(${part})`)), sql` union all `);
}

/** The facts of a period, straight from the records, for the scope's filters (the live path): one query per part. */
export function liveFactsSql(family: Family, s: FactScope) {
  const bucket = sql`case when u.fact in (${sql.join([...TREND_FACTS])}) then to_char(date_trunc(${sql.lit(s.unit)}, u.day::date), 'YYYY-MM-DD') else '' end`;
  return unitPartsOf(family, s).map(
    (part) => sql<FactRow>`
    select ${bucket} as bucket, u.fact, u.key, count(*)::int as n, coalesce(sum(u.val::float8), 0)::float8 as total
    from (${part}) u(day, area, channel, f3, fact, key, val)
    group by 1, 2, 3`,
  );
}
