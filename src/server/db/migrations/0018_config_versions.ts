import { sql, type Kysely } from 'kysely';

// Versioned hotline configuration edited in the web app (assessment instruments, response protocols): who made and
// published each version, which version a draft started from, and one open draft per kind. A published version is
// immutable: the database refuses to change it, so a past result can always be explained by the version it names.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('hotline_config')
    .addColumn('based_on', 'integer')
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('published').check(sql`source in ('published', 'draft', 'import')`))
    .addColumn('updated_at', 'timestamptz')
    .addColumn('updated_by', 'uuid')
    .addColumn('published_by', 'uuid')
    .execute();
  await sql`create unique index hotline_config_one_draft on hotline_config (hotline_id, kind) where published_at is null`.execute(db);
  await sql`
    create function hotline_config_published_is_immutable() returns trigger language plpgsql as $$
    begin
      if old.published_at is not null then
        raise exception 'published configuration % v% of hotline % cannot be changed', old.kind, old.version, old.hotline_id using errcode = 'P0001';
      end if;
      return new;
    end $$`.execute(db);
  await sql`create trigger hotline_config_immutable before update on hotline_config for each row execute function hotline_config_published_is_immutable()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists hotline_config_immutable on hotline_config`.execute(db);
  await sql`drop function if exists hotline_config_published_is_immutable()`.execute(db);
  await sql`drop index if exists hotline_config_one_draft`.execute(db);
  for (const column of ['based_on', 'source', 'updated_at', 'updated_by', 'published_by']) await db.schema.alterTable('hotline_config').dropColumn(column).execute();
}
