import type { ColumnType, Generated } from 'kysely';

// Kysely types for the scheduling tables (migration 0016), added to the Database interface by module augmentation.
type Json = ColumnType<unknown, string, string>;
type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateCol = ColumnType<string, string, string>;

export interface SchedulingSettingsTable { hotline_id: string; settings: Json; version: ColumnType<number, number | undefined, number>; updated_at: Stamp; updated_by: string | null }
/** `end_date` (migration 0025): the last day of an event lasting several days; null for one day. */
export interface ScheduleEventTable { id: Generated<string>; hotline_id: string; date: DateCol; end_date: ColumnType<string | null, string | null | undefined, string | null>; factor: number; label: string; channels: string[] | null; created_at: Stamp }
export interface StaffContractTable { hotline_id: string; user_id: string; contract: Json; updated_at: Stamp }
export interface StaffLeaveTable { id: Generated<string>; hotline_id: string; user_id: string; from_date: DateCol; to_date: DateCol; kind: string; request_id: string | null; created_at: Stamp }
export interface RosterTable {
  id: Generated<string>;
  hotline_id: string;
  week_start: DateCol;
  status: 'draft' | 'published' | 'superseded';
  input: Json;
  assignments: Json;
  debriefs: Json;
  report: Json;
  solver: Json;
  version: ColumnType<number, number | undefined, number>;
  created_by: string | null;
  created_at: Stamp;
  updated_at: Stamp;
  published_at: Stamp | null;
  published_by: string | null;
}
export interface RosterShiftTable { hotline_id: string; roster_id: string; shift_id: string; user_id: string; pattern_id: string; start_at: Stamp; end_at: Stamp }
export interface ScheduleRequestTable {
  id: Generated<string>;
  hotline_id: string;
  kind: 'handover' | 'exchange' | 'leave';
  requested_by: string;
  roster_id: string | null;
  payload: Json;
  status: ColumnType<'pending' | 'approved' | 'rejected', 'pending' | undefined, 'approved' | 'rejected'>;
  check_result: Json | null;
  decided_by: string | null;
  decided_at: Stamp | null;
  created_at: Stamp;
}
export interface CalendarFeedTokenTable { hotline_id: string; user_id: string; token_hash: string; created_at: Stamp }

declare module '../db/schema.js' {
  interface Database {
    scheduling_settings: SchedulingSettingsTable;
    schedule_event: ScheduleEventTable;
    staff_contract: StaffContractTable;
    staff_leave: StaffLeaveTable;
    roster: RosterTable;
    roster_shift: RosterShiftTable;
    schedule_request: ScheduleRequestTable;
    calendar_feed_token: CalendarFeedTokenTable;
  }
}
