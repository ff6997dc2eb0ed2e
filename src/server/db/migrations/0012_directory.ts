import { sql, type Kysely } from 'kysely';

// The partner directory (issue 6): Open Referral HSDS 3.0 core entities, one table each, with the HSDS id as the key
// inside a hotline. Core fields used for lookups are columns; the whole validated flat HSDS object (extension fields,
// funding, cost options, metadata, ...) is kept in `data` (jsonb). Link columns mirror the HSDS foreign ids; they are
// checked by the importer (not by FKs) because HSDS links are many-optional and arrive in any order.
// Directory data describes partner organisations, not survivors: it is not encrypted (see docs/directory.md).
const ENTITIES: Record<string, { links: string[]; columns?: [string, 'text' | 'double precision' | 'jsonb' | 'boolean'][] }> = {
  hsds_organization: { links: [], columns: [['name', 'text']] },
  hsds_taxonomy_term: { links: ['taxonomy_id', 'parent_id'], columns: [['name', 'text'], ['code', 'text'], ['labels', 'jsonb'], ['is_active', 'boolean']] },
  hsds_service: { links: ['organization_id'], columns: [['name', 'text'], ['status', 'text']] },
  hsds_location: { links: ['organization_id'], columns: [['name', 'text'], ['location_type', 'text'], ['latitude', 'double precision'], ['longitude', 'double precision']] },
  hsds_service_at_location: { links: ['service_id', 'location_id'] },
  hsds_contact: { links: ['organization_id', 'service_id', 'service_at_location_id', 'location_id'] },
  hsds_phone: { links: ['location_id', 'service_id', 'organization_id', 'contact_id', 'service_at_location_id'] },
  hsds_language: { links: ['service_id', 'location_id', 'phone_id'], columns: [['code', 'text']] },
  hsds_schedule: { links: ['service_id', 'location_id', 'service_at_location_id'] },
  hsds_service_area: { links: ['service_id'] },
  hsds_address: { links: ['location_id'] },
  hsds_attribute: { links: ['taxonomy_term_id', 'link_id'], columns: [['link_entity', 'text']] },
};

export async function up(db: Kysely<any>): Promise<void> {
  for (const [table, spec] of Object.entries(ENTITIES)) {
    let builder = db.schema
      .createTable(table)
      .addColumn('hotline_id', 'uuid', (c) => c.notNull().references('hotline.id').onDelete('cascade'))
      .addColumn('id', 'uuid', (c) => c.notNull());
    for (const link of spec.links) builder = builder.addColumn(link, 'uuid');
    for (const [name, type] of spec.columns ?? []) builder = builder.addColumn(name, type as any);
    builder = builder
      .addColumn('data', 'jsonb', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addPrimaryKeyConstraint(`${table}_pk`, ['hotline_id', 'id']);
    await builder.execute();
    for (const link of spec.links) await db.schema.createIndex(`${table}_${link}_idx`).on(table).columns(['hotline_id', link]).execute();
  }
  await db.schema.createIndex('hsds_service_name_idx').on('hsds_service').columns(['hotline_id', 'name']).execute();
  await db.schema.createIndex('hsds_organization_name_idx').on('hsds_organization').columns(['hotline_id', 'name']).execute();

  // Catalyst's own partner data beside HSDS, one row per HSDS organization.
  await db.schema
    .createTable('directory_partner')
    .addColumn('hotline_id', 'uuid', (c) => c.notNull())
    .addColumn('organization_id', 'uuid', (c) => c.notNull())
    .addColumn('vetting_status', 'text', (c) => c.notNull().defaultTo('prospective').check(sql`vetting_status in ('prospective', 'vetted', 'suspended', 'ended')`))
    .addColumn('vetting_evidence', 'text')
    .addColumn('review_due_on', 'date')
    .addColumn('mou_signed_on', 'date')
    .addColumn('mou_expires_on', 'date')
    .addColumn('accepts', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('referral_protocol', 'text')
    .addColumn('time_zone', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('directory_partner_pk', ['hotline_id', 'organization_id'])
    .addForeignKeyConstraint('directory_partner_org_fk', ['hotline_id', 'organization_id'], 'hsds_organization', ['hotline_id', 'id'], (c) => c.onDelete('cascade'))
    .execute();
  // A counter bumped by every directory write: servers rebuild their in-memory matching index when it moves.
  await db.schema
    .createTable('directory_state')
    .addColumn('hotline_id', 'uuid', (c) => c.primaryKey().references('hotline.id').onDelete('cascade'))
    .addColumn('version', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`create index directory_partner_review_idx on directory_partner (hotline_id, review_due_on) where vetting_status = 'vetted'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('directory_state').execute();
  await db.schema.dropTable('directory_partner').execute();
  for (const table of Object.keys(ENTITIES).reverse()) await db.schema.dropTable(table).execute();
}
