import { sql, type Kysely } from 'kysely';

// Occupancy (issue 8): the time advocates spent handling live contacts ÷ the time they were signed in and available
// or busy. Until now only the current availability was kept (app_user.availability); this keeps its history as
// intervals, one open interval per person at most. See src/server/queue/availability.ts.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table staff_availability_interval (
      id bigserial primary key,
      hotline_id uuid not null references hotline(id) on delete cascade,
      user_id uuid not null references app_user(id) on delete cascade,
      status text not null check (status in ('available', 'busy', 'break')),
      started_at timestamptz not null,
      ended_at timestamptz,
      check (ended_at is null or ended_at >= started_at)
    )`.execute(db);
  await sql`create index staff_availability_period_idx on staff_availability_interval (hotline_id, started_at)`.execute(db);
  await sql`create unique index staff_availability_open_idx on staff_availability_interval (user_id) where ended_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists staff_availability_interval`.execute(db);
}
