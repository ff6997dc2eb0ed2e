import './schema.js';
import type { Logger } from 'pino';
import { sql } from 'kysely';
import { appendAudit } from '../audit/audit.js';
import type { AppContext } from '../context.js';
import type { DbOrTx } from '../db/db.js';
import type { KeyStore } from '../crypto/keystore.js';
import { REFERRAL_JOBS_LABEL } from './jobs.js';
import { sendPartnerLinkEmail, type LinkEmailResult } from './partner-accounts.js';
import { addCaseEvent } from './referrals.service.js';

/**
 * The partner-link email as a durable job (`referral_job`, kind `email_link`). The row is written in the same
 * transaction as the referral (or the new link), holding the link encrypted; the request then tries at once. A send
 * that fails for a passing reason (a 4xx answer, a refused or dropped connection, a timeout) is tried again after
 * 1, 5, 15, 60 and 180 minutes; a 5xx answer, the sixth failure, an expired link or a referral no longer open ends it.
 * A final failure lands on the case timeline and on the referral (`linkEmail.status = failed`), so the advocate gives
 * the link by hand. Whatever the end, the stored link is erased. The poller claims due rows with a lease (run_at moved
 * forward under FOR UPDATE SKIP LOCKED), so several servers never send the same attempt twice.
 */
export const LINK_EMAIL_BACKOFF_MS = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000, 3 * 60 * 60_000] as const;
export const LINK_EMAIL_MAX_ATTEMPTS = LINK_EMAIL_BACKOFF_MS.length + 1;
/** Longer than one attempt can take (connection 15 s + greeting 15 s + socket 30 s): a crashed attempt is retried after it. */
const LEASE_MS = 2 * 60_000;
const FIELD = 'referral_job.payload';

interface Payload { link: string; linkExpiresAt: string }
type Actor = { actorId: string | null; actorLabel: string; ip?: string | null };

