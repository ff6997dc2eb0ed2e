import type { Kysely } from 'kysely';
import type { DbOrTx } from '../db/db.js';

type Row = { id: string; data: Record<string, unknown> } & Record<string, unknown>;
type Obj = Record<string, unknown>;

export interface BuildOptions {
  /**
   * Include partner staff details: contacts (names, emails, their phones) and HSDS `metadata` change records (which
   * name who edited). Off for the public read API.
   */
  contacts: boolean;
}

/** The public view drops HSDS metadata (change records name the people who edited). */
function strip(value: Obj, opts: BuildOptions): Obj {
  if (opts.contacts) return value;
  const { metadata: _metadata, ...rest } = value;
  return rest;
}

const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((r) => [r.id, r]));
function group(rows: Row[], field: string): Map<string, Row[]> {
  const map = new Map<string, Row[]>();
  for (const r of rows) {
    const key = r[field];
    if (typeof key !== 'string') continue;
    (map.get(key) ?? map.set(key, []).get(key)!).push(r);
  }
  return map;
}
const sorted = (rows: Row[] | undefined) => (rows ?? []).slice().sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

async function load(db: DbOrTx, table: string, hotlineId: string, where: [string, string[]][]): Promise<Row[]> {
  const anyDb = db as unknown as Kysely<any>;
  const wanted = where.filter(([, ids]) => ids.length);
  if (!wanted.length) return [];
  const rows = await anyDb
    .selectFrom(table)
    .selectAll()
    .where('hotline_id', '=', hotlineId)
    .where((eb) => eb.or(wanted.map(([field, ids]) => eb(field, 'in', ids))))
    .execute();
  return rows as Row[];
}

/**
 * Builds HSDS 3.0 `service` objects (as examples/service_full.json upstream) for the given services, with their
 * organization, service-at-locations and locations (addresses, languages, phones, schedules), phones, schedules,
 * service areas, languages, contacts (optional) and attributes with their taxonomy terms. A few queries per batch,
 * never one per service.
 */
