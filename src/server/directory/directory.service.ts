import fs from 'node:fs/promises';
import { sql, type Kysely } from 'kysely';
import { HSDS_ENTITIES, type HsdsEntity, type HsdsPage } from '../../shared/directory/hsds.js';
import { CATALYST_NEEDS_TAXONOMY_ID, DEFAULT_NEEDS, type PartnerProfileInput } from '../../shared/directory/needs.js';
import { fail, ok, type Result } from '../../shared/errors.js';
import { appendAudit } from '../audit/audit.js';
import type { Db, DbOrTx } from '../db/db.js';
import { buildOrganizations, buildServices } from './hsds-export.js';
import { collectDatapackage, collectJson, resolveCandidates, writeRows, type Collected, type ImportIssue } from './hsds-import.js';
import './directory.tables.js';
import { bumpDirectoryVersion } from './match.js';
import { jurisdictionFor } from '../assessment/hotline-config.js';
import '../referrals/schema.js';

export interface DirectoryActor {
  id: string | null;
  label: string;
  ip?: string | null;
}

export interface ImportReport {
  imported: Record<HsdsEntity, number>;
  rejected: ImportIssue[];
  warnings: ImportIssue[];
  notices: string[];
}

/** Reads an import source: a folder is an HSDS tabular datapackage, a file is HSDS JSON. */
export async function readImportSource(source: string): Promise<Result<Collected>> {
  let stat;
  try {
    stat = await fs.stat(source);
  } catch {
    return fail('not_found', `Cannot read ${source}`);
  }
  if (stat.isDirectory()) return ok(await collectDatapackage(source));
  let document: unknown;
  try {
    document = JSON.parse(await fs.readFile(source, 'utf8'));
  } catch (error) {
    return fail('validation_failed', `${source} is not JSON: ${(error as Error).message}`);
  }
  return ok(collectJson(document));
}

/**
 * Imports HSDS data into a hotline's directory in one transaction: valid rows are upserted on their HSDS ids (so a
 * re-import is idempotent), every rejected row is reported with its reason, new organizations become `prospective`
 * partners (never published until vetted), and the default need taxonomy is installed if it is not there yet.
 */
export async function importDirectory(db: Db, hotlineId: string, collected: Collected, actor: DirectoryActor, onProgress?: (done: number, total: number) => void): Promise<ImportReport> {
  return db.transaction().execute(async (tx) => {
    await installDefaultNeeds(tx, hotlineId); // first, so imported attributes may point at Catalyst's need terms
    const { accepted, rejected, warnings } = await resolveCandidates(tx, hotlineId, collected);
    await writeRows(tx, hotlineId, accepted, (done) => onProgress?.(done, accepted.length));
    await bumpDirectoryVersion(tx, hotlineId);
    const imported = Object.fromEntries(HSDS_ENTITIES.map((e) => [e, accepted.filter((r) => r.entity === e).length])) as Record<HsdsEntity, number>;
    await appendAudit(tx, { hotlineId, actorId: actor.id, actorLabel: actor.label, ip: actor.ip ?? null, action: 'directory.import', recordType: 'directory', details: { imported, rejected: rejected.length, warnings: warnings.length } });
    return { imported, rejected, warnings, notices: collected.notices };
  });
}

