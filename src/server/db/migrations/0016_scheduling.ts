import { sql, type Kysely } from 'kysely';

// Scheduling (issue 7): per-hotline settings, planned events for the forecast, staff contracts and leave, rosters
// (draft → published → superseded) with their shifts per person, swap and leave requests, calendar feed tokens.
// Everything here is about staff, not about people who contact the hotline; no free text about anyone is stored
// (leave has a kind, never a medical reason), so nothing is field-encrypted. Feed tokens are stored as SHA-256 only.
export async function up(db: Kysely<any>): Promise<void> {
  const hotline = (c: any) => c.notNull().references('hotline.id').onDelete('cascade');
  const user = (c: any) => c.notNull().references('app_user.id').onDelete('cascade');
  const now = (c: any) => c.notNull().defaultTo(sql`now()`);

  await db.schema
    .createTable('scheduling_settings')
    .addColumn('hotline_id', 'uuid', (c) => hotline(c).primaryKey())
    .addColumn('settings', 'jsonb', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'timestamptz', now)
    .addColumn('updated_by', 'uuid')
    .execute();

  await db.schema
    .createTable('schedule_event')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('hotline_id', 'uuid', hotline)
    .addColumn('date', 'date', (c) => c.notNull())
    .addColumn('factor', 'double precision', (c) => c.notNull().check(sql`factor >= 0 and factor <= 20`))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('channels', sql`text[]`)
    .addColumn('created_at', 'timestamptz', now)
    .execute();
  await db.schema.createIndex('schedule_event_date_idx').on('schedule_event').columns(['hotline_id', 'date']).execute();

  await db.schema
    .createTable('staff_contract')
    .addColumn('hotline_id', 'uuid', hotline)
    .addColumn('user_id', 'uuid', user)
    .addColumn('contract', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', now)
    .addPrimaryKeyConstraint('staff_contract_pk', ['hotline_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('staff_leave')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('hotline_id', 'uuid', hotline)
    .addColumn('user_id', 'uuid', user)
    .addColumn('from_date', 'date', (c) => c.notNull())
    .addColumn('to_date', 'date', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('annual', 'sick', 'training', 'other')`))
    .addColumn('request_id', 'uuid')
    .addColumn('created_at', 'timestamptz', now)
    .addCheckConstraint('staff_leave_range', sql`to_date >= from_date`)
    .execute();
  await db.schema.createIndex('staff_leave_user_idx').on('staff_leave').columns(['hotline_id', 'user_id', 'from_date']).execute();

  await db.schema
    .createTable('roster')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('hotline_id', 'uuid', hotline)
    .addColumn('week_start', 'date', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft', 'published', 'superseded')`))
    // The roster input (required, shifts, staff with contracts and leave, rules) the assignment was solved for.
    .addColumn('input', 'jsonb', (c) => c.notNull())
    .addColumn('assignments', 'jsonb', (c) => c.notNull())
    .addColumn('debriefs', 'jsonb', (c) => c.notNull())
    .addColumn('report', 'jsonb', (c) => c.notNull())
    .addColumn('solver', 'jsonb', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'uuid')
    .addColumn('created_at', 'timestamptz', now)
    .addColumn('updated_at', 'timestamptz', now)
    .addColumn('published_at', 'timestamptz')
    .addColumn('published_by', 'uuid')
    .execute();
  await db.schema.createIndex('roster_week_idx').on('roster').columns(['hotline_id', 'week_start', 'status']).execute();
  // One published roster per week at a time.
  await sql`create unique index roster_published_week on roster (hotline_id, week_start) where status = 'published'`.execute(db);

  await db.schema
    .createTable('roster_shift')
    .addColumn('hotline_id', 'uuid', hotline)
    .addColumn('roster_id', 'uuid', (c) => c.notNull().references('roster.id').onDelete('cascade'))
    .addColumn('shift_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'uuid', user)
    .addColumn('pattern_id', 'text', (c) => c.notNull())
    .addColumn('start_at', 'timestamptz', (c) => c.notNull())
    .addColumn('end_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('roster_shift_pk', ['roster_id', 'shift_id', 'user_id'])
    .execute();
  await db.schema.createIndex('roster_shift_user_idx').on('roster_shift').columns(['hotline_id', 'user_id', 'start_at']).execute();

  await db.schema
    .createTable('schedule_request')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('hotline_id', 'uuid', hotline)
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('handover', 'exchange', 'leave')`))
    .addColumn('requested_by', 'uuid', user)
    .addColumn('roster_id', 'uuid', (c) => c.references('roster.id').onDelete('cascade'))
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'approved', 'rejected')`))
    .addColumn('check_result', 'jsonb')
    .addColumn('decided_by', 'uuid')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', now)
    .execute();
  await db.schema.createIndex('schedule_request_status_idx').on('schedule_request').columns(['hotline_id', 'status', 'created_at']).execute();

  await db.schema
    .createTable('calendar_feed_token')
    .addColumn('hotline_id', 'uuid', hotline)
    .addColumn('user_id', 'uuid', user)
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', now)
    .addPrimaryKeyConstraint('calendar_feed_token_pk', ['hotline_id', 'user_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['calendar_feed_token', 'schedule_request', 'roster_shift', 'roster', 'staff_leave', 'staff_contract', 'schedule_event', 'scheduling_settings']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
