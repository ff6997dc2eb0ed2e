import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface VoiceCallTable {
  id: Generated<string>;
  hotline_id: string;
  contact_id: string;
  access_point_id: string | null;
  call_sid: string;
  received_at: Timestamp;
  is_after_hours: ColumnType<boolean, boolean | undefined, boolean>;
  queue_result: string | null;
  queue_seconds: number | null;
  answered_at: Timestamp | null;
  call_status: string | null;
  status_sequence: ColumnType<number, number | undefined, number>;
  duration_seconds: number | null;
  ended_at: Timestamp | null;
  outcome: string | null;
  is_short_abandon: ColumnType<boolean, boolean | undefined, boolean>;
  closed_contact: ColumnType<boolean, boolean | undefined, boolean>;
  updated_at: Timestamp;
}

/** Migration 0034: a file of an MMS / WhatsApp message still to be fetched from the provider. */
export interface MediaFetchTable {
  id: Generated<string>;
  hotline_id: string;
  message_id: string;
  access_point_id: string;
  position: number;
  url: Buffer;
  declared_type: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  locked_until: Timestamp | null;
  is_done: ColumnType<boolean, boolean | undefined, boolean>;
  failure_reason: string | null;
  attachment_id: string | null;
  provider_deleted_at: Timestamp | null;
  provider_delete_failure: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  updated_at: Timestamp;
}

export interface OutboundMessageTable {
  message_id: string;
  hotline_id: string;
  access_point_id: string;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  locked_until: Timestamp | null;
  is_done: ColumnType<boolean, boolean | undefined, boolean>;
  failure_reason: string | null;
  provider_status: string | null;
  updated_at: Timestamp;
}

declare module '../../db/schema.js' {
  interface Database {
    voice_call: VoiceCallTable;
    outbound_message: OutboundMessageTable;
    media_fetch: MediaFetchTable;
  }
}
