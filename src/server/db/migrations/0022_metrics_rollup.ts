import { sql, type Kysely } from 'kysely';

// Daily metrics roll-up (issue 8, docs/metrics.md "Roll-up"): counts per hotline × local day × filter grain × fact ×
// key, so dashboards over long periods read a few rows per day instead of every record. Only settled days (two or
// more days old in hotline time) are rolled up; today and yesterday are always read live. A write that touches a
// rolled-up day (a contact edited, a case classified, a referral answered…) marks that day dirty through the
// statement-level triggers below, and the day is read live until it is rolled up again. Whole months are also kept
// summed (metrics_rollup_month), rebuilt with their days.

/** Where each table's rows put their dates: (hotline_id, timestamp) pairs from a transition table named `R`. */
const SOURCES: Record<string, { all: string[]; changedOnly?: string[] }> = {
  contact: {
    all: ['select R.hotline_id, R.received_at as ts from R', 'select R.hotline_id, R.ended_at from R'],
    // A contact's area, channel or request type also filters its tasks, reports and its cases (first contact).
    changedOnly: [
      'select t.hotline_id, t.due_at from R join task t on t.hotline_id = R.hotline_id and t.contact_id = R.id',
      'select r.hotline_id, r.requested_at from R join report r on r.hotline_id = R.hotline_id and r.contact_id = R.id',
      'select k.hotline_id, k.opened_at from R join case_contact cc on cc.contact_id = R.id join hotline_case k on k.id = cc.case_id',
      'select k.hotline_id, k.closed_at from R join case_contact cc on cc.contact_id = R.id join hotline_case k on k.id = cc.case_id',
      'select f.hotline_id, f.created_at from R join case_contact cc on cc.contact_id = R.id join referral f on f.hotline_id = R.hotline_id and f.case_id = cc.case_id',
    ],
  },
  voice_call: { all: ['select c.hotline_id, c.received_at from R join contact c on c.id = R.contact_id'] },
  hotline_case: {
    all: [
      'select R.hotline_id, R.opened_at from R',
      'select R.hotline_id, R.closed_at from R',
      'select f.hotline_id, f.created_at from R join referral f on f.hotline_id = R.hotline_id and f.case_id = R.id',
    ],
  },
  case_contact: {
    all: [
      'select k.hotline_id, k.opened_at from R join hotline_case k on k.id = R.case_id',
      'select k.hotline_id, k.closed_at from R join hotline_case k on k.id = R.case_id',
      'select f.hotline_id, f.created_at from R join referral f on f.hotline_id = R.hotline_id and f.case_id = R.case_id',
    ],
  },
  case_person: { all: ['select k.hotline_id, k.opened_at from R join hotline_case k on k.id = R.case_id'] },
  person: { all: ['select k.hotline_id, k.opened_at from R join case_person cp on cp.person_id = R.id join hotline_case k on k.id = cp.case_id'] },
  assessment: { all: ['select k.hotline_id, k.opened_at from R join case_contact cc on cc.contact_id = R.contact_id join hotline_case k on k.id = cc.case_id'] },
  assessment_override: {
    all: ['select k.hotline_id, k.opened_at from R join assessment a on a.id = R.assessment_id join case_contact cc on cc.contact_id = a.contact_id join hotline_case k on k.id = cc.case_id'],
  },
  task: { all: ['select R.hotline_id, R.due_at from R'] },
  report: { all: ['select R.hotline_id, R.requested_at from R'] },
  // Another referral of the same case can change whether a need of that case was met (counted on its first referral's day).
  referral: { all: ['select f.hotline_id, f.created_at from R join referral f on f.hotline_id = R.hotline_id and f.case_id = R.case_id', 'select R.hotline_id, R.created_at from R'] },
  referral_need_search: { all: ['select R.hotline_id, R.searched_at from R'] },
};

/** Columns whose change on a contact reaches its tasks, reports and cases. */
const CONTACT_FILTER_COLUMNS = ['area_code', 'channel', 'request_type', 'direction', 'received_at'];

function markSql(selects: string[]): string {
  return `
    insert into metrics_rollup_dirty (hotline_id, day)
    select distinct x.hotline_id, (x.ts at time zone h.timezone)::date
    from (${selects.join(' union all ')}) x(hotline_id, ts)
    join hotline h on h.id = x.hotline_id
    where x.ts is not null and (x.ts at time zone h.timezone)::date <= (now() at time zone h.timezone)::date - 2
    on conflict do nothing;`;
}

