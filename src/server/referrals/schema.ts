import type { ColumnType, Generated } from 'kysely';

// Kysely types for the referral tables (migration 0013), added to the Database interface by module augmentation.
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string | undefined, string>;

export interface ReferralTable {
  id: Generated<string>;
  hotline_id: string;
  case_id: string;
  /** Null only for a referral made by sending a report (migration 0028): the report is its basis. */
  consent_id: string | null;
  report_id: ColumnType<string | null, string | null | undefined, string | null>;
  service_id: string;
  organization_id: string;
  service_name: string;
  organization_name: string;
  needs: ColumnType<string[], string[], string[]>;
  reasons: Json<unknown[]>;
  score: number | null;
  area_code: string | null;
  status: 'sent' | 'accepted' | 'declined' | 'closed' | 'cancelled';
  shared_fields: ColumnType<string[], string[], string[]>;
  shared_data: Buffer;
  token_hash: Buffer;
  token_expires_at: Timestamp;
  ack_due_at: Timestamp;
  outcome_within_days: number;
  outcome_due_at: Timestamp | null;
  first_viewed_at: Timestamp | null;
  responded_at: Timestamp | null;
  response_note: Buffer | null;
  outcome: string | null;
  outcome_at: Timestamp | null;
  outcome_note: Buffer | null;
  reminded_at: Timestamp | null;
  escalated_at: Timestamp | null;
  warm_transfer_started_at: Timestamp | null;
  warm_transfer_ended_at: Timestamp | null;
  warm_transfer_by: string | null;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Migration 0026: where the partner-link email stands (null: never tried, e.g. referrals older than 0026). */
  link_email_status: ColumnType<LinkEmailStatus | null, LinkEmailStatus | null | undefined, LinkEmailStatus | null>;
  link_email_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export type LinkEmailStatus = 'sending' | 'retrying' | 'sent' | 'failed' | 'not_sent';

export interface ReferralJobTable {
  id: Generated<string>;
  hotline_id: string;
  referral_id: string;
  kind: 'ack_reminder' | 'ack_escalation' | 'outcome_reminder' | 'email_link';
  run_at: Timestamp;
  done_at: Timestamp | null;
  result: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  /** Migration 0026: what an `email_link` job sends (the link, encrypted), kept only until sent or given up. */
  payload: ColumnType<Buffer | null, Buffer | null | undefined, Buffer | null>;
  last_error: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: ColumnType<Date, never, never>;
}

export interface ReferralNeedSearchTable {
  id: Generated<string>;
  hotline_id: string;
  need: string;
  area_code: string | null;
  matches: number;
  searched_at: Timestamp;
}

declare module '../db/schema.js' {
  interface Database {
    referral: ReferralTable;
    referral_job: ReferralJobTable;
    referral_need_search: ReferralNeedSearchTable;
  }
}

// Migration 0021: an account organisation may be linked to one directory organization; a partner may have a language.
declare module '../db/schema.js' {
  interface OrganisationTable {
    hsds_organization_id: ColumnType<string | null, string | null | undefined, string | null>;
  }
}
declare module '../directory/directory.tables.js' {
  interface DirectoryPartnerTable {
    locale: ColumnType<'en' | 'es' | 'fr' | null, 'en' | 'es' | 'fr' | null | undefined, 'en' | 'es' | 'fr' | null>;
    /** Migration 0028: the jurisdiction agency (reporting rules) this organisation is, if any. */
    reporting_agency_id: ColumnType<string | null, string | null | undefined, string | null>;
  }
}
