import fs from 'node:fs/promises';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { sql, type Kysely } from 'kysely';
import { HSDS_ENTITIES, HSDS_LINKS, HSDS_NUMERIC_FIELDS, HSDS_REQUIRED_LINKS, HSDS_SCHEMAS, NESTED_KEYS, type HsdsEntity } from '../../shared/directory/hsds.js';
import type { DbOrTx } from '../db/db.js';

/** One row of the input that was not imported, and why (the rest of the input is imported). */
export interface ImportIssue {
  /** Where the row came from: `services.csv line 3` or `$[0].phones[1]`. */
  source: string;
  entity: string;
  id: string | null;
  reason: string;
}

export interface Candidate {
  entity: HsdsEntity;
  source: string;
  row: Record<string, unknown>;
}

/** Everything read from one input, before validation: core candidates plus rows rejected while reading. */
export interface Collected {
  candidates: Candidate[];
  rejected: ImportIssue[];
  notices: string[];
}

export const TABLE: Record<HsdsEntity, string> = Object.fromEntries(HSDS_ENTITIES.map((e) => [e, `hsds_${e}`])) as Record<HsdsEntity, string>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const idOf = (v: unknown): string | null => (isObject(v) && typeof v.id === 'string' ? v.id : null);

// ---------------------------------------------------------------------------------------------------------------
// HSDS JSON (API shapes): a service, organization, location or service_at_location object, a list of them, or a page.

type Children = Record<string, { entity: HsdsEntity; link?: string; many: boolean; setOnParent?: string }>;
const CHILDREN: Partial<Record<HsdsEntity, Children>> = {
  service: {
    organization: { entity: 'organization', many: false, setOnParent: 'organization_id' },
    phones: { entity: 'phone', link: 'service_id', many: true },
    schedules: { entity: 'schedule', link: 'service_id', many: true },
    service_areas: { entity: 'service_area', link: 'service_id', many: true },
    service_at_locations: { entity: 'service_at_location', link: 'service_id', many: true },
    languages: { entity: 'language', link: 'service_id', many: true },
    contacts: { entity: 'contact', link: 'service_id', many: true },
    attributes: { entity: 'attribute', link: 'link_id', many: true },
  },
  organization: {
    contacts: { entity: 'contact', link: 'organization_id', many: true },
    phones: { entity: 'phone', link: 'organization_id', many: true },
    locations: { entity: 'location', link: 'organization_id', many: true },
    services: { entity: 'service', link: 'organization_id', many: true },
    attributes: { entity: 'attribute', link: 'link_id', many: true },
  },
  location: {
    languages: { entity: 'language', link: 'location_id', many: true },
    addresses: { entity: 'address', link: 'location_id', many: true },
    contacts: { entity: 'contact', link: 'location_id', many: true },
    phones: { entity: 'phone', link: 'location_id', many: true },
    schedules: { entity: 'schedule', link: 'location_id', many: true },
    attributes: { entity: 'attribute', link: 'link_id', many: true },
  },
  service_at_location: {
    contacts: { entity: 'contact', link: 'service_at_location_id', many: true },
    phones: { entity: 'phone', link: 'service_at_location_id', many: true },
    schedules: { entity: 'schedule', link: 'service_at_location_id', many: true },
    location: { entity: 'location', many: false, setOnParent: 'location_id' },
    service: { entity: 'service', many: false, setOnParent: 'service_id' },
    attributes: { entity: 'attribute', link: 'link_id', many: true },
  },
  contact: { phones: { entity: 'phone', link: 'contact_id', many: true } },
  phone: { languages: { entity: 'language', link: 'phone_id', many: true } },
  attribute: { taxonomy_term: { entity: 'taxonomy_term', many: false, setOnParent: 'taxonomy_term_id' } },
};