function functionBody(table: string, event: 'insert' | 'update' | 'delete'): string {
  const source = SOURCES[table];
  const on = (rel: string, selects: string[]) => selects.map((s) => s.replace(/\bR\b/g, rel));
  if (event === 'insert') return markSql(on('new_rows', table === 'contact' ? source.all : [...source.all, ...(source.changedOnly ?? [])]));
  if (event === 'delete') return markSql(on('old_rows', [...source.all, ...(source.changedOnly ?? [])]));
  const parts = [...on('old_rows', source.all), ...on('new_rows', source.all)];
  if (source.changedOnly) {
    // Only contacts whose filter columns changed (status changes, the common update, reach nothing else).
    const changed = `(select n.* from new_rows n join old_rows o on o.id = n.id where ${CONTACT_FILTER_COLUMNS.map((c) => `o.${c} is distinct from n.${c}`).join(' or ')})`;
    parts.push(...on('chg', source.changedOnly).map((s) => s.replace(/\bfrom chg\b/, `from ${changed} chg`)));
  }
  return markSql(parts);
}

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table metrics_rollup (
      hotline_id uuid not null references hotline(id) on delete cascade,
      day date not null,
      grain text not null check (grain in ('all', 'area', 'channel', 'request_type', 'trafficking_type')),
      grain_value text not null,
      fact text not null,
      key text not null,
      n integer not null,
      total double precision not null default 0
    )`.execute(db);
  await sql`create index metrics_rollup_read_idx on metrics_rollup (hotline_id, grain, grain_value, day)`.execute(db);
  await sql`create index metrics_rollup_day_idx on metrics_rollup (hotline_id, day)`.execute(db);
  // The same rows summed per calendar month, kept for months whose every day is rolled up (a year reads 12 × rows).
  await sql`
    create table metrics_rollup_month (
      hotline_id uuid not null references hotline(id) on delete cascade,
      month date not null,
      grain text not null,
      grain_value text not null,
      fact text not null,
      key text not null,
      n integer not null,
      total double precision not null default 0
    )`.execute(db);
  await sql`create index metrics_rollup_month_read_idx on metrics_rollup_month (hotline_id, grain, grain_value, month)`.execute(db);
  await sql`
    create table metrics_rollup_day (
      hotline_id uuid not null references hotline(id) on delete cascade,
      day date not null,
      computed_at timestamptz not null default now(),
      short_abandon_seconds integer not null,
      primary key (hotline_id, day)
    )`.execute(db);
  await sql`
    create table metrics_rollup_dirty (
      hotline_id uuid not null references hotline(id) on delete cascade,
      day date not null,
      marked_at timestamptz not null default now(),
      primary key (hotline_id, day)
    )`.execute(db);
  // The person trigger looks up a person's cases; the live path reads referrals and need searches by date.
  await sql`create index if not exists case_person_person_idx on case_person (person_id)`.execute(db);
  await sql`create index if not exists referral_created_idx on referral (hotline_id, created_at)`.execute(db);
  await sql`create index if not exists referral_need_search_unmet_idx on referral_need_search (hotline_id, searched_at) where matches = 0`.execute(db);

  for (const table of Object.keys(SOURCES)) {
    for (const event of ['insert', 'update', 'delete'] as const) {
      const name = `metrics_dirty_${table}_${event}`;
      await sql.raw(`create function ${name}() returns trigger language plpgsql as $$ begin ${functionBody(table, event)} return null; end $$`).execute(db);
      const referencing = event === 'insert' ? 'new table as new_rows' : event === 'delete' ? 'old table as old_rows' : 'old table as old_rows new table as new_rows';
      await sql.raw(`create trigger ${name} after ${event} on ${table} referencing ${referencing} for each statement execute function ${name}()`).execute(db);
    }
  }
  // Days are local days: a new time zone invalidates every rolled-up day of the hotline.
  await sql.raw(`
    create function metrics_rollup_timezone() returns trigger language plpgsql as $$
    begin
      delete from metrics_rollup where hotline_id = new.id;
      delete from metrics_rollup_month where hotline_id = new.id;
      delete from metrics_rollup_day where hotline_id = new.id;
      return null;
    end $$`).execute(db);
  await sql`create trigger metrics_rollup_timezone after update of timezone on hotline for each row when (old.timezone is distinct from new.timezone) execute function metrics_rollup_timezone()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists metrics_rollup_timezone on hotline`.execute(db);
  await sql`drop function if exists metrics_rollup_timezone()`.execute(db);
  for (const table of Object.keys(SOURCES)) {
    for (const event of ['insert', 'update', 'delete']) {
      await sql.raw(`drop trigger if exists metrics_dirty_${table}_${event} on ${table}`).execute(db);
      await sql.raw(`drop function if exists metrics_dirty_${table}_${event}()`).execute(db);
    }
  }
  for (const index of ['case_person_person_idx', 'referral_created_idx', 'referral_need_search_unmet_idx']) await sql.raw(`drop index if exists ${index}`).execute(db);
  for (const table of ['metrics_rollup_dirty', 'metrics_rollup_day', 'metrics_rollup_month', 'metrics_rollup']) await db.schema.dropTable(table).ifExists().execute();
}