/** Copies Catalyst's default needs into the hotline's taxonomy terms; a hotline's own changes are never overwritten. */
export async function installDefaultNeeds(tx: DbOrTx, hotlineId: string): Promise<number> {
  const byKey = new Map(DEFAULT_NEEDS.map((n) => [n.key, n.id]));
  const rows = DEFAULT_NEEDS.map((n) => ({
    hotline_id: hotlineId,
    id: n.id,
    name: n.labels.en,
    code: n.key,
    labels: JSON.stringify(n.labels),
    is_active: true,
    taxonomy_id: CATALYST_NEEDS_TAXONOMY_ID,
    parent_id: n.parent ? byKey.get(n.parent)! : null,
    data: JSON.stringify({
      id: n.id, code: n.key, name: n.labels.en, description: `Catalyst need: ${n.labels.en}`, taxonomy: 'catalyst-needs', language: 'en',
      taxonomy_id: CATALYST_NEEDS_TAXONOMY_ID, ...(n.parent ? { parent_id: byKey.get(n.parent) } : {}),
      taxonomy_detail: { id: CATALYST_NEEDS_TAXONOMY_ID, name: 'Catalyst needs', description: 'Needs of people affected by human trafficking (Catalyst default taxonomy)', version: '1' },
    }),
  }));
  const inserted = await tx.insertInto('hsds_taxonomy_term').values(rows).onConflict((oc) => oc.columns(['hotline_id', 'id']).doNothing()).returning('id').execute();
  return inserted.length;
}

export interface NeedTerm {
  id: string;
  key: string;
  labels: Record<string, string>;
  isActive: boolean;
}

export async function listNeeds(db: DbOrTx, hotlineId: string): Promise<NeedTerm[]> {
  const rows = await db.selectFrom('hsds_taxonomy_term').select(['id', 'code', 'name', 'labels', 'is_active']).where('hotline_id', '=', hotlineId).where('taxonomy_id', '=', CATALYST_NEEDS_TAXONOMY_ID).orderBy('code').execute();
  return rows.map((r) => ({ id: r.id, key: r.code ?? r.id, labels: (r.labels as Record<string, string> | null) ?? { en: r.name }, isActive: r.is_active !== false }));
}

export interface NeedChange {
  key: string;
  labels?: { en: string; es: string; fr: string };
  isActive?: boolean;
}

/**
 * A hotline's own need: rename (all three languages), retire or restore a need, or add a new one (labels required).
 * Audited; the matching index sees it at once.
 */
export async function configureNeed(db: Db, hotlineId: string, change: NeedChange, actor: DirectoryActor): Promise<Result<NeedTerm>> {
  if (!/^[a-z][a-z0-9_]{1,40}$/.test(change.key)) return fail('validation_failed', 'A need key is 2-41 lowercase letters, digits or underscores');
  return db.transaction().execute(async (tx) => {
    await installDefaultNeeds(tx, hotlineId);
    const current = await tx.selectFrom('hsds_taxonomy_term').select(['id', 'data']).where('hotline_id', '=', hotlineId).where('taxonomy_id', '=', CATALYST_NEEDS_TAXONOMY_ID).where('code', '=', change.key).executeTakeFirst();
    if (!current && !change.labels) return fail('validation_failed', `New need "${change.key}" needs labels in English, Spanish and French`);
    if (current) {
      const data = current.data as Record<string, unknown>;
      await tx
        .updateTable('hsds_taxonomy_term')
        .set({
          ...(change.labels ? { labels: JSON.stringify(change.labels), name: change.labels.en, data: JSON.stringify({ ...data, name: change.labels.en, description: `Catalyst need: ${change.labels.en}` }) } : {}),
          ...(change.isActive !== undefined ? { is_active: change.isActive } : {}),
          updated_at: new Date(),
        })
        .where('hotline_id', '=', hotlineId)
        .where('id', '=', current.id)
        .execute();
    } else {
      const id = (await sql<{ id: string }>`select gen_random_uuid() as id`.execute(tx)).rows[0].id;
      const labels = change.labels!;
      await tx.insertInto('hsds_taxonomy_term').values({
        hotline_id: hotlineId, id, name: labels.en, code: change.key, labels: JSON.stringify(labels), is_active: change.isActive ?? true, taxonomy_id: CATALYST_NEEDS_TAXONOMY_ID, parent_id: null,
        data: JSON.stringify({ id, code: change.key, name: labels.en, description: `Catalyst need: ${labels.en}`, taxonomy: 'catalyst-needs', language: 'en', taxonomy_id: CATALYST_NEEDS_TAXONOMY_ID }),
      }).execute();
    }
    await bumpDirectoryVersion(tx, hotlineId);
    await appendAudit(tx, { hotlineId, actorId: actor.id, actorLabel: actor.label, ip: actor.ip ?? null, action: 'directory.need.configure', recordType: 'hsds_taxonomy_term', details: { key: change.key, created: !current, labels: !!change.labels, isActive: change.isActive ?? null } });
    return ok((await listNeeds(tx, hotlineId)).find((n) => n.key === change.key)!);
  });
}

