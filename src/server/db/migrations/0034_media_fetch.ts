import { sql, type Kysely } from 'kysely';

// Photos, voice notes and documents sent by MMS or WhatsApp (issue 3, docs/intake-voice-api.md "Media"): Twilio's
// webhook carries only their addresses (MediaUrl{N}); each is stored here before the webhook is acknowledged, then
// fetched with the line's credentials and kept as an encrypted attachment of the message.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('media_fetch')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('hotline_id', 'uuid', (c) => c.notNull().references('hotline.id').onDelete('cascade'))
    .addColumn('message_id', 'uuid', (c) => c.notNull().references('contact_message.id').onDelete('cascade'))
    .addColumn('access_point_id', 'uuid', (c) => c.notNull().references('access_point.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    // The provider's address of the file, encrypted (media_fetch.url): it opens the file with the line's credentials.
    .addColumn('url', 'bytea', (c) => c.notNull())
    .addColumn('declared_type', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('locked_until', 'timestamptz')
    .addColumn('is_done', 'boolean', (c) => c.notNull().defaultTo(false))
    // Why it failed: http_<status>, network, too_large, not_configured, retries_exhausted:<reason>. Never content.
    .addColumn('failure_reason', 'text')
    .addColumn('attachment_id', 'uuid', (c) => c.references('attachment.id'))
    // Once kept here, the copy at the provider is deleted (privacy): when that worked, or why not.
    .addColumn('provider_deleted_at', 'timestamptz')
    .addColumn('provider_delete_failure', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // A provider's retry of the webhook records nothing twice.
  await sql`create unique index media_fetch_message_position_idx on media_fetch (message_id, position)`.execute(db);
  await sql`create index media_fetch_due_idx on media_fetch (next_attempt_at) where not is_done`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('media_fetch').ifExists().execute();
}
