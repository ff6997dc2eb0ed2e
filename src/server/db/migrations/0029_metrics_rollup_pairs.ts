import { sql, type Kysely } from 'kysely';

// The metrics roll-up keeps pairs of filters too (issue 8: "any dashboard view" under 200 ms, and a view filtered by
// area AND channel was read live at 0.3–0.6 s a month). Grains become 'area+channel', 'area+request_type', … with the
// values joined by '|'. Days rolled up before this migration have no pair rows, so the roll-up is emptied: reads go
// live until the poller has rolled the days again (62 days per hotline per minute, newest first).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table metrics_rollup drop constraint if exists metrics_rollup_grain_check`.execute(db);
  await sql`alter table metrics_rollup add constraint metrics_rollup_grain_check check (grain ~ '^(all|area|channel|request_type|trafficking_type)(\\+(channel|request_type|trafficking_type))?$')`.execute(db);
  await sql`truncate metrics_rollup, metrics_rollup_month, metrics_rollup_day`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`truncate metrics_rollup, metrics_rollup_month, metrics_rollup_day`.execute(db);
  await sql`alter table metrics_rollup drop constraint if exists metrics_rollup_grain_check`.execute(db);
  await sql`alter table metrics_rollup add constraint metrics_rollup_grain_check check (grain in ('all', 'area', 'channel', 'request_type', 'trafficking_type'))`.execute(db);
}
