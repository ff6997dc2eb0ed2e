import { sql } from 'kysely';
import './schema.js';
import type { z } from 'zod';
import type { listTasksQuery, updateTaskBody } from '../../shared/api/assessment.js';
import { fail, ok, type Result } from '../../shared/errors.js';
import { appendAudit } from '../audit/audit.js';
import type { AppContext } from '../context.js';
import type { Tx } from '../db/db.js';
import type { PlannedTask } from '../protocols/match.js';
import { notifyLive } from '../queue/live.js';
import { CONTACT_COLUMNS, type ActorContext } from '../queue/queue.service.js';
import { contactForAction, type ContactFacts } from './contact-access.js';

const TASK_SELECT = [
  't.id', 't.contact_id', 't.case_id', 't.assessment_id', 't.task_key', 't.protocol_id', 't.protocol_version', 't.step_id', 't.sources', 't.title',
  't.owner_role', 't.owner_id', 't.due_at', 't.escalate_when_overdue', 't.status', 't.skip_reason', 't.escalated_at', 't.completed_at', 't.completed_by', 't.created_at',
] as const;

type TaskRow = {
  id: string; contact_id: string; case_id: string | null; assessment_id: string | null; task_key: string; protocol_id: string; protocol_version: number;
  step_id: string; sources: unknown; title: unknown; owner_role: string; owner_id: string | null; due_at: Date; escalate_when_overdue: boolean;
  status: string; skip_reason: Buffer | null; escalated_at: Date | null; completed_at: Date | null; completed_by: string | null; created_at: Date;
};

async function presentTask(ctx: AppContext, hotlineId: string, row: TaskRow) {
  return {
    id: row.id,
    contactId: row.contact_id,
    caseId: row.case_id,
    assessmentId: row.assessment_id,
    taskKey: row.task_key,
    protocolId: row.protocol_id,
    protocolVersion: row.protocol_version,
    stepId: row.step_id,
    sources: row.sources,
    title: row.title,
    ownerRole: row.owner_role,
    ownerId: row.owner_id,
    dueAt: row.due_at.toISOString(),
    escalateWhenOverdue: row.escalate_when_overdue,
    status: row.status,
    skipReason: await ctx.keys.decryptOptional(hotlineId, 'task.skip_reason', row.skip_reason),
    escalatedAt: row.escalated_at?.toISOString() ?? null,
    completedAt: row.completed_at?.toISOString() ?? null,
    completedBy: row.completed_by,
    createdAt: row.created_at.toISOString(),
  };
}
export type TaskView = Awaited<ReturnType<typeof presentTask>>;

export const SYSTEM_ESCALATION_LABEL = 'system:escalation';

/**
 * Creates the planned tasks of a protocol run inside the caller's transaction. One task per (contact, task key): a
 * re-run never duplicates a task, even one already done or skipped. Advocate tasks go to the contact's assignee;
 * supervisor tasks to the supervisors (no owner). A task due now that escalates (the "supervisor alert now" tasks)
 * is escalated in the same transaction, so the alert cannot wait for the poller.
 */
