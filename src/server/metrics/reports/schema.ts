import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface MetricsReportScheduleTable {
  id: Generated<string>;
  hotline_id: string;
  kind: string;
  locale: ColumnType<string, string | undefined, string>;
  recipient_ids: ColumnType<string[], string[] | undefined, string[]>;
  is_active: ColumnType<boolean, boolean | undefined, boolean>;
  created_by: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  updated_at: Timestamp;
}

export interface MetricsReportDeliveryTable {
  id: Generated<string>;
  hotline_id: string;
  schedule_id: string;
  period_month: ColumnType<Date, string, string>;
  due_at: Timestamp;
  status: ColumnType<string, string | undefined, string>;
  attempts: ColumnType<number, number | undefined, number>;
  recipient_ids: ColumnType<string[], string[] | undefined, string[]>;
  pdf: Buffer | null;
  xlsx: Buffer | null;
  failure_reason: string | null;
  completed_at: Timestamp | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

declare module '../../db/schema.js' {
  interface Database {
    metrics_report_schedule: MetricsReportScheduleTable;
    metrics_report_delivery: MetricsReportDeliveryTable;
  }
}
