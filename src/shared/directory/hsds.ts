import { z } from 'zod';

/**
 * Open Referral HSDS 3.0 entities as Catalyst validates them on import (our own zod transcription of the field types,
 * required fields, enums and formats; the upstream JSON Schemas are CC BY-SA 4.0 and are not copied here — the tests
 * validate our export against them). Objects are "loose": extension fields (docs/extending.md upstream) are kept.
 * Nested core entities (phones, schedules, ...) are validated one by one by the importer, not here.
 */
const uuid = z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a UUID');
const text = z.string();
const num = z.number().finite();
const email = z.string().regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an email address');
const uri = z.string().regex(/^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s]*$/, 'must be an absolute URI');
const dateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/, 'must be an RFC 3339 date-time');
/** A carried sub-object (funding, cost option, metadata, ...): an object with a UUID id; kept as given. */
const carried = z.looseObject({ id: uuid });
const carriedList = z.array(carried);

export const hsdsOrganization = z.looseObject({
  id: uuid, name: text.min(1), alternate_name: text.optional(), description: text, email: email.optional(), website: uri.optional(),
  tax_status: text.optional(), tax_id: text.optional(), year_incorporated: num.optional(), legal_status: text.optional(), logo: text.optional(),
  uri: uri.optional(), parent_organization_id: uuid.optional(),
  funding: carriedList.optional(), programs: carriedList.optional(), organization_identifiers: carriedList.optional(), metadata: carriedList.optional(),
});

export const SERVICE_STATUSES = ['active', 'inactive', 'defunct', 'temporarily closed'] as const;
export const hsdsService = z.looseObject({
  id: uuid, organization_id: uuid.optional(), program_id: uuid.optional(), name: text.min(1), alternate_name: text.optional(), description: text.optional(),
  url: uri.optional(), email: email.optional(), status: z.enum(SERVICE_STATUSES), interpretation_services: text.optional(), application_process: text.optional(),
  fees_description: text.optional(), wait_time: text.optional(), fees: text.optional(), accreditations: text.optional(), eligibility_description: text.optional(),
  minimum_age: num.optional(), maximum_age: num.optional(), assured_date: text.optional(), assurer_email: email.optional(), licenses: text.optional(),
  alert: text.optional(), last_modified: dateTime.optional(),
  funding: carriedList.optional(), cost_options: carriedList.optional(), program: carried.optional(), required_documents: carriedList.optional(), metadata: carriedList.optional(),
});

export const LOCATION_TYPES = ['physical', 'postal', 'virtual'] as const;
export const hsdsLocation = z.looseObject({
  id: uuid, location_type: z.enum(LOCATION_TYPES), url: uri.optional(), organization_id: uuid.optional(), name: text.optional(), alternate_name: text.optional(),
  description: text.optional(), transportation: text.optional(), latitude: num.optional(), longitude: num.optional(), external_identifier: text.optional(),
  external_identifier_type: text.optional(), accessibility: carriedList.optional(), metadata: carriedList.optional(),
});

export const hsdsServiceAtLocation = z.looseObject({ id: uuid, service_id: uuid.optional(), location_id: uuid.optional(), description: text.optional(), metadata: carriedList.optional() });

export const hsdsPhone = z.looseObject({
  id: uuid, location_id: uuid.optional(), service_id: uuid.optional(), organization_id: uuid.optional(), contact_id: uuid.optional(), service_at_location_id: uuid.optional(),
  number: text.min(1), extension: num.optional(), type: text.optional(), description: text.optional(), metadata: carriedList.optional(),
});

export const hsdsSchedule = z.looseObject({
  id: uuid, service_id: uuid.optional(), location_id: uuid.optional(), service_at_location_id: uuid.optional(), valid_from: text.optional(), valid_to: text.optional(),
  dtstart: text.optional(), timezone: num.optional(), until: text.optional(), count: num.optional(), wkst: z.enum(['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU']).optional(),
  freq: z.enum(['WEEKLY', 'MONTHLY']).optional(), interval: num.optional(), byday: text.optional(), byweekno: text.optional(), bymonthday: text.optional(),
  byyearday: text.optional(), description: text.optional(), opens_at: text.optional(), closes_at: text.optional(), schedule_link: uri.optional(),
  attending_type: text.optional(), notes: text.optional(), metadata: carriedList.optional(),
});

export const hsdsLanguage = z.looseObject({ id: uuid, service_id: uuid.optional(), location_id: uuid.optional(), phone_id: uuid.optional(), name: text.optional(), code: text.optional(), note: text.optional(), metadata: carriedList.optional() });

export const hsdsServiceArea = z.looseObject({ id: uuid, service_id: uuid.optional(), name: text.optional(), description: text.optional(), extent: text.optional(), extent_type: text.optional(), uri: text.optional(), metadata: carriedList.optional() });

export const hsdsAddress = z.looseObject({
  id: uuid, location_id: uuid.optional(), attention: text.optional(), address_1: text, address_2: text.optional(), city: text, region: text.optional(),
  state_province: text, postal_code: text, country: text, address_type: z.enum(LOCATION_TYPES), metadata: carriedList.optional(),
});

