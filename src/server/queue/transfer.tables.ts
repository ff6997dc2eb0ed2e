import type { ColumnType, Generated } from 'kysely';

export interface ContactTransferTable {
  id: Generated<string>;
  hotline_id: string;
  contact_id: string;
  from_user_id: string | null;
  to_user_id: string | null;
  to_role: 'supervisor' | null;
  /** Encrypted (`contact_transfer.note`). */
  note: Buffer | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

declare module '../db/schema.js' {
  interface Database {
    contact_transfer: ContactTransferTable;
  }
}