/** Tags a service with needs (HSDS attributes linking the service to need taxonomy terms). Idempotent. */
export async function tagServiceNeeds(tx: DbOrTx, hotlineId: string, serviceId: string, needKeys: string[]): Promise<Result<{ tagged: number }>> {
  const needs = await listNeeds(tx, hotlineId);
  const wanted = needs.filter((n) => needKeys.includes(n.key));
  if (wanted.length !== new Set(needKeys).size) return fail('validation_failed', `Unknown need(s): ${needKeys.filter((k) => !needs.some((n) => n.key === k)).join(', ')}`);
  const service = await tx.selectFrom('hsds_service').select('id').where('hotline_id', '=', hotlineId).where('id', '=', serviceId).executeTakeFirst();
  if (!service) return fail('not_found', 'No such service');
  await bumpDirectoryVersion(tx, hotlineId);
  for (const need of wanted) {
    const id = (await sql<{ id: string }>`select md5(${hotlineId + serviceId + need.id})::uuid as id`.execute(tx)).rows[0].id;
    await tx
      .insertInto('hsds_attribute')
      .values({ hotline_id: hotlineId, id, taxonomy_term_id: need.id, link_id: serviceId, link_entity: 'service', data: JSON.stringify({ id, link_type: 'need', link_entity: 'service' }) })
      .onConflict((oc) => oc.columns(['hotline_id', 'id']).doNothing())
      .execute();
  }
  return ok({ tagged: wanted.length });
}

/** Sets Catalyst's partner data for an organization (vetting, MoU, what it accepts, referral protocol). Audited. */
export async function setPartnerProfile(db: Db, hotlineId: string, organizationId: string, input: PartnerProfileInput, actor: DirectoryActor): Promise<Result<{ organizationId: string }>> {
  return db.transaction().execute(async (tx) => {
    const current = await tx.selectFrom('directory_partner').selectAll().where('hotline_id', '=', hotlineId).where('organization_id', '=', organizationId).forUpdate().executeTakeFirst();
    if (!current) return fail('not_found', 'No such organization in this directory');
    if (input.reportingAgencyId) {
      const { rules } = await jurisdictionFor(tx, hotlineId);
      if (!rules.agencies.some((a) => a.id === input.reportingAgencyId)) return fail('validation_failed', `reportingAgencyId: the reporting rules have no agency '${input.reportingAgencyId}'`);
      const taken = await tx.selectFrom('directory_partner').select('organization_id').where('hotline_id', '=', hotlineId).where('reporting_agency_id', '=', input.reportingAgencyId).where('organization_id', '<>', organizationId).executeTakeFirst();
      if (taken) return fail('conflict', `Another organisation is already the agency '${input.reportingAgencyId}'`);
    }
    const accepts = { ...(current.accepts as Record<string, boolean | null>), ...(input.accepts ?? {}) };
    await tx
      .updateTable('directory_partner')
      .set({
        ...(input.vettingStatus ? { vetting_status: input.vettingStatus } : {}),
        ...(input.vettingEvidence !== undefined ? { vetting_evidence: input.vettingEvidence } : {}),
        ...(input.reviewDueOn !== undefined ? { review_due_on: input.reviewDueOn } : {}),
        ...(input.mouSignedOn !== undefined ? { mou_signed_on: input.mouSignedOn } : {}),
        ...(input.mouExpiresOn !== undefined ? { mou_expires_on: input.mouExpiresOn } : {}),
        ...(input.referralProtocol !== undefined ? { referral_protocol: input.referralProtocol } : {}),
        ...(input.timeZone !== undefined ? { time_zone: input.timeZone } : {}),
        ...(input.reportingAgencyId !== undefined ? { reporting_agency_id: input.reportingAgencyId } : {}),
        accepts: JSON.stringify(accepts),
        updated_at: sql`now()`,
      })
      .where('hotline_id', '=', hotlineId)
      .where('organization_id', '=', organizationId)
      .execute();
    await bumpDirectoryVersion(tx, hotlineId);
    await appendAudit(tx, {
      hotlineId, actorId: actor.id, actorLabel: actor.label, ip: actor.ip ?? null, action: 'directory.partner.update', recordType: 'hsds_organization', recordId: organizationId,
      details: { fields: Object.keys(input), ...(input.vettingStatus ? { from: current.vetting_status, to: input.vettingStatus } : {}), ...(input.reportingAgencyId !== undefined ? { reportingAgencyId: input.reportingAgencyId } : {}) },
    });
    return ok({ organizationId });
  });
}

