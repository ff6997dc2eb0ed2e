import { sql, type Kysely } from 'kysely';

// Cases: one trafficking situation built from many contacts, with the people in it, notes, tasks and a timeline.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create sequence case_number_seq start 1000`.execute(db);
  await db.schema
    .createTable('hotline_case')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('hotline_id', 'uuid', (c) => c.notNull().references('hotline.id').onDelete('cascade'))
    .addColumn('number', 'bigint', (c) => c.notNull().defaultTo(sql`nextval('case_number_seq')`).unique())
    .addColumn('title', 'bytea', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'active', 'follow_up', 'closed', 'closed_referred')`))
    .addColumn('trafficking_types', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('typology_code', 'text')
    .addColumn('sensitivity', 'text', (c) => c.notNull().defaultTo('normal'))
    .addColumn('assignee_id', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('team', 'text')
    .addColumn('opened_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('closed_at', 'timestamptz')
    .addColumn('created_by', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('hotline_case_hotline_idx').on('hotline_case').columns(['hotline_id', 'status', 'opened_at']).execute();

  // Who a restricted case is open to: named people, and supervisors who broke the glass (for a limited time).
  await db.schema
    .createTable('case_access')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('hotline_id', 'uuid', (c) => c.notNull().references('hotline.id').onDelete('cascade'))
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('hotline_case.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('app_user.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('named', 'break_glass')`))
    .addColumn('reason', 'text')
    .addColumn('granted_by', 'uuid')
    .addColumn('granted_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('case_access_case_user_idx').on('case_access').columns(['case_id', 'user_id']).execute();

  await db.schema
    .createTable('case_contact')
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('hotline_case.id').onDelete('cascade'))
    .addColumn('contact_id', 'uuid', (c) => c.notNull().references('contact.id'))
    .addColumn('hotline_id', 'uuid', (c) => c.notNull())
    .addColumn('linked_by', 'uuid')
    .addColumn('linked_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('case_contact_pk', ['case_id', 'contact_id'])
    .execute();
  await db.schema.createIndex('case_contact_contact_idx').on('case_contact').column('contact_id').execute();

  // People: every identifying field encrypted; exact lookups by blind indexes of phones and emails.
  await db.schema
    .createTable('person')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('hotline_id', 'uuid', (c) => c.notNull().references('hotline.id').onDelete('cascade'))
    .addColumn('details', 'bytea', (c) => c.notNull())
    .addColumn('gender', 'text')
    .addColumn('age_range', 'text')
    .addColumn('nationality', 'text')
    .addColumn('phone_indexes', sql`bytea[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('email_indexes', sql`bytea[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('created_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await sql`create index person_phone_idx on person using gin (phone_indexes)`.execute(db);
  await sql`create index person_email_idx on person using gin (email_indexes)`.execute(db);

  await db.schema
    .createTable('case_person')
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('hotline_case.id').onDelete('cascade'))
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('person.id'))
    .addColumn('hotline_id', 'uuid', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('potential_victim', 'signaler', 'suspected_trafficker', 'witness', 'other')`))
    .addColumn('added_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('case_person_pk', ['case_id', 'person_id', 'role'])
    .execute();

  // The timeline: every note, status change and link, in order. Free text is encrypted.
  await db.schema
    .createTable('case_event')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('hotline_id', 'uuid', (c) => c.notNull())
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('hotline_case.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('body', 'bytea')
    .addColumn('data', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('actor_id', 'uuid')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('case_event_case_idx').on('case_event').columns(['case_id', 'at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['case_event', 'case_person', 'person', 'case_contact', 'case_access', 'hotline_case']) await db.schema.dropTable(table).ifExists().cascade().execute();
  await sql`drop sequence if exists case_number_seq`.execute(db);
}
