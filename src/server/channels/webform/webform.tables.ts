import type { ColumnType } from 'kysely';

/** Failed follow-up attempts per reference code (migration 0003): the lockout against guessing passphrases. */
export interface WebformFollowUpAttemptTable {
  hotline_id: string;
  code: string;
  failures: ColumnType<number, number | undefined, number>;
  window_start: ColumnType<Date, Date | string | undefined, Date | string>;
  locked_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

declare module '../../db/schema.js' {
  interface Database {
    webform_follow_up_attempt: WebformFollowUpAttemptTable;
  }
}
