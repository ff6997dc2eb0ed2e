import { sql, type Kysely } from 'kysely';

// Referrals, more (issue 6): the partner-link email becomes a durable job retried with backoff. The job row keeps the
// link (encrypted: it opens personal data) only until the email is sent or given up; the referral says where its
// email stands, so the advocate sees a final failure.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table referral_job drop constraint if exists referral_job_kind_check`.execute(db);
  await sql`alter table referral_job add constraint referral_job_kind_check check (kind in ('ack_reminder', 'ack_escalation', 'outcome_reminder', 'email_link'))`.execute(db);
  await db.schema.alterTable('referral_job').addColumn('payload', 'bytea').addColumn('last_error', 'text').execute();
  await db.schema
    .alterTable('referral')
    .addColumn('link_email_status', 'text', (c) => c.check(sql`link_email_status in ('sending', 'retrying', 'sent', 'failed', 'not_sent')`))
    .addColumn('link_email_at', 'timestamptz')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('referral').dropColumn('link_email_at').dropColumn('link_email_status').execute();
  await sql`delete from referral_job where kind = 'email_link'`.execute(db);
  await db.schema.alterTable('referral_job').dropColumn('last_error').dropColumn('payload').execute();
  await sql`alter table referral_job drop constraint if exists referral_job_kind_check`.execute(db);
  await sql`alter table referral_job add constraint referral_job_kind_check check (kind in ('ack_reminder', 'ack_escalation', 'outcome_reminder'))`.execute(db);
}
