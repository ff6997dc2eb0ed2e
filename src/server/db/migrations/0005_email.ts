import { sql, type Kysely } from 'kysely';

// Email: what an email adds to a contact message (sender, subject, RFC Message-ID, references, refused attachments,
// and for staff replies the delivery attempts), and the Message-ID index that threads a reply into its conversation.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('email_message')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('message_id', 'uuid', (c) => c.notNull().unique().references('contact_message.id'))
    .addColumn('hotline_id', 'uuid', (c) => c.notNull().references('hotline.id').onDelete('cascade'))
    .addColumn('thread_id', 'uuid', (c) => c.notNull().references('contact_thread.id'))
    .addColumn('access_point_id', 'uuid', (c) => c.references('access_point.id'))
    .addColumn('direction', 'text', (c) => c.notNull().check(sql`direction in ('inbound', 'outbound')`))
    // Inbound: the From address; outbound: the To address. Encrypted (personal data).
    .addColumn('address', 'bytea')
    .addColumn('subject', 'bytea')
    // The RFC 5322 Message-ID and References as sent: needed verbatim to thread a reply, and may carry personal data.
    .addColumn('rfc_message_id', 'bytea')
    .addColumn('rfc_references', 'bytea')
    // Attachments that were not kept (type not allowed, too large, too many): type, size and reason only, no names.
    .addColumn('dropped_attachments', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    // Outbound delivery: attempts with backoff, a lease so one server sends at a time, and the last failure code.
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz')
    .addColumn('locked_until', 'timestamptz')
    .addColumn('is_done', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('failure_reason', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('email_message_thread_idx').on('email_message').columns(['thread_id', 'created_at']).execute();
  await sql`create index email_message_due_idx on email_message (next_attempt_at) where not is_done`.execute(db);

  // Every Message-ID seen or sent, as a blind index (HMAC): a reply's In-Reply-To / References finds its thread
  // without the ids themselves being readable in the table.
  await db.schema
    .createTable('email_message_ref')
    .addColumn('hotline_id', 'uuid', (c) => c.notNull().references('hotline.id').onDelete('cascade'))
    .addColumn('ref_index', 'bytea', (c) => c.notNull())
    .addColumn('thread_id', 'uuid', (c) => c.notNull().references('contact_thread.id'))
    .addColumn('message_id', 'uuid', (c) => c.references('contact_message.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('email_message_ref_pk', ['hotline_id', 'ref_index'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('email_message_ref').ifExists().execute();
  await db.schema.dropTable('email_message').ifExists().execute();
}
