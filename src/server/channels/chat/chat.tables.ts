import type { ColumnType, Generated } from 'kysely';

export interface ChatSessionTable {
  id: Generated<string>;
  hotline_id: string;
  access_point_id: string;
  token_hash: Buffer;
  language: string;
  nickname: Buffer | null;
  safe_to_talk: 'yes' | 'no' | null;
  age_range: string | null;
  thread_id: string | null;
  contact_id: string | null;
  visitor_connected: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  last_seen_at: ColumnType<Date, Date | string | undefined, Date | string>;
  ended_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  ended_by: string | null;
}

declare module '../../db/schema.js' {
  interface Database {
    chat_session: ChatSessionTable;
  }
}
