import { sql, type Kysely } from 'kysely';

// Voice calls (one row per Twilio CallSid: queue outcome, answer, duration, abandonment) and the outbound SMS outbox
// (delivery attempts of staff replies, so a reply survives a restart and is retried with backoff).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('voice_call')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('hotline_id', 'uuid', (c) => c.notNull().references('hotline.id').onDelete('cascade'))
    .addColumn('contact_id', 'uuid', (c) => c.notNull().references('contact.id'))
    .addColumn('access_point_id', 'uuid', (c) => c.references('access_point.id'))
    .addColumn('call_sid', 'text', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addColumn('is_after_hours', 'boolean', (c) => c.notNull().defaultTo(false))
    // Enqueue action: bridged, hangup, queue-full, error, system-error, redirected, leave.
    .addColumn('queue_result', 'text')
    .addColumn('queue_seconds', 'integer')
    .addColumn('answered_at', 'timestamptz')
    // Status callbacks: the last CallStatus applied and its SequenceNumber (a retried or older callback is ignored).
    .addColumn('call_status', 'text')
    .addColumn('status_sequence', 'integer', (c) => c.notNull().defaultTo(-1))
    .addColumn('duration_seconds', 'integer')
    .addColumn('ended_at', 'timestamptz')
    // answered | abandoned | after_hours | not_connected | failed; null while the call is live.
    .addColumn('outcome', 'text')
    .addColumn('is_short_abandon', 'boolean', (c) => c.notNull().defaultTo(false))
    // Whether this call's abandonment closed the contact (so a late "bridged" can reopen it for documentation).
    .addColumn('closed_contact', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index voice_call_sid_idx on voice_call (hotline_id, call_sid)`.execute(db);
  await db.schema.createIndex('voice_call_contact_idx').on('voice_call').column('contact_id').execute();

  await db.schema
    .createTable('outbound_message')
    .addColumn('message_id', 'uuid', (c) => c.primaryKey().references('contact_message.id'))
    .addColumn('hotline_id', 'uuid', (c) => c.notNull().references('hotline.id').onDelete('cascade'))
    .addColumn('access_point_id', 'uuid', (c) => c.notNull().references('access_point.id'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // A sender holds a lease while it talks to the provider; another server takes over only after it expires.
    .addColumn('locked_until', 'timestamptz')
    .addColumn('is_done', 'boolean', (c) => c.notNull().defaultTo(false))
    // Why it failed: twilio_<code>, http_<status>, network, retries_exhausted, not_configured. Never message content.
    .addColumn('failure_reason', 'text')
    .addColumn('provider_status', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index outbound_message_due_idx on outbound_message (next_attempt_at) where not is_done`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('outbound_message').ifExists().execute();
  await db.schema.dropTable('voice_call').ifExists().execute();
}