function detectEntity(item: Record<string, unknown>): HsdsEntity {
  if (!('name' in item) && ('location' in item || 'service' in item || 'service_id' in item)) return 'service_at_location';
  if ('location_type' in item) return 'location';
  if ('status' in item || 'service_at_locations' in item) return 'service';
  if ('term_uri' in item || 'taxonomy_id' in item || 'taxonomy_detail' in item) return 'taxonomy_term';
  return 'organization';
}

/** Reads an HSDS JSON document into candidate rows (nested objects become linked rows). */
export function collectJson(document: unknown): Collected {
  const out: Collected = { candidates: [], rejected: [], notices: [] };
  const visit = (entity: HsdsEntity, value: unknown, source: string, inherited: Record<string, string>) => {
    if (!isObject(value)) {
      out.rejected.push({ source, entity, id: null, reason: 'not a JSON object' });
      return;
    }
    const flat: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!(NESTED_KEYS as readonly string[]).includes(k) && v !== null) flat[k] = v;
    const children = CHILDREN[entity] ?? {};
    for (const [key, spec] of Object.entries(children)) {
      if (spec.setOnParent && flat[spec.setOnParent] === undefined && idOf(value[key])) flat[spec.setOnParent] = idOf(value[key]);
    }
    for (const [k, v] of Object.entries(inherited)) if (flat[k] === undefined) flat[k] = v;
    if (entity === 'attribute' && flat.link_entity === undefined && inherited.link_id) flat.link_entity = inherited.__entity;
    delete flat.__entity;
    out.candidates.push({ entity, source, row: flat });
    const id = typeof value.id === 'string' ? value.id : null;
    for (const [key, spec] of Object.entries(children)) {
      const child = value[key];
      if (child === undefined || child === null) continue;
      const childInherited: Record<string, string> = spec.link && id ? { [spec.link]: id, ...(spec.link === 'link_id' ? { __entity: entity } : {}) } : {};
      if (spec.many) {
        if (!Array.isArray(child)) {
          out.rejected.push({ source: `${source}.${key}`, entity: spec.entity, id: null, reason: 'must be an array' });
          continue;
        }
        child.forEach((c, i) => visit(spec.entity, c, `${source}.${key}[${i}]`, childInherited));
      } else {
        visit(spec.entity, child, `${source}.${key}`, childInherited);
      }
    }
  };

  const visitItem = (item: unknown, source: string) => (isObject(item) ? visit(detectEntity(item), item, source, {}) : out.rejected.push({ source, entity: 'unknown', id: null, reason: 'not a JSON object' }));
  if (Array.isArray(document)) document.forEach((item, i) => visitItem(item, `$[${i}]`));
  else if (isObject(document) && Array.isArray(document.contents)) document.contents.forEach((item, i) => visitItem(item, `$.contents[${i}]`));
  else if (isObject(document) && document.id === undefined && Object.values(document).some(Array.isArray)) {
    const keyed: Record<string, HsdsEntity> = { services: 'service', organizations: 'organization', locations: 'location', service_at_locations: 'service_at_location', taxonomy_terms: 'taxonomy_term' };
    for (const [key, value] of Object.entries(document)) {
      const entity = keyed[key];
      if (!entity || !Array.isArray(value)) {
        out.notices.push(`"${key}" is not a collection Catalyst imports; ignored`);
        continue;
      }
      value.forEach((item, i) => visit(entity, item, `$.${key}[${i}]`, {}));
    }
  } else visitItem(document, '$');
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The HSDS tabular datapackage: a folder of CSV files (and datapackage.json naming them).

