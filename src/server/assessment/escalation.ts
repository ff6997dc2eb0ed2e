import './schema.js';
import type { Logger } from 'pino';
import { sql } from 'kysely';
import { appendAudit } from '../audit/audit.js';
import type { Db } from '../db/db.js';
import { notifyLive } from '../queue/live.js';
import { SYSTEM_ESCALATION_LABEL } from './tasks.service.js';

/**
 * Overdue task escalation, durable by construction: the state lives in the task table (`due_at`, `escalated_at`), so
 * a restart loses nothing — whichever server polls next finds every overdue task. `FOR UPDATE SKIP LOCKED` lets
 * several servers poll the same database: each overdue task is escalated exactly once (docs/assessment-api.md).
 */
export async function escalateOverdueTasks(db: Db, now = new Date(), batch = 100): Promise<{ id: string; hotlineId: string; contactId: string }[]> {
  return db.transaction().execute(async (tx) => {
    const due = await tx
      .selectFrom('task')
      .select(['id', 'hotline_id', 'contact_id', 'task_key', 'due_at'])
      .where('status', '=', 'open')
      .where('escalate_when_overdue', '=', true)
      .where('escalated_at', 'is', null)
      .where('due_at', '<=', now)
      .orderBy('due_at')
      .limit(batch)
      .forUpdate()
      .skipLocked()
      .execute();
    if (due.length === 0) return [];
    await tx.updateTable('task').set({ escalated_at: now, updated_at: now }).where('id', 'in', due.map((task) => task.id)).execute();
    for (const task of due) {
      await appendAudit(tx, {
        hotlineId: task.hotline_id, actorId: null, actorLabel: SYSTEM_ESCALATION_LABEL, action: 'task.escalate', recordType: 'task', recordId: task.id,
        details: { contactId: task.contact_id, taskKey: task.task_key, dueAt: task.due_at.toISOString(), overdueSeconds: Math.round((now.getTime() - task.due_at.getTime()) / 1000) },
      });
      await notifyLive(tx, { hotlineId: task.hotline_id, kind: 'task.escalated', contactId: task.contact_id, status: 'escalated' });
    }
    return due.map((task) => ({ id: task.id, hotlineId: task.hotline_id, contactId: task.contact_id }));
  });
}

/**
 * Polls for overdue tasks every `intervalMs` (and drains a backlog batch after batch). A failed poll is logged (no
 * personal data: counts and ids only) and retried on the next tick; `stop()` waits for a poll in flight.
 */
export function startEscalationPoller(db: Db, log: Pick<Logger, 'error' | 'info'>, { intervalMs = 5_000 }: { intervalMs?: number } = {}) {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = (async () => {
      try {
        for (let round = 0; round < 50 && !stopped; round++) {
          const escalated = await escalateOverdueTasks(db);
          if (escalated.length > 0) log.info({ count: escalated.length }, 'overdue tasks escalated to supervisors');
          if (escalated.length < 100) break;
        }
      } catch (error) {
        log.error({ err: error }, 'task escalation poll failed; retrying on the next tick');
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

/** For health checks and tests: how many tasks are overdue and not escalated yet. */
export async function countPendingEscalations(db: Db, now = new Date()) {
  const row = await db
    .selectFrom('task')
    .select(sql<string>`count(*)`.as('n'))
    .where('status', '=', 'open')
    .where('escalate_when_overdue', '=', true)
    .where('escalated_at', 'is', null)
    .where('due_at', '<=', now)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
