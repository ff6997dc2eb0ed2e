import { sql, type Kysely } from 'kysely';

// Scheduled operations reports (issue 8): a schedule per hotline (monthly on the 1st, named staff recipients) and the
// deliveries it produces. A delivery row is also the job row: the poller claims due rows with FOR UPDATE SKIP LOCKED,
// renders the PDF and XLSX and stores them here, so a restart loses nothing and two servers never render one twice.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('metrics_report_schedule')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('hotline_id', 'uuid', (c) => c.notNull().references('hotline.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('monthly_operations')`))
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('en'))
    // Staff accounts of this hotline who may download the stored report in the app (no e-mail: reports stay inside).
    .addColumn('recipient_ids', sql`uuid[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('is_active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_by', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index metrics_report_schedule_kind_idx on metrics_report_schedule (hotline_id, kind)`.execute(db);

  await db.schema
    .createTable('metrics_report_delivery')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('hotline_id', 'uuid', (c) => c.notNull().references('hotline.id').onDelete('cascade'))
    .addColumn('schedule_id', 'uuid', (c) => c.notNull().references('metrics_report_schedule.id').onDelete('cascade'))
    // The month reported on, as its first day (hotline time).
    .addColumn('period_month', 'date', (c) => c.notNull())
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'done', 'failed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('recipient_ids', sql`uuid[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('pdf', 'bytea')
    .addColumn('xlsx', 'bytea')
    .addColumn('failure_reason', 'text')
    .addColumn('completed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index metrics_report_delivery_period_idx on metrics_report_delivery (schedule_id, period_month)`.execute(db);
  await sql`create index metrics_report_delivery_due_idx on metrics_report_delivery (due_at) where status = 'pending'`.execute(db);
  // Metric scans by period: cases by opening and closing, tasks by deadline, reports by request time.
  await sql`create index if not exists hotline_case_opened_idx on hotline_case (hotline_id, opened_at)`.execute(db);
  await sql`create index if not exists hotline_case_closed_idx on hotline_case (hotline_id, closed_at) where closed_at is not null`.execute(db);
  await sql`create index if not exists task_due_idx on task (hotline_id, due_at)`.execute(db);
  // Quality of data: closed contacts by the time they ended.
  await sql`create index if not exists contact_closed_ended_idx on contact (hotline_id, ended_at) where status = 'closed'`.execute(db);
  await sql`create index if not exists report_requested_idx on report (hotline_id, requested_at)`.execute(db);
  await sql`create index if not exists case_person_case_idx on case_person (hotline_id, case_id) where role = 'potential_victim'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of ['contact_closed_ended_idx', 'hotline_case_opened_idx', 'hotline_case_closed_idx', 'task_due_idx', 'report_requested_idx', 'case_person_case_idx']) await sql`drop index if exists ${sql.ref(index)}`.execute(db);
  await db.schema.dropTable('metrics_report_delivery').ifExists().execute();
  await db.schema.dropTable('metrics_report_schedule').ifExists().execute();
}
