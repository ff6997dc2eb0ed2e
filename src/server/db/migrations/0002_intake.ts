import { sql, type Kysely } from 'kysely';

// Intake: access points (how people reach the hotline), threads and contacts (signals), messages, attachments,
// the web tip follow-up, intake API keys, and the per-hotline contact form definitions.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('access_point')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('hotline_id', 'uuid', (c) => c.notNull().references('hotline.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    // The hotline's own address on this channel: its phone number, email address or chat widget key. Not personal data.
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('team', 'text')
    .addColumn('is_active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('settings', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    // Provider credentials (Twilio auth token, SMTP password), encrypted; shown again only as a hint.
    .addColumn('secret', 'bytea')
    .addColumn('secret_hint', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await sql`create unique index access_point_address_idx on access_point (channel, lower(address)) where is_active`.execute(db);
  await db.schema.createIndex('access_point_hotline_idx').on('access_point').column('hotline_id').execute();

  await db.schema
    .createTable('contact_thread')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('hotline_id', 'uuid', (c) => c.notNull().references('hotline.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('access_point_id', 'uuid', (c) => c.references('access_point.id'))
    // Blind index of the correspondent (phone, email) or the chat session key: finds the thread, reveals nothing.
    .addColumn('correspondent_index', 'bytea')
    .addColumn('correspondent', 'bytea')
    .addColumn('subject', 'bytea')
    .addColumn('follow_up_code', 'text')
    .addColumn('follow_up_secret_hash', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_activity_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index contact_thread_lookup_idx on contact_thread (hotline_id, channel, correspondent_index)`.execute(db);
  await sql`create unique index contact_thread_follow_up_idx on contact_thread (follow_up_code) where follow_up_code is not null`.execute(db);

  await sql`create sequence contact_number_seq start 1000`.execute(db);
  await db.schema
    .createTable('contact')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('hotline_id', 'uuid', (c) => c.notNull().references('hotline.id').onDelete('cascade'))
    // A human reference ("C-1042"): one sequence for the install, so issuing one never waits on another request.
    .addColumn('number', 'bigint', (c) => c.notNull().defaultTo(sql`nextval('contact_number_seq')`))
    .addColumn('thread_id', 'uuid', (c) => c.notNull().references('contact_thread.id'))
    .addColumn('access_point_id', 'uuid', (c) => c.references('access_point.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull().defaultTo('inbound'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('waiting', 'in_progress', 'wrap_up', 'closed')`))
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(50))
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addColumn('answered_at', 'timestamptz')
    .addColumn('ended_at', 'timestamptz')
    .addColumn('sla_due_at', 'timestamptz')
    .addColumn('assigned_to', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('handled_by', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('team', 'text')
    .addColumn('language', 'text')
    .addColumn('interpreter_used', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('signaler_type', 'text')
    .addColumn('request_type', 'text')
    .addColumn('heard_about', 'text')
    .addColumn('area_code', 'text')
    .addColumn('flags', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('sensitivity', 'text', (c) => c.notNull().defaultTo('normal'))
    .addColumn('summary', 'bytea')
    .addColumn('notes', 'bytea')
    .addColumn('form_version', 'integer')
    .addColumn('form_data', 'bytea')
    .addColumn('created_by', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('contact_number_unique', ['hotline_id', 'number'])
    .execute();
  await sql`create index contact_queue_idx on contact (hotline_id, priority, received_at) where status = 'waiting'`.execute(db);
  await sql`create index contact_open_thread_idx on contact (thread_id) where status <> 'closed'`.execute(db);
  await db.schema.createIndex('contact_hotline_received_idx').on('contact').columns(['hotline_id', 'received_at']).execute();
  // Staff skills for routing: the languages an advocate works in and the channels they are certified for.
  await db.schema.alterTable('app_user').addColumn('languages', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`)).execute();
  await db.schema.alterTable('app_user').addColumn('skills', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`)).execute();
  await db.schema.alterTable('app_user').addColumn('availability', 'text', (c) => c.notNull().defaultTo('offline')).execute();

  await db.schema
    .createTable('contact_message')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('hotline_id', 'uuid', (c) => c.notNull().references('hotline.id').onDelete('cascade'))
    .addColumn('thread_id', 'uuid', (c) => c.notNull().references('contact_thread.id'))
    .addColumn('contact_id', 'uuid', (c) => c.notNull().references('contact.id'))
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('body', 'bytea')
    .addColumn('author_id', 'uuid', (c) => c.references('app_user.id'))
    // The provider's id (Twilio MessageSid, email Message-ID, chat client id): a retried delivery creates nothing twice.
    .addColumn('external_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('received'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('delivered_at', 'timestamptz')
    .execute();
  await sql`create unique index contact_message_external_idx on contact_message (hotline_id, external_id) where external_id is not null`.execute(db);
  await db.schema.createIndex('contact_message_thread_idx').on('contact_message').columns(['thread_id', 'created_at']).execute();

  await db.schema
    .createTable('attachment')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('hotline_id', 'uuid', (c) => c.notNull().references('hotline.id').onDelete('cascade'))
    .addColumn('contact_id', 'uuid', (c) => c.notNull().references('contact.id'))
    .addColumn('message_id', 'uuid', (c) => c.references('contact_message.id'))
    .addColumn('filename', 'bytea', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('data', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('attachment_contact_idx').on('attachment').column('contact_id').execute();

  // Per-hotline intake API keys: the secret signs requests (HMAC), so it is stored encrypted, not hashed.
  await db.schema
    .createTable('api_key')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('hotline_id', 'uuid', (c) => c.notNull().references('hotline.id').onDelete('cascade'))
    .addColumn('key_id', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('scopes', sql`text[]`, (c) => c.notNull())
    .addColumn('secret', 'bytea', (c) => c.notNull())
    .addColumn('created_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .execute();

  // Versioned configuration per hotline (contact form, SLA targets, ...): a draft until published.
  await db.schema
    .createTable('hotline_config')
    .addColumn('hotline_id', 'uuid', (c) => c.notNull().references('hotline.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('published_at', 'timestamptz')
    .addColumn('created_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('hotline_config_pk', ['hotline_id', 'kind', 'version'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['hotline_config', 'api_key', 'attachment', 'contact_message', 'contact', 'contact_thread', 'access_point']) {
    await db.schema.dropTable(table).ifExists().cascade().execute();
  }
  await sql`drop sequence if exists contact_number_seq`.execute(db);
  for (const column of ['languages', 'skills', 'availability']) await db.schema.alterTable('app_user').dropColumn(column).execute();
}