export async function createPlannedTasks(tx: Tx, who: ActorContext, contact: ContactFacts, assessmentId: string | null, planned: readonly PlannedTask[], now: Date) {
  const { hotlineId } = who.actor;
  const created: { id: string; taskKey: string; escalated: boolean }[] = [];
  for (const task of planned) {
    const source = task.sources[0];
    const isImmediate = task.escalateToSupervisorWhenOverdue && task.dueWithinMinutes === 0;
    const row = await tx
      .insertInto('task')
      .values({
        hotline_id: hotlineId,
        contact_id: contact.id,
        case_id: null,
        assessment_id: assessmentId,
        task_key: task.taskKey,
        protocol_id: source.protocolId,
        protocol_version: source.protocolVersion,
        step_id: source.actionId,
        sources: JSON.stringify(task.sources),
        title: JSON.stringify(task.title),
        owner_role: task.ownerRole,
        owner_id: task.ownerRole === 'advocate' ? contact.assignedTo : null,
        due_at: new Date(task.dueAt),
        escalate_when_overdue: task.escalateToSupervisorWhenOverdue,
        escalated_at: isImmediate ? now : null,
        skip_reason: null,
        completed_at: null,
        completed_by: null,
        created_by: who.actor.id,
        updated_at: now,
      })
      .onConflict((oc) => oc.columns(['contact_id', 'task_key']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) continue;
    created.push({ id: row.id, taskKey: task.taskKey, escalated: isImmediate });
    if (isImmediate) {
      await appendAudit(tx, { hotlineId, actorId: null, actorLabel: SYSTEM_ESCALATION_LABEL, action: 'task.escalate', recordType: 'task', recordId: row.id, details: { contactId: contact.id, taskKey: task.taskKey, immediate: true } });
      await notifyLive(tx, { hotlineId, kind: 'task.escalated', contactId: contact.id, status: 'escalated' });
    }
  }
  return created;
}

export async function listContactTasks(ctx: AppContext, who: ActorContext, contactId: string): Promise<Result<TaskView[]>> {
  const { hotlineId } = who.actor;
  const contact = await contactForAction(ctx.db, who, contactId, 'task.read');
  if (!contact.ok) return contact;
  const rows = await ctx.db.transaction().execute(async (tx) => {
    const found = await tx
      .selectFrom('task as t')
      .innerJoin('contact as c', 'c.id', 't.contact_id')
      .select(TASK_SELECT)
      .where('t.hotline_id', '=', hotlineId)
      .where('t.contact_id', '=', contactId)
      .where(who.can.sqlFilter('task.read', CONTACT_COLUMNS))
      .orderBy('t.due_at')
      .orderBy('t.task_key')
      .limit(500)
      .execute();
    await appendAudit(tx, { hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'task.list', recordType: 'contact', recordId: contactId, details: { count: found.length }, ip: who.ip });
    return found;
  });
  return ok(await Promise.all(rows.map((row) => presentTask(ctx, hotlineId, row))));
}

/** Open or escalated tasks across the contacts the actor may see: the supervisors' alert list. */
export async function listTasks(ctx: AppContext, who: ActorContext, filter: z.infer<typeof listTasksQuery>): Promise<(TaskView & { contactReference: string })[]> {
  const { hotlineId } = who.actor;
  let query = ctx.db
    .selectFrom('task as t')
    .innerJoin('contact as c', 'c.id', 't.contact_id')
    .select(TASK_SELECT)
    .select('c.number as contact_number')
    .where('t.hotline_id', '=', hotlineId)
    .where(who.can.sqlFilter('task.read', CONTACT_COLUMNS));
  if (filter.status) query = query.where('t.status', '=', filter.status);
  if (filter.escalated === 'true') query = query.where('t.escalated_at', 'is not', null);
  if (filter.escalated === 'false') query = query.where('t.escalated_at', 'is', null);
  const rows = await query.orderBy('t.due_at').limit(filter.limit).execute();
  // The contact's reference (C-123, not personal data) so an alert list can name and link the contact.
  return Promise.all(rows.map(async (row) => ({ ...(await presentTask(ctx, hotlineId, row)), contactReference: `C-${row.contact_number}` })));
}

/** Marks a task done, skipped (with a reason) or open again. Audited. */
export async function updateTask(ctx: AppContext, who: ActorContext, taskId: string, patch: z.infer<typeof updateTaskBody>): Promise<Result<TaskView>> {
  const { hotlineId } = who.actor;
  const current = await ctx.db
    .selectFrom('task as t')
    .innerJoin('contact as c', 'c.id', 't.contact_id')
    .select(['t.id', 't.status', 't.contact_id'])
    .select(sql<boolean>`${who.can.sqlFilter('task.update', CONTACT_COLUMNS)}`.as('allowed'))
    .where('t.hotline_id', '=', hotlineId)
    .where('t.id', '=', taskId)
    .where(who.can.sqlFilter('task.read', CONTACT_COLUMNS))
    .executeTakeFirst();
  if (!current) return fail('not_found', 'No such task');
  if (!current.allowed) return fail('forbidden', 'You may see this task but not change it');
  const now = new Date();
  const skipReason = patch.status === 'skipped' ? await ctx.keys.encrypt(hotlineId, 'task.skip_reason', patch.skipReason!) : null;
  const row = await ctx.db.transaction().execute(async (tx) => {
    const updated = await tx
      .updateTable('task as t')
      .set({
        status: patch.status,
        skip_reason: skipReason,
        completed_at: patch.status === 'open' ? null : now,
        completed_by: patch.status === 'open' ? null : who.actor.id,
        updated_at: now,
      })
      .where('t.hotline_id', '=', hotlineId)
      .where('t.id', '=', taskId)
      .returning(TASK_SELECT)
      .executeTakeFirstOrThrow();
    await appendAudit(tx, { hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'task.update', recordType: 'task', recordId: taskId, details: { contactId: current.contact_id, from: current.status, to: patch.status }, ip: who.ip });
    // Consoles showing this contact's tasks or the supervisors' alert list re-read them (ids only on the wire).
    await notifyLive(tx, { hotlineId, kind: 'contact.updated', contactId: current.contact_id });
    return updated;
  });
  return ok(await presentTask(ctx, hotlineId, row));
}
