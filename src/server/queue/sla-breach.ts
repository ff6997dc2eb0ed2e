import type { Logger } from 'pino';
import type { ColumnType } from 'kysely';
import { appendAudit } from '../audit/audit.js';
import type { Db } from '../db/db.js';
import { notifyLive } from './live.js';

declare module '../db/schema.js' {
  interface ContactTable {
    /** When the supervisors were alerted that this contact passed its answer target while waiting (migration 0027). */
    sla_breached_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  }
}

export const SLA_BREACH_LABEL = 'system:sla';

/**
 * Alerts the supervisors, once per contact, when a waiting contact passes its answer target: an audit entry and a live
 * event (`queue.sla_breached`, ids only) that supervisors' consoles show. `FOR UPDATE SKIP LOCKED` lets several servers
 * poll one database; the state is on the contact, so a restart neither loses nor repeats an alert. A contact answered
 * after its target is not alerted again if it comes back to the queue.
 */
export async function alertSlaBreaches(db: Db, now = new Date(), batch = 200) {
  return db.transaction().execute(async (tx) => {
    const due = await tx
      .selectFrom('contact')
      .select(['id', 'hotline_id', 'channel', 'sla_due_at', 'team'])
      .where('status', '=', 'waiting')
      .where('sla_breached_at', 'is', null)
      .where('sla_due_at', '<=', now)
      .orderBy('sla_due_at')
      .limit(batch)
      .forUpdate()
      .skipLocked()
      .execute();
    if (due.length === 0) return [];
    await tx.updateTable('contact').set({ sla_breached_at: now }).where('id', 'in', due.map((c) => c.id)).execute();
    for (const contact of due) {
      await appendAudit(tx, {
        hotlineId: contact.hotline_id, actorId: null, actorLabel: SLA_BREACH_LABEL, action: 'queue.sla_breach', recordType: 'contact', recordId: contact.id,
        details: { channel: contact.channel, dueAt: contact.sla_due_at!.toISOString(), team: contact.team },
      });
      await notifyLive(tx, { hotlineId: contact.hotline_id, kind: 'queue.sla_breached', contactId: contact.id, status: 'waiting' });
    }
    return due.map((c) => ({ id: c.id, hotlineId: c.hotline_id }));
  });
}

/** Polls every `intervalMs` (a breach is seen within that much of its due time); `stop()` waits for a poll in flight. */
export function startSlaBreachPoller(db: Db, log: Pick<Logger, 'error' | 'info'>, { intervalMs = 5_000 }: { intervalMs?: number } = {}) {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = (async () => {
      try {
        for (let round = 0; round < 20 && !stopped; round++) {
          const alerted = await alertSlaBreaches(db);
          if (alerted.length > 0) log.info({ count: alerted.length }, 'contacts past their answer target: supervisors alerted');
          if (alerted.length < 200) break;
        }
      } catch (error) {
        log.error({ err: error }, 'service-level breach poll failed; retrying on the next tick');
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
