import { sql, type Kysely } from 'kysely';

// Service-level breach alerts (issue 3): when a waiting contact passes its answer target, the supervisors are alerted
// once. The alert's state lives on the contact (`sla_breached_at`), so a restart loses nothing and several servers
// polling one database alert once (see src/server/queue/sla-breach.ts).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('contact').addColumn('sla_breached_at', 'timestamptz').execute();
  await sql`create index contact_sla_unbreached_idx on contact (sla_due_at) where status = 'waiting' and sla_breached_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists contact_sla_unbreached_idx`.execute(db);
  await db.schema.alterTable('contact').dropColumn('sla_breached_at').execute();
}