export async function buildServices(db: DbOrTx, hotlineId: string, serviceIds: string[], opts: BuildOptions): Promise<Obj[]> {
  if (!serviceIds.length) return [];
  const services = await load(db, 'hsds_service', hotlineId, [['id', serviceIds]]);
  const orgIds = [...new Set(services.map((s) => s.organization_id).filter((v): v is string => typeof v === 'string'))];
  const [organizations, sals] = await Promise.all([
    load(db, 'hsds_organization', hotlineId, [['id', orgIds]]),
    load(db, 'hsds_service_at_location', hotlineId, [['service_id', serviceIds]]),
  ]);
  const salIds = sals.map((s) => s.id);
  const locationIds = [...new Set(sals.map((s) => s.location_id).filter((v): v is string => typeof v === 'string'))];
  const [locations, contacts, schedules, serviceAreas, addresses] = await Promise.all([
    load(db, 'hsds_location', hotlineId, [['id', locationIds]]),
    opts.contacts ? load(db, 'hsds_contact', hotlineId, [['service_id', serviceIds], ['organization_id', orgIds], ['service_at_location_id', salIds], ['location_id', locationIds]]) : Promise.resolve([] as Row[]),
    load(db, 'hsds_schedule', hotlineId, [['service_id', serviceIds], ['service_at_location_id', salIds], ['location_id', locationIds]]),
    load(db, 'hsds_service_area', hotlineId, [['service_id', serviceIds]]),
    load(db, 'hsds_address', hotlineId, [['location_id', locationIds]]),
  ]);
  const contactIds = contacts.map((c) => c.id);
  const phones = await load(db, 'hsds_phone', hotlineId, [['service_id', serviceIds], ['organization_id', orgIds], ['service_at_location_id', salIds], ['location_id', locationIds], ['contact_id', contactIds]]);
  const visiblePhones = opts.contacts ? phones : phones.filter((p) => !p.contact_id || p.service_id || p.organization_id || p.location_id || p.service_at_location_id);
  const phoneIds = visiblePhones.map((p) => p.id);
  const [languages, attributes] = await Promise.all([
    load(db, 'hsds_language', hotlineId, [['service_id', serviceIds], ['location_id', locationIds], ['phone_id', phoneIds]]),
    load(db, 'hsds_attribute', hotlineId, [['link_id', [...serviceIds, ...orgIds, ...locationIds, ...salIds]]]),
  ]);
  const termIds = [...new Set(attributes.map((a) => a.taxonomy_term_id).filter((v): v is string => typeof v === 'string'))];
  const terms = byId(await load(db, 'hsds_taxonomy_term', hotlineId, [['id', termIds]]));

  const langBy = { service: group(languages, 'service_id'), location: group(languages, 'location_id'), phone: group(languages, 'phone_id') };
  const phoneBy = { service: group(visiblePhones, 'service_id'), organization: group(visiblePhones, 'organization_id'), sal: group(visiblePhones, 'service_at_location_id'), location: group(visiblePhones, 'location_id'), contact: group(visiblePhones, 'contact_id') };
  const contactBy = { service: group(contacts, 'service_id'), organization: group(contacts, 'organization_id'), sal: group(contacts, 'service_at_location_id'), location: group(contacts, 'location_id') };
  const scheduleBy = { service: group(schedules, 'service_id'), sal: group(schedules, 'service_at_location_id'), location: group(schedules, 'location_id') };
  const attributeBy = group(attributes, 'link_id');
  const areaBy = group(serviceAreas, 'service_id');
  const addressBy = group(addresses, 'location_id');
  const salBy = group(sals, 'service_id');
  const locationsById = byId(locations);
  const orgsById = byId(organizations);

  const plain = (r: Row) => strip({ ...r.data, id: r.id }, opts);
  const language = (r: Row) => plain(r);
  const phone = (r: Row) => ({ ...plain(r), languages: sorted(langBy.phone.get(r.id)).map(language) });
  const contact = (r: Row) => ({ ...plain(r), phones: sorted(phoneBy.contact.get(r.id)).map(phone) });
  const attribute = (r: Row) => {
    const term = typeof r.taxonomy_term_id === 'string' ? terms.get(r.taxonomy_term_id) : undefined;
    return { ...plain(r), ...(r.taxonomy_term_id ? { taxonomy_term_id: r.taxonomy_term_id } : {}), ...(term ? { taxonomy_term: plain(term) } : {}) };
  };
  const withAttributes = (id: string) => {
    const list = sorted(attributeBy.get(id)).map(attribute);
    return list.length ? { attributes: list } : {};
  };
  const withContacts = (list: Row[] | undefined) => (opts.contacts ? { contacts: sorted(list).map(contact) } : {});
  const location = (r: Row) => ({
    ...plain(r),
    languages: sorted(langBy.location.get(r.id)).map(language),
    addresses: sorted(addressBy.get(r.id)).map(plain),
    ...withContacts(contactBy.location.get(r.id)),
    phones: sorted(phoneBy.location.get(r.id)).map(phone),
    schedules: sorted(scheduleBy.location.get(r.id)).map(plain),
    ...withAttributes(r.id),
  });
  const organization = (r: Row) => ({
    ...plain(r),
    ...withContacts(contactBy.organization.get(r.id)),
    phones: sorted(phoneBy.organization.get(r.id)).map(phone),
    ...withAttributes(r.id),
  });
  const serviceAtLocation = (r: Row) => {
    const loc = typeof r.location_id === 'string' ? locationsById.get(r.location_id) : undefined;
    return {
      ...plain(r),
      ...withContacts(contactBy.sal.get(r.id)),
      phones: sorted(phoneBy.sal.get(r.id)).map(phone),
      schedules: sorted(scheduleBy.sal.get(r.id)).map(plain),
      ...(loc ? { location: location(loc) } : {}),
      ...withAttributes(r.id),
    };
  };
  const order = new Map(serviceIds.map((id, i) => [id, i]));
  return services
    .sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0))
    .map((s) => {
      const org = typeof s.organization_id === 'string' ? orgsById.get(s.organization_id) : undefined;
      return {
        ...plain(s),
        ...(s.organization_id ? { organization_id: s.organization_id } : {}),
        phones: sorted(phoneBy.service.get(s.id)).map(phone),
        schedules: sorted(scheduleBy.service.get(s.id)).map(plain),
        service_areas: sorted(areaBy.get(s.id)).map(plain),
        service_at_locations: sorted(salBy.get(s.id)).map(serviceAtLocation),
        languages: sorted(langBy.service.get(s.id)).map(language),
        ...(org ? { organization: organization(org) } : {}),
        ...withContacts(contactBy.service.get(s.id)),
        ...withAttributes(s.id),
      };
    });
}

/** HSDS `organization` objects with their phones, locations and (flat) services; contacts only when asked. */
export async function buildOrganizations(db: DbOrTx, hotlineId: string, organizationIds: string[], opts: BuildOptions & { nested: boolean }): Promise<Obj[]> {
  if (!organizationIds.length) return [];
  const orgs = await load(db, 'hsds_organization', hotlineId, [['id', organizationIds]]);
  const order = new Map(organizationIds.map((id, i) => [id, i]));
  orgs.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  if (!opts.nested) return orgs.map((o) => strip({ ...o.data, id: o.id }, opts));
  const [phones, locations, services, contacts] = await Promise.all([
    load(db, 'hsds_phone', hotlineId, [['organization_id', organizationIds]]),
    load(db, 'hsds_location', hotlineId, [['organization_id', organizationIds]]),
    load(db, 'hsds_service', hotlineId, [['organization_id', organizationIds]]),
    opts.contacts ? load(db, 'hsds_contact', hotlineId, [['organization_id', organizationIds]]) : Promise.resolve([] as Row[]),
  ]);
  const addresses = group(await load(db, 'hsds_address', hotlineId, [['location_id', locations.map((l) => l.id)]]), 'location_id');
  const phoneBy = group(phones, 'organization_id');
  const locationBy = group(locations, 'organization_id');
  const serviceBy = group(services, 'organization_id');
  const contactBy = group(contacts, 'organization_id');
  const plain = (r: Row) => strip({ ...r.data, id: r.id }, opts);
  return orgs.map((o) => ({
    ...plain(o),
    ...(opts.contacts ? { contacts: sorted(contactBy.get(o.id)).map(plain) } : {}),
    phones: sorted(phoneBy.get(o.id)).map(plain),
    locations: sorted(locationBy.get(o.id)).map((l) => ({ ...plain(l), addresses: sorted(addresses.get(l.id)).map(plain) })),
    services: sorted(serviceBy.get(o.id)).map(plain),
  }));
}
