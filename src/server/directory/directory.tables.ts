import type { ColumnType, Generated } from 'kysely';

// Kysely types for the directory tables (migration 0012), added to the Database interface by module augmentation.
type Json = ColumnType<unknown, string, string>;
type Stamp = ColumnType<Date, string | undefined, never>;
type Updated = ColumnType<Date, Date | undefined, Date>;

interface HsdsBase {
  hotline_id: string;
  id: string;
  data: Json;
  created_at: Generated<Date>;
  updated_at: Updated;
}

export interface HsdsOrganizationTable extends HsdsBase { name: string }
export interface HsdsServiceTable extends HsdsBase { organization_id: string | null; name: string; status: string }
export interface HsdsLocationTable extends HsdsBase { organization_id: string | null; name: string | null; location_type: string; latitude: number | null; longitude: number | null }
export interface HsdsServiceAtLocationTable extends HsdsBase { service_id: string | null; location_id: string | null }
export interface HsdsTaxonomyTermTable extends HsdsBase { taxonomy_id: string | null; parent_id: string | null; name: string; code: string | null; labels: ColumnType<unknown, string | null | undefined, string | null>; is_active: boolean | null }
export interface HsdsAttributeTable extends HsdsBase { taxonomy_term_id: string | null; link_id: string | null; link_entity: string | null }
export interface HsdsScheduleTable extends HsdsBase { service_id: string | null; location_id: string | null; service_at_location_id: string | null }
export interface HsdsLanguageTable extends HsdsBase { service_id: string | null; location_id: string | null; phone_id: string | null; code: string | null }
export interface HsdsServiceAreaTable extends HsdsBase { service_id: string | null }
export interface HsdsPhoneTable extends HsdsBase { location_id: string | null; service_id: string | null; organization_id: string | null; contact_id: string | null; service_at_location_id: string | null }
export interface HsdsContactTable extends HsdsBase { organization_id: string | null; service_id: string | null; service_at_location_id: string | null; location_id: string | null }
export interface HsdsAddressTable extends HsdsBase { location_id: string | null }

export interface DirectoryPartnerTable {
  hotline_id: string;
  organization_id: string;
  vetting_status: ColumnType<string, string | undefined, string>;
  vetting_evidence: string | null;
  review_due_on: ColumnType<string | null, string | null | undefined, string | null>;
  mou_signed_on: ColumnType<string | null, string | null | undefined, string | null>;
  mou_expires_on: ColumnType<string | null, string | null | undefined, string | null>;
  accepts: ColumnType<unknown, string | undefined, string>;
  referral_protocol: string | null;
  time_zone: string | null;
  updated_at: Updated;
}

export interface DirectoryStateTable {
  hotline_id: string;
  version: ColumnType<number, number | undefined, number>;
}

declare module '../db/schema.js' {
  interface Database {
    hsds_organization: HsdsOrganizationTable;
    hsds_service: HsdsServiceTable;
    hsds_location: HsdsLocationTable;
    hsds_service_at_location: HsdsServiceAtLocationTable;
    hsds_taxonomy_term: HsdsTaxonomyTermTable;
    hsds_attribute: HsdsAttributeTable;
    hsds_schedule: HsdsScheduleTable;
    hsds_language: HsdsLanguageTable;
    hsds_service_area: HsdsServiceAreaTable;
    hsds_phone: HsdsPhoneTable;
    hsds_contact: HsdsContactTable;
    hsds_address: HsdsAddressTable;
    directory_partner: DirectoryPartnerTable;
    directory_state: DirectoryStateTable;
  }
}
export type { Stamp };
