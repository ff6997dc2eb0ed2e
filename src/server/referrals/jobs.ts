import './schema.js';
import type { Logger } from 'pino';
import { appendAudit } from '../audit/audit.js';
import type { Db } from '../db/db.js';
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

/** Polls every `intervalMs`, draining a backlog batch after batch; failures are logged (ids and counts only) and retried. */
export function startReferralPoller(db: Db, log: Pick<Logger, 'error' | 'info'>, { intervalMs = 5_000 }: { intervalMs?: number } = {}) {
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
