import { sql, type Kysely } from 'kysely';

// Routing by team (issue 3): an access point routes its contacts to a team; staff now belong to teams. An empty list
// means "any team", as empty languages and skills mean "any" (src/server/queue/queue.service.ts, matchesSkills).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('app_user').addColumn('teams', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('app_user').dropColumn('teams').execute();
}
