import '../cases/entities.tables.js';
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface SearchDocTable {
  record_type: 'case' | 'person' | 'contact' | 'case_note' | 'case_entity';
  record_id: string;
  hotline_id: string;
  case_id: string | null;
  name_tokens: ColumnType<number[], number[] | undefined, number[]>;
  text_tokens: ColumnType<number[], number[] | undefined, number[]>;
  indexed_at: Timestamp;
}

export interface SearchWatermarkTable {
  hotline_id: string;
  source: string;
  indexed_until: Timestamp;
}

export interface SavedSearchTable {
  id: Generated<string>;
  hotline_id: string;
  user_id: string;
  name: Buffer;
  params: Buffer;
  created_at: ColumnType<Date, never, never>;
}

export interface RecentItemTable {
  hotline_id: string;
  user_id: string;
  record_type: string;
  record_id: string;
  viewed_at: Timestamp;
}

declare module '../db/schema.js' {
  interface Database {
    search_doc: SearchDocTable;
    search_watermark: SearchWatermarkTable;
    saved_search: SavedSearchTable;
    recent_item: RecentItemTable;
  }
}