const CORE_RESOURCES: Record<string, HsdsEntity> = {
  organization: 'organization', service: 'service', location: 'location', service_at_location: 'service_at_location', phone: 'phone', contact: 'contact',
  language: 'language', schedule: 'schedule', service_area: 'service_area', address: 'address', taxonomy_term: 'taxonomy_term', attribute: 'attribute',
};
/** Rows of these tables are carried inside their parent's HSDS object (as the nested JSON format does). */
const CARRIED_RESOURCES: Record<string, { parents: [string, HsdsEntity, string][] }> = {
  funding: { parents: [['organization_id', 'organization', 'funding'], ['service_id', 'service', 'funding']] },
  cost_option: { parents: [['service_id', 'service', 'cost_options']] },
  required_document: { parents: [['service_id', 'service', 'required_documents']] },
  accessibility: { parents: [['location_id', 'location', 'accessibility']] },
  organization_identifier: { parents: [['organization_id', 'organization', 'organization_identifiers']] },
  program: { parents: [['organization_id', 'organization', 'programs']] },
  taxonomy: { parents: [] },
};
const IGNORED_RESOURCES = new Set(['metadata', 'meta_table_description']);
export const DEFAULT_PATHS: Record<string, string> = {
  organization: 'organizations.csv', service: 'services.csv', location: 'locations.csv', service_at_location: 'service_at_location.csv', phone: 'phones.csv',
  contact: 'contacts.csv', language: 'languages.csv', schedule: 'schedules.csv', service_area: 'service_areas.csv', address: 'addresses.csv',
  taxonomy_term: 'taxonomy_terms.csv', attribute: 'attributes.csv', funding: 'funding.csv', cost_option: 'cost_options.csv',
  required_document: 'required_documents.csv', accessibility: 'accessibility.csv', organization_identifier: 'organization_identifiers.csv',
  program: 'programs.csv', taxonomy: 'taxonomies.csv', metadata: 'metadata.csv', meta_table_description: 'meta_table_descriptions.csv',
};

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function typedCsvRow(record: Record<string, string>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [k, raw] of Object.entries(record)) {
    if (raw === undefined || raw === '') continue;
    if (HSDS_NUMERIC_FIELDS.has(k)) {
      const n = Number(raw);
      row[k] = Number.isFinite(n) && raw.trim() !== '' ? n : raw;
    } else row[k] = raw;
  }
  return row;
}