/** In the referral's transaction: the email job (any earlier unsent link email of this referral is superseded). */
export async function queueLinkEmail(tx: DbOrTx, keys: KeyStore, hotlineId: string, referralId: string, payload: Payload, now: Date): Promise<string> {
  await tx.updateTable('referral_job').set({ done_at: now, result: 'superseded', payload: null }).where('hotline_id', '=', hotlineId).where('referral_id', '=', referralId).where('kind', '=', 'email_link').where('done_at', 'is', null).execute();
  await tx.updateTable('referral').set({ link_email_status: 'sending', link_email_at: now }).where('hotline_id', '=', hotlineId).where('id', '=', referralId).execute();
  const row = await tx
    .insertInto('referral_job')
    .values({ hotline_id: hotlineId, referral_id: referralId, kind: 'email_link', run_at: new Date(now.getTime() + LEASE_MS), attempts: 0, payload: await keys.encrypt(hotlineId, FIELD, JSON.stringify(payload)) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** One attempt of one email job (claimed by the caller: just queued by the request, or leased by the poller). */
export async function attemptLinkEmail(ctx: AppContext, jobId: string, actor: Actor, now = new Date()): Promise<LinkEmailResult> {
  const job = await ctx.db.selectFrom('referral_job').select(['id', 'hotline_id', 'referral_id', 'attempts', 'payload', 'done_at']).where('id', '=', jobId).where('kind', '=', 'email_link').executeTakeFirst();
  if (!job || job.done_at || !job.payload) return { emailed: false, reason: 'send_failed', retryAt: null };
  const r = await ctx.db.selectFrom('referral').select(['id', 'hotline_id', 'case_id', 'status', 'service_id', 'organization_id', 'service_name', 'organization_name', 'token_expires_at']).where('hotline_id', '=', job.hotline_id).where('id', '=', job.referral_id).executeTakeFirst();
  const payload = JSON.parse(await ctx.keys.decrypt(job.hotline_id, FIELD, job.payload)) as Payload;
  if (!r || (r.status !== 'sent' && r.status !== 'accepted') || Date.parse(payload.linkExpiresAt) <= now.getTime()) {
    await finish(ctx.db, job.id, now, 'not_needed', job.attempts);
    return { emailed: false, reason: 'send_failed', retryAt: null };
  }
  const attempt = await sendPartnerLinkEmail(ctx, job.hotline_id, { id: r.id, serviceId: r.service_id, organizationId: r.organization_id, serviceName: r.service_name, ...payload });
  const attempts = job.attempts + 1;
  const audit = (details: Record<string, unknown>) => appendAudit(ctx.db, { hotlineId: r.hotline_id, actorId: actor.actorId, actorLabel: actor.actorLabel, ip: actor.ip ?? null, action: 'referral.email_link', recordType: 'referral', recordId: r.id, details: { attempt: attempts, ...details } });

  if (attempt.emailed) {
    await ctx.db.transaction().execute(async (tx) => {
      await finish(tx, job.id, now, 'sent', attempts);
      await tx.updateTable('referral').set({ link_email_status: 'sent', link_email_at: now }).where('id', '=', r.id).execute();
    });
    await audit({ emailed: true, locale: attempt.locale });
    return attempt;
  }
  if (attempt.reason !== 'send_failed') {
    // Nothing to retry: a setting is missing (the screen says which). Not audited: nothing was attempted.
    await ctx.db.transaction().execute(async (tx) => {
      await finish(tx, job.id, now, attempt.reason, job.attempts);
      await tx.updateTable('referral').set({ link_email_status: 'not_sent', link_email_at: now }).where('id', '=', r.id).execute();
    });
    return attempt;
  }
  const retryAt = !attempt.permanent && attempts < LINK_EMAIL_MAX_ATTEMPTS ? new Date(now.getTime() + LINK_EMAIL_BACKOFF_MS[attempts - 1]) : null;
  if (retryAt && retryAt.getTime() < Date.parse(payload.linkExpiresAt)) {
    await ctx.db.updateTable('referral_job').set({ attempts, run_at: retryAt, last_error: attempt.error }).where('id', '=', job.id).execute();
    await ctx.db.updateTable('referral').set({ link_email_status: 'retrying', link_email_at: now }).where('id', '=', r.id).execute();
    await audit({ emailed: false, reason: 'send_failed', error: attempt.error, retryAt: retryAt.toISOString() });
    return { emailed: false, reason: 'send_failed', retryAt: retryAt.toISOString() };
  }
  await ctx.db.transaction().execute(async (tx) => {
    await finish(tx, job.id, now, 'failed', attempts, attempt.error);
    await tx.updateTable('referral').set({ link_email_status: 'failed', link_email_at: now }).where('id', '=', r.id).execute();
    await addCaseEvent(tx, r.hotline_id, r.case_id, 'referral_email_failed', { referralId: r.id, organizationName: r.organization_name, attempts }, null, now);
  });
  await audit({ emailed: false, reason: 'send_failed', error: attempt.error, final: true });
  return { emailed: false, reason: 'send_failed', retryAt: null };
}

async function finish(db: DbOrTx, jobId: string, now: Date, result: string, attempts: number, lastError?: string) {
  await db.updateTable('referral_job').set({ done_at: now, result, attempts, payload: null, ...(lastError ? { last_error: lastError } : {}) }).where('id', '=', jobId).execute();
}

/** Claims due email jobs (a lease: run_at moves past the longest attempt) and tries each once. */
export async function runDueLinkEmails(ctx: AppContext, now = new Date(), batch = 20): Promise<{ jobId: string; referralId: string; result: LinkEmailResult }[]> {
  const claimed = await sql<{ id: string; referral_id: string }>`
    update referral_job set run_at = ${new Date(now.getTime() + LEASE_MS)}
    where id in (select id from referral_job where kind = 'email_link' and done_at is null and run_at <= ${now} order by run_at limit ${batch} for update skip locked)
    returning id, referral_id`.execute(ctx.db);
  const out: { jobId: string; referralId: string; result: LinkEmailResult }[] = [];
  for (const job of claimed.rows) out.push({ jobId: job.id, referralId: job.referral_id, result: await attemptLinkEmail(ctx, job.id, { actorId: null, actorLabel: REFERRAL_JOBS_LABEL }, now) });
  return out;
}

/** Polls every `intervalMs`; failures are logged (ids and counts only) and the jobs stay due. */
export function startLinkEmailPoller(ctx: AppContext, log: Pick<Logger, 'error' | 'info'>, { intervalMs = 15_000 }: { intervalMs?: number } = {}) {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = (async () => {
      try {
        const ran = await runDueLinkEmails(ctx);
        const sent = ran.filter((j) => j.result.emailed).length;
        if (ran.length > 0) log.info({ attempted: ran.length, sent }, 'referral link emails retried');
      } catch (error) {
        log.error({ err: error }, 'referral link email poll failed; retrying on the next tick');
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
