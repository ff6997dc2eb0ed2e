import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface CaseTable {
  id: Generated<string>;
  hotline_id: string;
  number: ColumnType<number, never, never>;
  title: Buffer;
  status: string;
  trafficking_types: ColumnType<string[], string[] | undefined, string[]>;
  typology_code: string | null;
  sensitivity: ColumnType<string, string | undefined, string>;
  assignee_id: string | null;
  team: string | null;
  opened_at: Timestamp;
  closed_at: Timestamp | null;
  created_by: string | null;
  created_at: ColumnType<Date, never, never>;
  updated_at: Timestamp;
  version: ColumnType<number, number | undefined, number>;
}

export interface CaseAccessTable {
  id: Generated<string>;
  hotline_id: string;
  case_id: string;
  user_id: string;
  kind: 'named' | 'break_glass';
  reason: string | null;
  granted_by: string | null;
  granted_at: Timestamp;
  expires_at: Timestamp | null;
}

export interface CaseContactTable {
  case_id: string;
  contact_id: string;
  hotline_id: string;
  linked_by: string | null;
  linked_at: Timestamp;
}

export interface PersonTable {
  id: Generated<string>;
  hotline_id: string;
  details: Buffer;
  gender: string | null;
  age_range: string | null;
  nationality: string | null;
  phone_indexes: ColumnType<Buffer[], Buffer[] | undefined, Buffer[]>;
  email_indexes: ColumnType<Buffer[], Buffer[] | undefined, Buffer[]>;
  created_by: string | null;
  created_at: ColumnType<Date, never, never>;
  updated_at: Timestamp;
  version: ColumnType<number, number | undefined, number>;
}

export interface CasePersonTable {
  case_id: string;
  person_id: string;
  hotline_id: string;
  role: string;
  added_at: Timestamp;
}

export interface CaseEventTable {
  id: Generated<string>;
  hotline_id: string;
  case_id: string;
  kind: string;
  body: Buffer | null;
  data: ColumnType<Record<string, unknown>, string | undefined, string>;
  actor_id: string | null;
  at: Timestamp;
}

declare module '../db/schema.js' {
  interface Database {
    hotline_case: CaseTable;
    case_access: CaseAccessTable;
    case_contact: CaseContactTable;
    person: PersonTable;
    case_person: CasePersonTable;
    case_event: CaseEventTable;
  }
}
