import { sql, type Kysely } from 'kysely';

// Assessment results, protocol tasks (with durable escalation), consents and reports to authorities (issue 4).
export async function up(db: Kysely<any>): Promise<void> {
  // One row per assessment: re-assessing adds a row, so a past result never changes when the instrument does.
  // Answers and the full result (explanation, matched answers) are encrypted; levels stay in clear for protocols and metrics.
  await db.schema
    .createTable('assessment')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('hotline_id', 'uuid', (c) => c.notNull().references('hotline.id').onDelete('cascade'))
    .addColumn('contact_id', 'uuid', (c) => c.notNull().references('contact.id'))
    .addColumn('instrument_id', 'text', (c) => c.notNull())
    .addColumn('instrument_version', 'integer', (c) => c.notNull())
    .addColumn('form', 'text', (c) => c.notNull().check(sql`form in ('short', 'full')`))
    .addColumn('age_group', 'text', (c) => c.notNull())
    .addColumn('sex_level', 'text', (c) => c.notNull())
    .addColumn('labour_level', 'text', (c) => c.notNull())
    .addColumn('answers', 'bytea', (c) => c.notNull())
    .addColumn('result', 'bytea', (c) => c.notNull())
    .addColumn('assessed_by', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('assessed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('assessment_contact_idx').on('assessment').columns(['hotline_id', 'contact_id', 'assessed_at']).execute();

  await db.schema
    .createTable('assessment_override')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('hotline_id', 'uuid', (c) => c.notNull().references('hotline.id').onDelete('cascade'))
    .addColumn('assessment_id', 'uuid', (c) => c.notNull().references('assessment.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('sex', 'labour')`))
    .addColumn('computed_level', 'text', (c) => c.notNull())
    .addColumn('previous_level', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('reason', 'bytea', (c) => c.notNull())
    .addColumn('overridden_by', 'uuid', (c) => c.notNull().references('app_user.id'))
    .addColumn('overridden_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('assessment_override_assessment_idx').on('assessment_override').columns(['assessment_id', 'overridden_at']).execute();

  // Protocol tasks. One task per (contact, task key): re-running protocols never duplicates a task.
  await db.schema
    .createTable('task')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('hotline_id', 'uuid', (c) => c.notNull().references('hotline.id').onDelete('cascade'))
    .addColumn('contact_id', 'uuid', (c) => c.notNull().references('contact.id'))
    .addColumn('case_id', 'uuid', (c) => c.references('hotline_case.id'))
    .addColumn('assessment_id', 'uuid', (c) => c.references('assessment.id'))
    .addColumn('task_key', 'text', (c) => c.notNull())
    .addColumn('protocol_id', 'text', (c) => c.notNull())
    .addColumn('protocol_version', 'integer', (c) => c.notNull())
    .addColumn('step_id', 'text', (c) => c.notNull())
    .addColumn('sources', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('title', 'jsonb', (c) => c.notNull())
    .addColumn('owner_role', 'text', (c) => c.notNull().check(sql`owner_role in ('advocate', 'supervisor')`))
    .addColumn('owner_id', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('escalate_when_overdue', 'boolean', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open', 'done', 'skipped')`))
    .addColumn('skip_reason', 'bytea')
    .addColumn('escalated_at', 'timestamptz')
    .addColumn('completed_at', 'timestamptz')
    .addColumn('completed_by', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('created_by', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('task_contact_key_unique', ['contact_id', 'task_key'])
    .execute();
  await db.schema.createIndex('task_contact_idx').on('task').columns(['hotline_id', 'contact_id', 'due_at']).execute();
  // The escalation poller's scan: open, escalating, not yet escalated, by deadline.
  await sql`create index task_escalation_due_idx on task (due_at) where status = 'open' and escalate_when_overdue and escalated_at is null`.execute(db);

  await db.schema
    .createTable('consent')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('hotline_id', 'uuid', (c) => c.notNull().references('hotline.id').onDelete('cascade'))
    .addColumn('contact_id', 'uuid', (c) => c.notNull().references('contact.id'))
    .addColumn('given_by', 'text', (c) => c.notNull())
    .addColumn('disclosure', 'text', (c) => c.notNull())
    .addColumn('recipients', 'jsonb', (c) => c.notNull())
    .addColumn('given_at', 'timestamptz', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull().check(sql`method in ('verbal', 'written', 'electronic')`))
    .addColumn('scope_note', 'bytea')
    .addColumn('expires_at', 'timestamptz')
    .addColumn('withdrawn_at', 'timestamptz')
    .addColumn('recorded_by', 'uuid', (c) => c.notNull().references('app_user.id'))
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('consent_contact_idx').on('consent').columns(['hotline_id', 'contact_id']).execute();

  await db.schema
    .createTable('report')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('hotline_id', 'uuid', (c) => c.notNull().references('hotline.id').onDelete('cascade'))
    .addColumn('contact_id', 'uuid', (c) => c.notNull().references('contact.id'))
    .addColumn('agency_id', 'text', (c) => c.notNull())
    .addColumn('report_kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('requested', 'approved', 'sent', 'refused')`))
    .addColumn('basis', 'text', (c) => c.notNull().check(sql`basis in ('consent', 'exception', 'consent_not_required')`))
    .addColumn('consent_id', 'uuid', (c) => c.references('consent.id'))
    .addColumn('exception', 'text', (c) => c.check(sql`exception in ('minor', 'imminent_danger', 'legal_duty')`))
    .addColumn('exception_citation', 'text')
    .addColumn('exception_note', 'bytea')
    .addColumn('needs_approval', 'boolean', (c) => c.notNull())
    .addColumn('jurisdiction_id', 'text', (c) => c.notNull())
    .addColumn('jurisdiction_version', 'integer', (c) => c.notNull())
    .addColumn('requested_by', 'uuid', (c) => c.notNull().references('app_user.id'))
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('approved_by', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('approved_at', 'timestamptz')
    .addColumn('refused_by', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('refused_at', 'timestamptz')
    .addColumn('refusal_reason', 'bytea')
    .addColumn('sent_by', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('sent_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('report_contact_idx').on('report').columns(['hotline_id', 'contact_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['report', 'consent', 'task', 'assessment_override', 'assessment']) await db.schema.dropTable(table).ifExists().cascade().execute();
}
