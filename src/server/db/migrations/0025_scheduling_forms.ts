import { sql, type Kysely } from 'kysely';

// Scheduling forms (issue 7): a planned event may last several days (a campaign, a week of TV spots) — `end_date`,
// inclusive; null is the one day `date`. The forecast applies the factor to every date in the range.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('schedule_event').addColumn('end_date', 'date').execute();
  await sql`alter table schedule_event add constraint schedule_event_range check (end_date is null or (end_date >= date and end_date <= date + 92))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('schedule_event').dropConstraint('schedule_event_range').execute();
  await db.schema.alterTable('schedule_event').dropColumn('end_date').execute();
}