export const hsdsContact = z.looseObject({
  id: uuid, organization_id: uuid.optional(), service_id: uuid.optional(), service_at_location_id: uuid.optional(), location_id: uuid.optional(),
  name: text.optional(), title: text.optional(), department: text.optional(), email: email.optional(), metadata: carriedList.optional(),
});

export const hsdsTaxonomyTerm = z.looseObject({
  id: uuid, code: text.optional(), name: text.min(1), description: text, parent_id: uuid.optional(), taxonomy: text.optional(),
  taxonomy_detail: z.looseObject({ id: uuid, name: text, description: text, uri: uri.optional(), version: text.optional() }).optional(),
  language: text.optional(), taxonomy_id: uuid.optional(), term_uri: uri.optional(), metadata: carriedList.optional(),
});

export const hsdsAttribute = z.looseObject({ id: uuid, link_id: uuid.optional(), taxonomy_term_id: uuid.optional(), link_type: text.optional(), link_entity: text.optional(), value: text.optional(), metadata: carriedList.optional() });

/** The core entities Catalyst stores in their own tables, in the order an import resolves them (parents first). */
export const HSDS_ENTITIES = ['organization', 'taxonomy_term', 'service', 'location', 'service_at_location', 'contact', 'phone', 'language', 'schedule', 'service_area', 'address', 'attribute'] as const;
export type HsdsEntity = (typeof HSDS_ENTITIES)[number];

export const HSDS_SCHEMAS: Record<HsdsEntity, z.ZodType<Record<string, unknown>>> = {
  organization: hsdsOrganization, taxonomy_term: hsdsTaxonomyTerm, service: hsdsService, location: hsdsLocation, service_at_location: hsdsServiceAtLocation,
  contact: hsdsContact, phone: hsdsPhone, language: hsdsLanguage, schedule: hsdsSchedule, service_area: hsdsServiceArea, address: hsdsAddress, attribute: hsdsAttribute,
};

/** The link (foreign id) fields of each core entity and the entity each one points to. */
export const HSDS_LINKS: Record<HsdsEntity, Record<string, HsdsEntity>> = {
  organization: {},
  taxonomy_term: {},
  service: { organization_id: 'organization' },
  location: { organization_id: 'organization' },
  service_at_location: { service_id: 'service', location_id: 'location' },
  contact: { organization_id: 'organization', service_id: 'service', service_at_location_id: 'service_at_location', location_id: 'location' },
  phone: { location_id: 'location', service_id: 'service', organization_id: 'organization', contact_id: 'contact', service_at_location_id: 'service_at_location' },
  language: { service_id: 'service', location_id: 'location', phone_id: 'phone' },
  schedule: { service_id: 'service', location_id: 'location', service_at_location_id: 'service_at_location' },
  service_area: { service_id: 'service' },
  address: { location_id: 'location' },
  attribute: { taxonomy_term_id: 'taxonomy_term' },
};

/**
 * Links a row cannot live without: at least one of these must point at an existing record, or the row is rejected.
 * (A dangling optional link, e.g. a location naming an unknown organization, is dropped with a warning instead.)
 */
export const HSDS_REQUIRED_LINKS: Partial<Record<HsdsEntity, { anyOf: string[]; allOf?: string[] }>> = {
  service_at_location: { anyOf: ['service_id'], allOf: ['service_id', 'location_id'] },
  phone: { anyOf: ['location_id', 'service_id', 'organization_id', 'contact_id', 'service_at_location_id'] },
  language: { anyOf: ['service_id', 'location_id', 'phone_id'] },
  schedule: { anyOf: ['service_id', 'location_id', 'service_at_location_id'] },
  service_area: { anyOf: ['service_id'] },
  address: { anyOf: ['location_id'] },
  contact: { anyOf: ['organization_id', 'service_id', 'service_at_location_id', 'location_id'] },
  attribute: { anyOf: ['taxonomy_term_id'] },
};

/** The fields nested objects use to hold child core entities; stripped from the stored flat object. */
export const NESTED_KEYS = ['phones', 'schedules', 'service_areas', 'service_at_locations', 'languages', 'organization', 'contacts', 'attributes', 'locations', 'addresses', 'location', 'services', 'service', 'taxonomy_term'] as const;

/** Numeric fields in the tabular (CSV) format, converted from text on import. */
export const HSDS_NUMERIC_FIELDS = new Set(['year_incorporated', 'minimum_age', 'maximum_age', 'latitude', 'longitude', 'extension', 'timezone', 'count', 'interval', 'amount']);

/** The paging envelope of the HSDS OpenAPI (components.schemas.Page) plus `contents`. */
export interface HsdsPage<T> {
  total_items: number;
  total_pages: number;
  page_number: number;
  size: number;
  first_page: boolean;
  last_page: boolean;
  empty: boolean;
  contents: T[];
}
