import { sql, type Kysely } from 'kysely';

// Transfers of a contact (issue 3): to a colleague or to the supervisors, with the handing-over note. The note is free
// text an advocate writes about the person ("speaks only Tigrinya, afraid of her employer"), so it is encrypted like
// contact notes (`contact_transfer.note`); who, when and to whom are plain.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('contact_transfer')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('hotline_id', 'uuid', (c) => c.notNull().references('hotline.id').onDelete('cascade'))
    .addColumn('contact_id', 'uuid', (c) => c.notNull().references('contact.id').onDelete('cascade'))
    .addColumn('from_user_id', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('to_user_id', 'uuid', (c) => c.references('app_user.id'))
    .addColumn('to_role', 'text', (c) => c.check(sql`to_role in ('supervisor')`))
    .addColumn('note', 'bytea')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('contact_transfer_target_check', sql`(to_user_id is null) <> (to_role is null)`)
    .execute();
  await sql`create index contact_transfer_contact_idx on contact_transfer (hotline_id, contact_id, created_at desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('contact_transfer').execute();
}
