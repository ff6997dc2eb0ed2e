import { sql, type Kysely } from 'kysely';

// The public web tip form. The tip itself is a contact thread like any other (contact_thread.follow_up_code and
// follow_up_secret_hash come from 0002); this adds the guard against guessing follow-up passphrases: failed attempts
// per reference code, shared by every server (an in-memory counter would let a guesser spread over a load balancer).
// The code is a random reference, not personal data; a row exists for unknown codes too, so a lockout reveals nothing.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('webform_follow_up_attempt')
    .addColumn('hotline_id', 'uuid', (c) => c.notNull().references('hotline.id').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('window_start', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('locked_until', 'timestamptz')
    .addPrimaryKeyConstraint('webform_follow_up_attempt_pk', ['hotline_id', 'code'])
    .execute();
  await db.schema.createIndex('webform_follow_up_attempt_window_idx').on('webform_follow_up_attempt').column('window_start').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('webform_follow_up_attempt').ifExists().execute();
}