/** Reads a datapackage folder (CSV files named by datapackage.json, or the standard HSDS file names). */
export async function collectDatapackage(dir: string): Promise<Collected> {
  const out: Collected = { candidates: [], rejected: [], notices: [] };
  const paths: Record<string, string> = { ...DEFAULT_PATHS };
  try {
    const descriptor = JSON.parse(await fs.readFile(path.join(dir, 'datapackage.json'), 'utf8')) as { resources?: { name?: string; path?: string }[] };
    for (const r of descriptor.resources ?? []) {
      if (typeof r.name === 'string' && typeof r.path === 'string' && !path.isAbsolute(r.path) && !r.path.split(/[\\/]/).includes('..')) paths[r.name] = r.path;
    }
  } catch {
    out.notices.push('datapackage.json is missing or not JSON: reading the standard HSDS file names');
  }

  const carried: { resource: string; source: string; row: Record<string, unknown> }[] = [];
  for (const [resource, file] of Object.entries(paths)) {
    let text: string;
    try {
      text = await fs.readFile(path.join(dir, file), 'utf8');
    } catch {
      continue; // a datapackage need not have every table
    }
    if (IGNORED_RESOURCES.has(resource)) {
      out.notices.push(`${file}: not imported (Catalyst keeps its own change history in the audit log)`);
      continue;
    }
    const entity = CORE_RESOURCES[resource];
    if (!entity && !CARRIED_RESOURCES[resource]) {
      out.notices.push(`${file}: resource "${resource}" is not part of HSDS 3.0 core; ignored`);
      continue;
    }
    let records: { record: Record<string, string>; info: { lines: number } }[];
    try {
      records = parseCsv(text, { columns: true, bom: true, skip_empty_lines: true, info: true, relax_column_count: false }) as never;
    } catch (error) {
      out.rejected.push({ source: file, entity: entity ?? resource, id: null, reason: `not readable as CSV: ${(error as Error).message.split('\n')[0]}` });
      continue;
    }
    for (const { record, info } of records) {
      const source = `${file} line ${info.lines}`;
      const row = typedCsvRow(record);
      if (entity) out.candidates.push({ entity, source, row });
      else carried.push({ resource, source, row });
    }
  }

  // Carried tables join their parent's object; taxonomies become the taxonomy_detail of their terms.
  const byId = new Map<string, Candidate>();
  for (const c of out.candidates) if (typeof c.row.id === 'string') byId.set(`${c.entity}:${c.row.id}`, c);
  for (const { resource, source, row } of carried) {
    const id = typeof row.id === 'string' ? row.id : null;
    if (!id || !UUID.test(id)) {
      out.rejected.push({ source, entity: resource, id, reason: 'id: must be a UUID' });
      continue;
    }
    if (resource === 'taxonomy') {
      const terms = out.candidates.filter((c) => c.entity === 'taxonomy_term' && c.row.taxonomy_id === id);
      for (const t of terms) t.row.taxonomy_detail = { ...row };
      if (!terms.length) out.notices.push(`${source}: taxonomy ${id} is used by no taxonomy term in this package; not imported`);
      continue;
    }
    let attached = false;
    for (const [field, parentEntity, key] of CARRIED_RESOURCES[resource].parents) {
      const parentId = row[field];
      const parent = typeof parentId === 'string' ? byId.get(`${parentEntity}:${parentId}`) : undefined;
      if (!parent) continue;
      const list = Array.isArray(parent.row[key]) ? (parent.row[key] as unknown[]) : [];
      list.push(Object.fromEntries(Object.entries(row).filter(([k]) => k !== field)));
      parent.row[key] = list;
      attached = true;
    }
    if (resource === 'program') {
      for (const c of out.candidates) if (c.entity === 'service' && c.row.program_id === id) { c.row.program = { ...row }; attached = true; }
    }
    if (!attached) out.rejected.push({ source, entity: resource, id, reason: `its ${CARRIED_RESOURCES[resource].parents.map((p) => p[0]).join(' or ')} matches no record in this package` });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Validation and link resolution.

export interface ResolvedRow {
  entity: HsdsEntity;
  id: string;
  links: Record<string, string | null>;
  data: Record<string, unknown>;
}

export interface Resolution {
  accepted: ResolvedRow[];
  rejected: ImportIssue[];
  warnings: ImportIssue[];
}

function formatIssues(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues.slice(0, 5).map((i) => `${i.path.length ? i.path.map(String).join('.') : 'row'}: ${i.message}`).join('; ');
}

const LINK_FIELDS = (entity: HsdsEntity) => [...Object.keys(HSDS_LINKS[entity]), ...(entity === 'attribute' ? ['link_id'] : []), ...(entity === 'taxonomy_term' ? ['taxonomy_id', 'parent_id'] : [])];

/**
 * Validates every candidate against Catalyst's HSDS schemas, merges repeated objects (the same phone nested under a
 * service, its location and a contact is one phone with several links), and checks links against the rows accepted
 * so far and the hotline's existing directory. Dangling optional links are dropped with a warning; a row that cannot
 * stand without a link it lacks is rejected.
 */
export async function resolveCandidates(db: DbOrTx, hotlineId: string, collected: Collected): Promise<Resolution> {
  const rejected = [...collected.rejected];
  const warnings: ImportIssue[] = [];
  const merged = new Map<string, { entity: HsdsEntity; source: string; row: Record<string, unknown> }>();
  for (const c of collected.candidates) {
    const id = typeof c.row.id === 'string' ? c.row.id.toLowerCase() : null;
    if (!id || !UUID.test(id)) {
      rejected.push({ source: c.source, entity: c.entity, id: typeof c.row.id === 'string' ? c.row.id : null, reason: c.row.id === undefined ? 'id: required' : 'id: must be a UUID' });
      continue;
    }
    const key = `${c.entity}:${id}`;
    const existing = merged.get(key);
    if (!existing) merged.set(key, { entity: c.entity, source: c.source, row: { ...c.row, id } });
    else for (const [k, v] of Object.entries(c.row)) if (existing.row[k] === undefined) existing.row[k] = v;
  }

  const acceptedIds: Record<HsdsEntity, Set<string>> = Object.fromEntries(HSDS_ENTITIES.map((e) => [e, new Set<string>()])) as never;
  const accepted: ResolvedRow[] = [];
  const anyDb = db as unknown as Kysely<any>;
  const existsInDb = async (entity: HsdsEntity, ids: string[]) => {
    if (!ids.length) return new Set<string>();
    const found = new Set<string>();
    for (let i = 0; i < ids.length; i += 1000) {
      const rows = await anyDb.selectFrom(TABLE[entity]).select('id').where('hotline_id', '=', hotlineId).where('id', 'in', ids.slice(i, i + 1000)).execute();
      for (const r of rows) found.add(r.id);
    }
    return found;
  };

  for (const entity of HSDS_ENTITIES) {
    const rows = [...merged.values()].filter((m) => m.entity === entity);
    const valid: typeof rows = [];
    for (const m of rows) {
      const parsed = HSDS_SCHEMAS[entity].safeParse(m.row);
      if (!parsed.success) rejected.push({ source: m.source, entity, id: m.row.id as string, reason: formatIssues(parsed.error as never) });
      else valid.push({ ...m, row: parsed.data });
    }
    // Which referenced ids are neither in this import nor already in the hotline's directory?
    const links = HSDS_LINKS[entity];
    const missing = new Map<HsdsEntity, Set<string>>();
    for (const m of valid) {
      for (const [field, target] of Object.entries(links)) {
        const ref = m.row[field];
        if (typeof ref === 'string' && !acceptedIds[target].has(ref.toLowerCase())) (missing.get(target) ?? missing.set(target, new Set()).get(target)!).add(ref.toLowerCase());
      }
    }
    const inDb = new Map<HsdsEntity, Set<string>>();
    for (const [target, ids] of missing) inDb.set(target, await existsInDb(target, [...ids]));
    const known = (target: HsdsEntity, ref: string) => acceptedIds[target].has(ref) || (inDb.get(target)?.has(ref) ?? false);

    for (const m of valid) {
      const id = m.row.id as string;
      const linkValues: Record<string, string | null> = {};
      for (const [field, target] of Object.entries(links)) {
        const ref = typeof m.row[field] === 'string' ? (m.row[field] as string).toLowerCase() : null;
        if (ref && !known(target, ref)) {
          warnings.push({ source: m.source, entity, id, reason: `${field} ${ref} matches no ${target}; link dropped` });
          linkValues[field] = null;
        } else linkValues[field] = ref;
      }
      if (entity === 'attribute') {
        const ref = typeof m.row.link_id === 'string' ? m.row.link_id.toLowerCase() : null;
        const linkEntity = typeof m.row.link_entity === 'string' && (HSDS_ENTITIES as readonly string[]).includes(m.row.link_entity) ? (m.row.link_entity as HsdsEntity) : null;
        const targets = linkEntity ? [linkEntity] : HSDS_ENTITIES.filter((e) => e !== 'attribute');
        let found = false;
        for (const t of targets) if (ref && (acceptedIds[t].has(ref) || (await existsInDb(t, [ref])).size)) { found = true; break; }
        if (!found) {
          rejected.push({ source: m.source, entity, id, reason: ref ? `link_id ${ref} matches no ${linkEntity ?? 'record'}` : 'link_id: required' });
          continue;
        }
        linkValues.link_id = ref;
      }
      if (entity === 'taxonomy_term') {
        linkValues.taxonomy_id = typeof m.row.taxonomy_id === 'string' ? m.row.taxonomy_id.toLowerCase() : null;
        linkValues.parent_id = typeof m.row.parent_id === 'string' ? m.row.parent_id.toLowerCase() : null;
      }
      const required = HSDS_REQUIRED_LINKS[entity];
      if (required) {
        const lacking = (required.allOf ?? []).filter((f) => !linkValues[f]);
        if (lacking.length) {
          rejected.push({ source: m.source, entity, id, reason: `needs ${lacking.join(' and ')} matching an imported record` });
          continue;
        }
        if (!required.anyOf.some((f) => linkValues[f])) {
          rejected.push({ source: m.source, entity, id, reason: `needs one of ${required.anyOf.join(', ')} matching an imported record` });
          continue;
        }
      }
      const data: Record<string, unknown> = { ...m.row };
      for (const f of LINK_FIELDS(entity)) if (f !== 'taxonomy_id' && f !== 'parent_id') delete data[f];
      acceptedIds[entity].add(id);
      accepted.push({ entity, id, links: linkValues, data });
    }
  }
  return { accepted, rejected, warnings };
}

// ---------------------------------------------------------------------------------------------------------------
// Writing.

const CORE_COLUMNS: Partial<Record<HsdsEntity, (data: Record<string, unknown>) => Record<string, unknown>>> = {
  organization: (d) => ({ name: d.name }),
  taxonomy_term: (d) => ({ name: d.name, code: d.code ?? null }),
  service: (d) => ({ name: d.name, status: d.status }),
  location: (d) => ({
    name: d.name ?? null,
    location_type: d.location_type,
    latitude: typeof d.latitude === 'number' && Math.abs(d.latitude) <= 90 ? d.latitude : null,
    longitude: typeof d.longitude === 'number' && Math.abs(d.longitude) <= 180 ? d.longitude : null,
  }),
  language: (d) => ({ code: d.code ?? null }),
  attribute: (d) => ({ link_entity: d.link_entity ?? null }),
};

/**
 * Upserts accepted rows, keyed on (hotline, HSDS id): importing the same data again changes nothing. Links are
 * merged (a link already stored is kept when the new row does not name one), other fields are replaced.
 */
export async function writeRows(tx: DbOrTx, hotlineId: string, rows: ResolvedRow[], onProgress?: (done: number) => void): Promise<void> {
  const anyTx = tx as unknown as Kysely<any>;
  let done = 0;
  for (const entity of HSDS_ENTITIES) {
    const mine = rows.filter((r) => r.entity === entity);
    const linkFields = Object.keys(mine[0]?.links ?? {});
    const core = CORE_COLUMNS[entity];
    for (let i = 0; i < mine.length; i += 500) {
      const chunk = mine.slice(i, i + 500);
      const values = chunk.map((r) => ({ hotline_id: hotlineId, id: r.id, ...r.links, ...(core ? core(r.data) : {}), data: JSON.stringify(r.data), updated_at: sql`now()` }));
      const coreNames = core ? Object.keys(core(chunk[0].data)) : [];
      await anyTx
        .insertInto(TABLE[entity])
        .values(values)
        .onConflict((oc) =>
          oc.columns(['hotline_id', 'id']).doUpdateSet((eb) => ({
            ...Object.fromEntries(linkFields.map((f) => [f, sql`coalesce(excluded.${sql.ref(f)}, ${sql.ref(`${TABLE[entity]}.${f}`)})`])),
            ...Object.fromEntries(coreNames.map((f) => [f, eb.ref(`excluded.${f}`)])),
            data: eb.ref('excluded.data'),
            updated_at: sql`now()`,
          })),
        )
        .execute();
      done += chunk.length;
      onProgress?.(done);
    }
  }
  const orgIds = rows.filter((r) => r.entity === 'organization').map((r) => r.id);
  for (let i = 0; i < orgIds.length; i += 1000) {
    await anyTx
      .insertInto('directory_partner')
      .values(orgIds.slice(i, i + 1000).map((id) => ({ hotline_id: hotlineId, organization_id: id })))
      .onConflict((oc) => oc.columns(['hotline_id', 'organization_id']).doNothing())
      .execute();
  }
}
