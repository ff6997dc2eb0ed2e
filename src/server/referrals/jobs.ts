import './schema.js';
import type { Logger } from 'pino';
import { appendAudit } from '../audit/audit.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/db.js';
import { sendPartnerReminderEmail } from './partner-accounts.js';
import { addCaseEvent } from './referrals.service.js';

export const REFERRAL_JOBS_LABEL = 'referral follow-up';

/**
 * Runs due referral jobs (reminders and escalations; emails are link-email.ts's). The state lives in `referral_job` rows, so a restart loses
 * nothing: whichever server polls next finds every due job. `FOR UPDATE SKIP LOCKED` lets several servers poll the
 * same database and each job runs once. A job whose referral has moved on (answered, cancelled) is closed as not
 * needed. Returns what was done.
 */
export async function runDueReferralJobs(db: Db, now = new Date(), batch = 100): Promise<{ id: string; kind: string; referralId: string; result: string }[]> {
  return db.transaction().execute(async (tx) => {
    const jobs = await tx.selectFrom('referral_job').select(['id', 'hotline_id', 'referral_id', 'kind', 'run_at']).where('done_at', 'is', null).where('run_at', '<=', now).where('kind', '<>', 'email_link').orderBy('run_at').limit(batch).forUpdate().skipLocked().execute();
    const done: { id: string; kind: string; referralId: string; result: string }[] = [];
    for (const job of jobs) {
      const r = await tx.selectFrom('referral').select(['id', 'hotline_id', 'case_id', 'status', 'organization_name', 'ack_due_at', 'outcome_due_at']).where('hotline_id', '=', job.hotline_id).where('id', '=', job.referral_id).executeTakeFirst();
      let result = 'not_needed';
      if (r && job.kind !== 'outcome_reminder' && r.status === 'sent') {
        const escalate = job.kind === 'ack_escalation';
        await tx.updateTable('referral').set(escalate ? { escalated_at: now, updated_at: now } : { reminded_at: now, updated_at: now }).where('id', '=', r.id).execute();
        await addCaseEvent(tx, r.hotline_id, r.case_id, escalate ? 'referral_escalated' : 'referral_reminder', { referralId: r.id, organizationName: r.organization_name, waitingFor: 'acknowledgement', dueAt: r.ack_due_at.toISOString() }, null, now);
        result = escalate ? 'escalated' : 'reminded';
      } else if (r && job.kind === 'outcome_reminder' && r.status === 'accepted') {
        await tx.updateTable('referral').set({ reminded_at: now, updated_at: now }).where('id', '=', r.id).execute();
        await addCaseEvent(tx, r.hotline_id, r.case_id, 'referral_reminder', { referralId: r.id, organizationName: r.organization_name, waitingFor: 'outcome', dueAt: r.outcome_due_at?.toISOString() ?? null }, null, now);
        result = 'reminded';
      }
      await tx.updateTable('referral_job').set({ done_at: now, result, attempts: 1 }).where('id', '=', job.id).execute();
      if (result !== 'not_needed') {
        await appendAudit(tx, { hotlineId: job.hotline_id, actorId: null, actorLabel: REFERRAL_JOBS_LABEL, action: result === 'escalated' ? 'referral.escalate' : 'referral.remind', recordType: 'referral', recordId: job.referral_id, details: { job: job.kind, dueAt: job.run_at.toISOString() } });
      }
      done.push({ id: job.id, kind: job.kind, referralId: job.referral_id, result });
    }
    return done;
  });
}

/**
 * After the jobs committed: emails the partners of the referrals just reminded (answer or outcome due), one attempt
 * each, audited as `referral.remind_email` with whether it went and why not. Escalations stay inside the hotline.
 */
export async function emailReminders(ctx: AppContext, done: { kind: string; referralId: string; result: string }[], now = new Date()) {
  const out: { referralId: string; emailed: boolean; reason?: string }[] = [];
  for (const job of done.filter((j) => j.result === 'reminded')) {
    const r = await ctx.db.selectFrom('referral').select(['id', 'hotline_id', 'service_id', 'organization_id', 'service_name', 'created_at', 'ack_due_at', 'outcome_due_at', 'status']).where('id', '=', job.referralId).executeTakeFirst();
    if (!r || (r.status !== 'sent' && r.status !== 'accepted')) continue;
    const outcome = job.kind === 'outcome_reminder';
    const sent = await sendPartnerReminderEmail(ctx, r.hotline_id, { id: r.id, serviceId: r.service_id, organizationId: r.organization_id, serviceName: r.service_name, sentAt: r.created_at, dueAt: (outcome ? r.outcome_due_at : r.ack_due_at) ?? now, outcome });
    await appendAudit(ctx.db, { hotlineId: r.hotline_id, actorId: null, actorLabel: REFERRAL_JOBS_LABEL, action: 'referral.remind_email', recordType: 'referral', recordId: r.id, details: { job: job.kind, emailed: sent.emailed, ...(sent.emailed ? { locale: sent.locale } : { reason: sent.reason }) } });
    out.push({ referralId: r.id, emailed: sent.emailed, ...(sent.emailed ? {} : { reason: sent.reason }) });
  }
  return out;
}

/** Polls every `intervalMs`, draining a backlog batch after batch; failures are logged (ids and counts only) and retried. */
export function startReferralPoller(ctx: AppContext, log: Pick<Logger, 'error' | 'info'>, { intervalMs = 5_000 }: { intervalMs?: number } = {}) {
  const { db } = ctx;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = (async () => {
      try {
        for (let round = 0; round < 50 && !stopped; round++) {
          const ran = await runDueReferralJobs(db);
          const acted = ran.filter((j) => j.result !== 'not_needed').length;
          if (acted > 0) log.info({ count: acted }, 'referral reminders and escalations sent');
          const emailed = await emailReminders(ctx, ran);
          if (emailed.length > 0) log.info({ reminded: emailed.length, emailed: emailed.filter((e) => e.emailed).length }, 'partner reminder emails');
          if (ran.length < 100) break;
        }
      } catch (error) {
        log.error({ err: error }, 'referral job poll failed; retrying on the next tick');
      }
      if (!stopped) {
        timer = setTimeout(tick, intervalMs);
        timer.unref();
      }
    })();
  };
  tick();
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await running;
  };
}
