import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface HotlineTable {
  id: Generated<string>;
  slug: string;
  name: string;
  country: string;
  timezone: string;
  locales: ColumnType<string[], string[] | undefined, string[]>;
  default_locale: ColumnType<string, string | undefined, string>;
  created_at: CreatedAt;
}

export interface HotlineKeyTable {
  hotline_id: string;
  purpose: 'data' | 'index';
  version: number;
  wrapped_key: Buffer;
  master_key_id: string;
  is_current: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
}

export interface OrganisationTable {
  id: Generated<string>;
  hotline_id: string;
  name: string;
  kind: ColumnType<string, string | undefined, string>;
  created_at: CreatedAt;
}

export interface AppUserTable {
  id: Generated<string>;
  hotline_id: string;
  email: string;
  display_name: string;
  password_hash: string;
  roles: string[];
  organisation_id: string | null;
  locale: ColumnType<string, string | undefined, string>;
  is_active: ColumnType<boolean, boolean | undefined, boolean>;
  totp_secret: Buffer | null;
  totp_pending_secret: Buffer | null;
  totp_last_counter: ColumnType<number | null, number | null | undefined, number | null>;
  failed_attempts: ColumnType<number, number | undefined, number>;
  locked_until: Timestamp | null;
  must_change_password: ColumnType<boolean, boolean | undefined, boolean>;
  last_sign_in_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  version: ColumnType<number, number | undefined, number>;
  languages: ColumnType<string[], string[] | undefined, string[]>;
  skills: ColumnType<string[], string[] | undefined, string[]>;
  /** Migration 0030: the teams an access point may route to that this person works in (empty: any). */
  teams: ColumnType<string[], string[] | undefined, string[]>;
  availability: ColumnType<string, string | undefined, string>;
}

export interface UserSessionTable {
  id: string;
  user_id: string;
  hotline_id: string;
  state: 'mfa_required' | 'mfa_enrol_required' | 'signed_in';
  csrf_token: string;
  ip: string | null;
  created_at: CreatedAt;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
}

export interface AuditLogTable {
  id: Generated<number>;
  tx: ColumnType<string, never, never>;
  chain: string;
  hotline_id: string | null;
  at: ColumnType<Date, Date, never>;
  actor_id: string | null;
  actor_label: string;
  action: string;
  record_type: string | null;
  record_id: string | null;
  reason: string | null;
  details: ColumnType<unknown, string | null, never> | null;
  ip: string | null;
  seq: ColumnType<number | null, never, number>;
  prev_hash: ColumnType<Buffer | null, never, Buffer>;
  hash: ColumnType<Buffer | null, never, Buffer>;
}

export interface AuditHeadTable {
  chain: string;
  seq: ColumnType<number, number, number>;
  hash: Buffer;
}

export interface PermissionRuleSetTable {
  hotline_id: string;
  rules: ColumnType<unknown, string, string>;
  version: ColumnType<number, number | undefined, number>;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface AccessPointTable {
  id: Generated<string>;
  hotline_id: string;
  channel: string;
  name: string;
  address: string;
  team: string | null;
  is_active: ColumnType<boolean, boolean | undefined, boolean>;
  settings: ColumnType<Record<string, unknown>, string | undefined, string>;
  secret: Buffer | null;
  secret_hint: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  version: ColumnType<number, number | undefined, number>;
}

export interface ContactThreadTable {
  id: Generated<string>;
  hotline_id: string;
  channel: string;
  access_point_id: string | null;
  correspondent_index: Buffer | null;
  correspondent: Buffer | null;
  subject: Buffer | null;
  follow_up_code: string | null;
  follow_up_secret_hash: string | null;
  created_at: CreatedAt;
  last_activity_at: Timestamp;
}

export interface ContactTable {
  id: Generated<string>;
  hotline_id: string;
  number: ColumnType<number, never, never>;
  thread_id: string;
  access_point_id: string | null;
  channel: string;
  direction: ColumnType<string, string | undefined, string>;
  status: string;
  priority: ColumnType<number, number | undefined, number>;
  received_at: Timestamp;
  answered_at: Timestamp | null;
  ended_at: Timestamp | null;
  sla_due_at: Timestamp | null;
  assigned_to: string | null;
  handled_by: string | null;
  team: string | null;
  language: string | null;
  interpreter_used: ColumnType<boolean, boolean | undefined, boolean>;
  signaler_type: string | null;
  request_type: string | null;
  heard_about: string | null;
  area_code: string | null;
  flags: ColumnType<Record<string, boolean>, string | undefined, string>;
  sensitivity: ColumnType<string, string | undefined, string>;
  summary: Buffer | null;
  notes: Buffer | null;
  form_version: number | null;
  form_data: Buffer | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  version: ColumnType<number, number | undefined, number>;
}

export interface ContactMessageTable {
  id: Generated<string>;
  hotline_id: string;
  thread_id: string;
  contact_id: string;
  direction: string;
  body: Buffer | null;
  author_id: string | null;
  external_id: string | null;
  status: ColumnType<string, string | undefined, string>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  delivered_at: Timestamp | null;
}

export interface AttachmentTable {
  id: Generated<string>;
  hotline_id: string;
  contact_id: string;
  message_id: string | null;
  filename: Buffer;
  content_type: string;
  size: number;
  sha256: string;
  data: Buffer;
  created_at: CreatedAt;
}

export interface ApiKeyTable {
  id: Generated<string>;
  hotline_id: string;
  key_id: string;
  name: string;
  scopes: string[];
  secret: Buffer;
  created_by: string | null;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface HotlineConfigTable {
  hotline_id: string;
  kind: string;
  version: number;
  data: ColumnType<unknown, string, string>;
  published_at: Timestamp | null;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface Database {
  hotline: HotlineTable;
  hotline_key: HotlineKeyTable;
  organisation: OrganisationTable;
  app_user: AppUserTable;
  user_session: UserSessionTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  permission_rule_set: PermissionRuleSetTable;
  access_point: AccessPointTable;
  contact_thread: ContactThreadTable;
  contact: ContactTable;
  contact_message: ContactMessageTable;
  attachment: AttachmentTable;
  api_key: ApiKeyTable;
  hotline_config: HotlineConfigTable;
}
