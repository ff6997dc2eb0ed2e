import { sql, type Kysely } from 'kysely';

// Reports to law enforcement as referrals (issue 6): a directory organisation can be marked as one of the
// jurisdiction's reporting agencies; sending an approved report then refers the case to it through the closed loop
// (link, acknowledgement, outcome, reminders). Such a referral rests on the report (its consent or its exception),
// so a referral now needs a consent OR a report. The referral path itself refuses agencies: only the report gate
// reaches them (src/server/assessment/reports.service.ts).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('directory_partner').addColumn('reporting_agency_id', 'text').execute();
  await sql`create unique index directory_partner_reporting_agency_idx on directory_partner (hotline_id, reporting_agency_id) where reporting_agency_id is not null`.execute(db);
  await sql`alter table referral alter column consent_id drop not null`.execute(db);
  await sql`alter table referral add column report_id uuid references report (id)`.execute(db);
  await sql`alter table referral add constraint referral_basis_chk check (consent_id is not null or report_id is not null)`.execute(db);
  await sql`create unique index referral_report_idx on referral (report_id) where report_id is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists referral_report_idx`.execute(db);
  await sql`alter table referral drop constraint if exists referral_basis_chk`.execute(db);
  await sql`alter table referral drop column if exists report_id`.execute(db);
  await sql`alter table referral alter column consent_id set not null`.execute(db);
  await sql`drop index if exists directory_partner_reporting_agency_idx`.execute(db);
  await db.schema.alterTable('directory_partner').dropColumn('reporting_agency_id').execute();
}
