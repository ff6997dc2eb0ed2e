/**
 * The scheduled monthly report (issue 8). On the 1st of each month (hotline time) every active schedule gets a
 * delivery row for the month just ended; the poller claims due rows with FOR UPDATE SKIP LOCKED, renders the PDF and
 * XLSX and stores them in the row for the named recipients, who download them in the app. The state lives in
 * PostgreSQL, so a restart loses nothing and several servers never render one delivery twice (the same pattern as
 * assessment/escalation.ts).
 */
import type { Logger } from 'pino';
import { sql } from 'kysely';
import { appendAudit } from '../../audit/audit.js';
import type { Db } from '../../db/db.js';
import { areasFor } from '../../intake/form.routes.js';
import { refreshRollups } from '../rollup.js';
import { buildMonthlyReport, renderMonthlyPdf, renderMonthlyXlsx } from './monthly.js';
import type { ReportLocale } from './labels.js';
import './schema.js';

export const REPORT_SYSTEM_LABEL = 'system:scheduled-report';
const MAX_ATTEMPTS = 5;

/** Creates the delivery of the month just ended for each active schedule whose 1st-of-month has come. Idempotent. */
export async function planDeliveries(db: Db, now = new Date()): Promise<number> {
  const { rows } = await sql<{ id: string }>`
    insert into metrics_report_delivery (hotline_id, schedule_id, period_month, due_at, recipient_ids)
    select s.hotline_id, s.id,
           (date_trunc('month', ${now}::timestamptz at time zone h.timezone) - interval '1 month')::date,
           date_trunc('month', ${now}::timestamptz at time zone h.timezone) at time zone h.timezone,
           s.recipient_ids
    from metrics_report_schedule s join hotline h on h.id = s.hotline_id
    where s.is_active
      -- a schedule made mid-month starts with the next month's report, not a backfill
      and (date_trunc('month', ${now}::timestamptz at time zone h.timezone) at time zone h.timezone) > s.created_at
    on conflict (schedule_id, period_month) do nothing
    returning id`.execute(db);
  return rows.length;
}

/** Renders one due delivery (if any). Returns its id, or null when nothing is due. */
export async function runOneDelivery(db: Db, now = new Date()): Promise<{ id: string; status: 'done' | 'pending' | 'failed' } | null> {
  return db.transaction().execute(async (tx) => {
    const due = await tx
      .selectFrom('metrics_report_delivery as d')
      .innerJoin('metrics_report_schedule as s', 's.id', 'd.schedule_id')
      .select(['d.id', 'd.hotline_id', 'd.period_month', 'd.attempts', 's.locale'])
      .where('d.status', '=', 'pending')
      .where('d.due_at', '<=', now)
      .orderBy('d.due_at')
      .limit(1)
      .forUpdate('d')
      .skipLocked()
      .executeTakeFirst();
    if (!due) return null;
    const month = typeof due.period_month === 'string' ? (due.period_month as string).slice(0, 7) : toMonth(due.period_month as Date);
    // A savepoint, so that a failed render (even an SQL error) still lets this transaction record the attempt.
    await sql`savepoint render`.execute(tx);
    try {
      const areas = await areasFor(tx, due.hotline_id);
      const areaNames = Object.fromEntries(areas.data.areas.map((a) => [a.code, a.name[due.locale as ReportLocale] ?? a.name.en]));
      const report = await buildMonthlyReport(tx, due.hotline_id, { month, locale: due.locale as ReportLocale }, { now, areaNames });
      const [pdf, xlsx] = await Promise.all([renderMonthlyPdf(report), renderMonthlyXlsx(report)]);
      await tx.updateTable('metrics_report_delivery').set({ status: 'done', pdf, xlsx, completed_at: now, attempts: due.attempts + 1, failure_reason: null }).where('id', '=', due.id).execute();
      await appendAudit(tx, { hotlineId: due.hotline_id, actorId: null, actorLabel: REPORT_SYSTEM_LABEL, action: 'metrics.report.generate', recordType: 'metrics_report_delivery', recordId: due.id, details: { month, pdfBytes: pdf.length, xlsxBytes: xlsx.length } });
      return { id: due.id, status: 'done' as const };
    } catch (error) {
      await sql`rollback to savepoint render`.execute(tx);
      const attempts = due.attempts + 1;
      const status = attempts >= MAX_ATTEMPTS ? ('failed' as const) : ('pending' as const);
      // Retry later with backoff; the reason names the error class only (no data).
      await tx
        .updateTable('metrics_report_delivery')
        .set({ attempts, status, failure_reason: (error as Error)?.name ?? 'error', due_at: new Date(now.getTime() + 60_000 * 2 ** attempts) })
        .where('id', '=', due.id)
        .execute();
      return { id: due.id, status };
    }
  });
}

function toMonth(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

/** Plans and renders everything due now; returns the deliveries rendered. */
export async function runScheduledReports(db: Db, now = new Date(), max = 20) {
  await planDeliveries(db, now);
  const results = [];
  for (let i = 0; i < max; i++) {
    const result = await runOneDelivery(db, now);
    if (!result) break;
    results.push(result);
  }
  return results;
}

/** Polls every `intervalMs` (default one minute) for due reports and the metrics roll-up; a failed poll is logged (counts only) and retried on the next tick. */
export function startReportPoller(db: Db, log: Pick<Logger, 'error' | 'info'>, { intervalMs = 60_000 }: { intervalMs?: number } = {}) {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = (async () => {
      try {
        const done = await runScheduledReports(db);
        if (done.length > 0) log.info({ count: done.length }, 'scheduled reports rendered');
      } catch (error) {
        log.error({ err: error }, 'scheduled report poll failed; retrying on the next tick');
      }
      // The same tick keeps the daily metrics roll-up fresh (dirty days re-rolled, missing settled days filled).
      try {
        const days = await refreshRollups(db);
        if (days > 0) log.info({ days }, 'metrics roll-up refreshed');
      } catch (error) {
        log.error({ err: error }, 'metrics roll-up failed; retrying on the next tick');
      }
      if (!stopped) {
        timer = setTimeout(tick, intervalMs);
        timer.unref();
      }
    })();
  };
  timer = setTimeout(tick, Math.min(intervalMs, 5_000));
  timer.unref();
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await running;
  };
}
