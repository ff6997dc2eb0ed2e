import { sql, type Kysely } from 'kysely';

// Web chat: one row per visitor chat session. The visitor's token is stored only as its SHA-256 (a random 256-bit
// token: a hash is enough, as for staff sessions); the nickname is encrypted. The transcript itself lives in
// contact_message rows of the session's thread, like every other channel.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('chat_session')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('hotline_id', 'uuid', (c) => c.notNull().references('hotline.id').onDelete('cascade'))
    .addColumn('access_point_id', 'uuid', (c) => c.notNull().references('access_point.id'))
    .addColumn('token_hash', 'bytea', (c) => c.notNull().unique())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('nickname', 'bytea')
    .addColumn('safe_to_talk', 'text', (c) => c.check(sql`safe_to_talk in ('yes', 'no')`))
    .addColumn('age_range', 'text')
    // Set by the first message (recordInboundSignal opens the thread and the contact).
    .addColumn('thread_id', 'uuid', (c) => c.references('contact_thread.id'))
    .addColumn('contact_id', 'uuid', (c) => c.references('contact.id'))
    .addColumn('visitor_connected', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('ended_at', 'timestamptz')
    .addColumn('ended_by', 'text')
    .execute();
  await db.schema.createIndex('chat_session_thread_idx').on('chat_session').column('thread_id').execute();
  await db.schema.createIndex('chat_session_hotline_idx').on('chat_session').columns(['hotline_id', 'last_seen_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('chat_session').ifExists().execute();
}
