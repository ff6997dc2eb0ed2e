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

export interface Database {
  hotline: HotlineTable;
  hotline_key: HotlineKeyTable;
  organisation: OrganisationTable;
  app_user: AppUserTable;
  user_session: UserSessionTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  permission_rule_set: PermissionRuleSetTable;
}
