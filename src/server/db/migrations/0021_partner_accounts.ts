import { sql, type Kysely } from 'kysely';

// Partner accounts and partner email (issue 6): a Catalyst `organisation` (what partner staff accounts belong to) is
// linked to at most one directory organization (HSDS), so partner staff see the referrals sent to it; a partner may
// have a language for the referral emails Catalyst sends it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organisation').addColumn('hsds_organization_id', 'uuid').execute();
  await sql`create unique index organisation_hsds_idx on organisation (hotline_id, hsds_organization_id) where hsds_organization_id is not null`.execute(db);
  await db.schema.alterTable('directory_partner').addColumn('locale', 'text', (c) => c.check(sql`locale in ('en', 'es', 'fr')`)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('directory_partner').dropColumn('locale').execute();
  await sql`drop index if exists organisation_hsds_idx`.execute(db);
  await db.schema.alterTable('organisation').dropColumn('hsds_organization_id').execute();
}
