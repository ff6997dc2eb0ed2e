import { sql, type Kysely } from 'kysely';

// Search: keyed-hash tokens for names and free text (never the words themselves), saved searches, recent items.
export async function up(db: Kysely<any>): Promise<void> {
  // One row per searchable record. Tokens are 32-bit slices of an HMAC under the hotline's index key: equal words give
  // equal tokens, but a token reveals nothing without the key (see docs/cases.md, Search).
  await db.schema
    .createTable('search_doc')
    .addColumn('record_type', 'text', (c) => c.notNull().check(sql`record_type in ('case', 'person', 'contact', 'case_note')`))
    .addColumn('record_id', 'uuid', (c) => c.notNull())
    .addColumn('hotline_id', 'uuid', (c) => c.notNull().references('hotline.id').onDelete('cascade'))
    .addColumn('case_id', 'uuid', (c) => c.references('hotline_case.id').onDelete('cascade'))
    .addColumn('name_tokens', sql`integer[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('text_tokens', sql`integer[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('indexed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('search_doc_pk', ['record_type', 'record_id'])
    .execute();
  // fastupdate off: a new token goes straight into the index instead of a pending list that every search would scan
  // until the next vacuum (measured: 6 ms instead of 0.2 ms per look-up after a burst of writes). Writes here are
  // human-paced, searches are not.
  await sql`create index search_doc_name_idx on search_doc using gin (name_tokens) with (fastupdate = off)`.execute(db);
  await sql`create index search_doc_text_idx on search_doc using gin (text_tokens) with (fastupdate = off)`.execute(db);
  await db.schema.createIndex('search_doc_case_idx').on('search_doc').column('case_id').execute();

  // PostgreSQL cannot estimate how many rows an overlap (&&) of keyed tokens matches and prefers a sequential scan
  // that grows with the hotline (27 ms at 30,000 people, measured); the GIN index answers in well under a millisecond.
  // These functions run the token look-ups with sequential scans off (SET on the function: one round trip, nothing
  // leaks to the connection); ROWS tells the planner how few rows they return, so callers join by primary key. Only the && conditions reach the planner; hotline and type filter the rows found.
  await sql`
    create function search_name_candidates(p_hotline uuid, p_tokens int[], p_limit int)
    returns table (record_id uuid, overlap int)
    language sql stable rows 80 set enable_seqscan = off as $$
      with hits as materialized (select d.record_id, d.hotline_id, d.record_type, d.name_tokens from search_doc d where d.name_tokens && p_tokens)
      select h.record_id, (select count(*) from unnest(h.name_tokens) t where t = any(p_tokens))::int as overlap
      from hits h where h.hotline_id = p_hotline and h.record_type = 'person'
      order by overlap desc limit p_limit
    $$`.execute(db);
  await sql`
    create function search_text_candidates(p_hotline uuid, p_groups jsonb, p_limit int)
    returns table (record_type text, record_id uuid, case_id uuid)
    language plpgsql stable rows 300 set enable_seqscan = off as $$
    declare
      conditions text := 'true';
      i int;
    begin
      -- One && per typed word (any of its stems): the GIN index intersects them.
      for i in 0 .. jsonb_array_length(p_groups) - 1 loop
        conditions := conditions || format(' and d.text_tokens && %L::int[]', (select array_agg(x::int) from jsonb_array_elements_text(p_groups -> i) x));
      end loop;
      return query execute format(
        'with hits as materialized (select d.record_type, d.record_id, d.case_id, d.hotline_id from search_doc d where %s)
         select h.record_type, h.record_id, h.case_id from hits h where h.hotline_id = $1 and h.record_type in (''case'', ''case_note'', ''contact'') limit $2',
        conditions) using p_hotline, p_limit;
    end $$`.execute(db);

  // Contacts are documented by the intake screens; search catches up on them by updated_at from a watermark.
  await db.schema.createIndex('contact_hotline_updated_idx').on('contact').columns(['hotline_id', 'updated_at']).execute();
  await db.schema
    .createTable('search_watermark')
    .addColumn('hotline_id', 'uuid', (c) => c.notNull().references('hotline.id').onDelete('cascade'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('indexed_until', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('search_watermark_pk', ['hotline_id', 'source'])
    .execute();
  await db.schema.createIndex('person_hotline_idx').on('person').column('hotline_id').execute();
  await db.schema.createIndex('case_person_person_idx').on('case_person').column('person_id').execute();
  await db.schema.createIndex('contact_thread_id_idx').on('contact').column('thread_id').execute();
  await db.schema.createIndex('contact_thread_index_idx').on('contact_thread').columns(['hotline_id', 'correspondent_index']).execute();

  // Saved searches: the name and the query may hold a person's name, so both are encrypted.
  await db.schema
    .createTable('saved_search')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('hotline_id', 'uuid', (c) => c.notNull().references('hotline.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('name', 'bytea', (c) => c.notNull())
    .addColumn('params', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('saved_search_user_idx').on('saved_search').columns(['hotline_id', 'user_id']).execute();

  await db.schema
    .createTable('recent_item')
    .addColumn('hotline_id', 'uuid', (c) => c.notNull().references('hotline.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('record_type', 'text', (c) => c.notNull())
    .addColumn('record_id', 'uuid', (c) => c.notNull())
    .addColumn('viewed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('recent_item_pk', ['user_id', 'record_type', 'record_id'])
    .execute();
  await db.schema.createIndex('recent_item_user_idx').on('recent_item').columns(['hotline_id', 'user_id', 'viewed_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function if exists search_name_candidates(uuid, int[], int)`.execute(db);
  await sql`drop function if exists search_text_candidates(uuid, jsonb, int)`.execute(db);
  for (const table of ['recent_item', 'saved_search', 'search_watermark', 'search_doc']) await db.schema.dropTable(table).ifExists().execute();
  for (const index of ['contact_thread_id_idx', 'contact_hotline_updated_idx', 'person_hotline_idx', 'case_person_person_idx', 'contact_thread_index_idx']) await db.schema.dropIndex(index).ifExists().execute();
}
