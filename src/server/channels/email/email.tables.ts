import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** Email details of one contact message (migration 0005). */
export interface EmailMessageTable {
  id: Generated<string>;
  message_id: string;
  hotline_id: string;
  thread_id: string;
  access_point_id: string | null;
  direction: 'inbound' | 'outbound';
  address: Buffer | null;
  subject: Buffer | null;
  rfc_message_id: Buffer | null;
  rfc_references: Buffer | null;
  dropped_attachments: ColumnType<DroppedAttachment[], string | undefined, string>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp | null;
  locked_until: Timestamp | null;
  is_done: ColumnType<boolean, boolean | undefined, boolean>;
  failure_reason: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  updated_at: Timestamp;
}

/** A blind index of a Message-ID, pointing at the thread it belongs to. */
export interface EmailMessageRefTable {
  hotline_id: string;
  ref_index: Buffer;
  thread_id: string;
  message_id: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface DroppedAttachment {
  reason: 'type_not_allowed' | 'too_large' | 'too_many' | 'empty';
  contentType: string;
  size: number;
}

declare module '../../db/schema.js' {
  interface Database {
    email_message: EmailMessageTable;
    email_message_ref: EmailMessageRefTable;
  }
}
