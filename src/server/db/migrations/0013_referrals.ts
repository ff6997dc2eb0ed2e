import { sql, type Kysely } from 'kysely';

// Closed-loop referrals (issue 6): a referral from a case to one partner service, gated by a consent record, sharing
// only the fields the advocate chose (encrypted), with a hashed, expiring partner link; durable reminder and
// escalation jobs; and the need searches that found no partner (unmet needs).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('referral')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('hotline_id', 'uuid', (c) => c.notNull().references('hotline.id').onDelete('cascade'))
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('hotline_case.id').onDelete('cascade'))
    .addColumn('consent_id', 'uuid', (c) => c.notNull().references('consent.id'))
    .addColumn('service_id', 'uuid', (c) => c.notNull())
    .addColumn('organization_id', 'uuid', (c) => c.notNull())
    // Directory names as they were when referred (directory data, not personal data).
    .addColumn('service_name', 'text', (c) => c.notNull())
    .addColumn('organization_name', 'text', (c) => c.notNull())
    .addColumn('needs', sql`text[]`, (c) => c.notNull())
    .addColumn('reasons', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('score', 'double precision')
    .addColumn('area_code', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('sent', 'accepted', 'declined', 'closed', 'cancelled')`))
    // Which fields were shared (names only, in clear) and their values (encrypted JSON).
    .addColumn('shared_fields', sql`text[]`, (c) => c.notNull())
    .addColumn('shared_data', 'bytea', (c) => c.notNull())
    .addColumn('token_hash', 'bytea', (c) => c.notNull().unique())
    .addColumn('token_expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ack_due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('outcome_within_days', 'integer', (c) => c.notNull())
    .addColumn('outcome_due_at', 'timestamptz')
    .addColumn('first_viewed_at', 'timestamptz')
    .addColumn('responded_at', 'timestamptz')
    .addColumn('response_note', 'bytea')
    .addColumn('outcome', 'text', (c) => c.check(sql`outcome in ('contacted', 'services_provided', 'could_not_reach', 'declined')`))
    .addColumn('outcome_at', 'timestamptz')
    .addColumn('outcome_note', 'bytea')
    .addColumn('reminded_at', 'timestamptz')
    .addColumn('escalated_at', 'timestamptz')
    .addColumn('warm_transfer_started_at', 'timestamptz')
    .addColumn('warm_transfer_ended_at', 'timestamptz')
    .addColumn('warm_transfer_by', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('created_by', 'uuid', (c) => c.notNull().references('app_user.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('referral_hotline_idx').on('referral').columns(['hotline_id', 'status', 'created_at']).execute();
  await db.schema.createIndex('referral_case_idx').on('referral').columns(['hotline_id', 'case_id']).execute();

  // Reminders and escalations: rows picked up by a poller (FOR UPDATE SKIP LOCKED), so a restart loses none.
  await db.schema
    .createTable('referral_job')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('hotline_id', 'uuid', (c) => c.notNull().references('hotline.id').onDelete('cascade'))
    .addColumn('referral_id', 'uuid', (c) => c.notNull().references('referral.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('ack_reminder', 'ack_escalation', 'outcome_reminder')`))
    .addColumn('run_at', 'timestamptz', (c) => c.notNull())
    .addColumn('done_at', 'timestamptz')
    .addColumn('result', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index referral_job_due_idx on referral_job (run_at) where done_at is null`.execute(db);

  // Need searches (no personal data): the ones that found no partner are the unmet needs.
  await db.schema
    .createTable('referral_need_search')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('hotline_id', 'uuid', (c) => c.notNull().references('hotline.id').onDelete('cascade'))
    .addColumn('need', 'text', (c) => c.notNull())
    .addColumn('area_code', 'text')
    .addColumn('matches', 'integer', (c) => c.notNull())
    .addColumn('searched_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('referral_need_search_idx').on('referral_need_search').columns(['hotline_id', 'need', 'searched_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['referral_need_search', 'referral_job', 'referral']) await db.schema.dropTable(table).ifExists().cascade().execute();
}
