import { sql, type Kysely } from 'kysely';

// One index less on contact_thread (issue 3, docs/intake-throughput.md "Where the rest of the tail comes from"): every
// new thread wrote an entry in both contact_thread_lookup_idx (hotline_id, channel, correspondent_index) and
// contact_thread_index_idx (hotline_id, correspondent_index, migration 0014). The second finds the same threads with
// the channel as a filter over the few threads one address has (a number's SMS, WhatsApp and voice threads); the
// intake function (0032), the web form and search all use it.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists contact_thread_lookup_idx`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`create index if not exists contact_thread_lookup_idx on contact_thread (hotline_id, channel, correspondent_index)`.execute(db);
}
