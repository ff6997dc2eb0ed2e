import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface AssessmentTable {
  id: Generated<string>;
  hotline_id: string;
  contact_id: string;
  instrument_id: string;
  instrument_version: number;
  form: 'short' | 'full';
  age_group: string;
  sex_level: string;
  labour_level: string;
  answers: Buffer;
  result: Buffer;
  assessed_by: string | null;
  assessed_at: Timestamp;
}

export interface AssessmentOverrideTable {
  id: Generated<string>;
  hotline_id: string;
  assessment_id: string;
  type: string;
  computed_level: string;
  previous_level: string;
  level: string;
  direction: string;
  reason: Buffer;
  overridden_by: string;
  overridden_at: Timestamp;
}

export interface TaskTable {
  id: Generated<string>;
  hotline_id: string;
  contact_id: string;
  case_id: string | null;
  assessment_id: string | null;
  task_key: string;
  protocol_id: string;
  protocol_version: number;
  step_id: string;
  sources: Json<{ protocolId: string; protocolVersion: number; actionId: string }[]>;
  title: Json<{ en: string; es: string; fr: string }>;
  owner_role: 'advocate' | 'supervisor';
  owner_id: string | null;
  due_at: Timestamp;
  escalate_when_overdue: boolean;
  status: ColumnType<'open' | 'done' | 'skipped', 'open' | 'done' | 'skipped' | undefined, 'open' | 'done' | 'skipped'>;
  skip_reason: Buffer | null;
  escalated_at: Timestamp | null;
  completed_at: Timestamp | null;
  completed_by: string | null;
  created_by: string | null;
  created_at: ColumnType<Date, never, never>;
  updated_at: Timestamp;
}

export interface ConsentTable {
  id: Generated<string>;
  hotline_id: string;
  contact_id: string;
  given_by: string;
  disclosure: string;
  recipients: Json<'any_designated_agency' | string[]>;
  given_at: Timestamp;
  method: string;
  scope_note: Buffer | null;
  expires_at: Timestamp | null;
  withdrawn_at: Timestamp | null;
  recorded_by: string;
  recorded_at: Timestamp;
}

export interface ReportTable {
  id: Generated<string>;
  hotline_id: string;
  contact_id: string;
  agency_id: string;
  report_kind: string;
  status: 'requested' | 'approved' | 'sent' | 'refused';
  basis: 'consent' | 'exception' | 'consent_not_required';
  consent_id: string | null;
  exception: string | null;
  exception_citation: string | null;
  exception_note: Buffer | null;
  needs_approval: boolean;
  jurisdiction_id: string;
  jurisdiction_version: number;
  requested_by: string;
  requested_at: Timestamp;
  approved_by: string | null;
  approved_at: Timestamp | null;
  refused_by: string | null;
  refused_at: Timestamp | null;
  refusal_reason: Buffer | null;
  sent_by: string | null;
  sent_at: Timestamp | null;
}

declare module '../db/schema.js' {
  interface Database {
    assessment: AssessmentTable;
    assessment_override: AssessmentOverrideTable;
    task: TaskTable;
    consent: ConsentTable;
    report: ReportTable;
  }
}
