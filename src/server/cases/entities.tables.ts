import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** An organisation (business, venue) or a place on a case (migration 0023_search_more). */
export interface CaseEntityTable {
  id: Generated<string>;
  hotline_id: string;
  case_id: string;
  kind: 'organisation' | 'place';
  /** Encrypted JSON: name, aliases, industry, address, coordinates, description (`case_entity.details`). */
  details: Buffer;
  isic_section: string | null;
  admin_area: string | null;
  created_by: string | null;
  created_at: ColumnType<Date, never, never>;
  updated_at: Timestamp;
  version: ColumnType<number, number | undefined, number>;
}

declare module '../db/schema.js' {
  interface Database {
    case_entity: CaseEntityTable;
  }
}