/** Every service of the hotline as an HSDS service document, in batches (for `catalyst directory export`). */
export async function* exportServices(db: Db, hotlineId: string, batchSize = 200): AsyncGenerator<Record<string, unknown>[]> {
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const ids = (await db.selectFrom('hsds_service').select('id').where('hotline_id', '=', hotlineId).where('id', '>', after).orderBy('id').limit(batchSize).execute()).map((r) => r.id);
    if (!ids.length) return;
    yield await buildServices(db, hotlineId, ids, { contacts: true });
    after = ids[ids.length - 1];
  }
}

export async function countServices(db: DbOrTx, hotlineId: string): Promise<number> {
  const row = await db.selectFrom('hsds_service').select((eb) => eb.fn.countAll<number>().as('n')).where('hotline_id', '=', hotlineId).executeTakeFirstOrThrow();
  return Number(row.n);
}

// ---------------------------------------------------------------------------------------------------------------
// The public HSDS read API: only organizations the hotline has vetted, and their services, are published.

export interface ListQuery {
  page: number;
  per_page: number;
  search?: string;
  organization_id?: string;
  taxonomy_term_id?: string;
  modified_after?: string;
}

function page<T>(contents: T[], total: number, q: ListQuery): HsdsPage<T> {
  const totalPages = Math.max(1, Math.ceil(total / q.per_page));
  return { total_items: total, total_pages: totalPages, page_number: q.page, size: contents.length, first_page: q.page === 1, last_page: q.page >= totalPages, empty: contents.length === 0, contents };
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const likePattern = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function publishedServices(db: DbOrTx, hotlineId: string, q: ListQuery) {
  let query = db
    .selectFrom('hsds_service as s')
    .innerJoin('directory_partner as p', (j) => j.onRef('p.hotline_id', '=', 's.hotline_id').onRef('p.organization_id', '=', 's.organization_id'))
    .where('s.hotline_id', '=', hotlineId)
    .where('p.vetting_status', '=', 'vetted');
  if (q.search) query = query.where((eb) => eb.or([eb('s.name', 'ilike', likePattern(q.search!)), sql<boolean>`s.data->>'description' ilike ${likePattern(q.search!)}`]));
  if (q.organization_id) query = query.where('s.organization_id', '=', UUID.test(q.organization_id) ? q.organization_id.toLowerCase() : '00000000-0000-0000-0000-000000000000');
  if (q.taxonomy_term_id) {
    const term = UUID.test(q.taxonomy_term_id) ? q.taxonomy_term_id.toLowerCase() : '00000000-0000-0000-0000-000000000000';
    query = query.where((eb) => eb.exists(eb.selectFrom('hsds_attribute as a').select('a.id').whereRef('a.hotline_id', '=', 's.hotline_id').whereRef('a.link_id', '=', 's.id').where('a.taxonomy_term_id', '=', term)));
  }
  if (q.modified_after) query = query.where('s.updated_at', '>=', new Date(q.modified_after));
  return query;
}

export async function hotlineIdForSlug(db: DbOrTx, slug: string): Promise<string | null> {
  return (await db.selectFrom('hotline').select('id').where('slug', '=', slug).executeTakeFirst())?.id ?? null;
}

export async function listPublishedServices(db: DbOrTx, hotlineId: string, q: ListQuery): Promise<HsdsPage<Record<string, unknown>>> {
  const total = Number((await publishedServices(db, hotlineId, q).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const ids = (await publishedServices(db, hotlineId, q).select('s.id').orderBy('s.name').orderBy('s.id').limit(q.per_page).offset((q.page - 1) * q.per_page).execute()).map((r) => r.id);
  const services = await (db as unknown as Kysely<any>).selectFrom('hsds_service').select(['id', 'organization_id', 'data']).where('hotline_id', '=', hotlineId).where('id', 'in', ids.length ? ids : ['00000000-0000-0000-0000-000000000000']).execute();
  const orgs = await buildOrganizations(db, hotlineId, [...new Set(services.map((s) => s.organization_id as string))], { contacts: false, nested: false });
  const orgById = new Map(orgs.map((o) => [o.id as string, o]));
  const byId = new Map(services.map((s) => [s.id as string, { ...(s.data as object), id: s.id, organization_id: s.organization_id, organization: orgById.get(s.organization_id as string) }]));
  return page(ids.map((id) => byId.get(id)!), total, q);
}

export async function readPublishedService(db: DbOrTx, hotlineId: string, id: string): Promise<Record<string, unknown> | null> {
  if (!UUID.test(id)) return null;
  const found = await publishedServices(db, hotlineId, { page: 1, per_page: 1 }).select('s.id').where('s.id', '=', id.toLowerCase()).executeTakeFirst();
  if (!found) return null;
  return (await buildServices(db, hotlineId, [found.id], { contacts: false }))[0] ?? null;
}

function publishedOrganizations(db: DbOrTx, hotlineId: string, q: ListQuery) {
  let query = db
    .selectFrom('hsds_organization as o')
    .innerJoin('directory_partner as p', (j) => j.onRef('p.hotline_id', '=', 'o.hotline_id').onRef('p.organization_id', '=', 'o.id'))
    .where('o.hotline_id', '=', hotlineId)
    .where('p.vetting_status', '=', 'vetted');
  if (q.search) query = query.where('o.name', 'ilike', likePattern(q.search));
  if (q.modified_after) query = query.where('o.updated_at', '>=', new Date(q.modified_after));
  return query;
}

export async function listPublishedOrganizations(db: DbOrTx, hotlineId: string, q: ListQuery): Promise<HsdsPage<Record<string, unknown>>> {
  const total = Number((await publishedOrganizations(db, hotlineId, q).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const ids = (await publishedOrganizations(db, hotlineId, q).select('o.id').orderBy('o.name').orderBy('o.id').limit(q.per_page).offset((q.page - 1) * q.per_page).execute()).map((r) => r.id);
  return page(await buildOrganizations(db, hotlineId, ids, { contacts: false, nested: false }), total, q);
}

export async function readPublishedOrganization(db: DbOrTx, hotlineId: string, id: string): Promise<Record<string, unknown> | null> {
  if (!UUID.test(id)) return null;
  const found = await publishedOrganizations(db, hotlineId, { page: 1, per_page: 1 }).select('o.id').where('o.id', '=', id.toLowerCase()).executeTakeFirst();
  if (!found) return null;
  const [org] = await buildOrganizations(db, hotlineId, [found.id], { contacts: false, nested: true });
  return org ?? null;
}
