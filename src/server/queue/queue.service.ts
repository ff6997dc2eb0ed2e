import { sql } from 'kysely';
import { fail, ok, type Result } from '../../shared/errors.js';
import { DEFAULT_SLA, slaConfigSchema, slaState } from '../../shared/sla.js';
import { appendAudit } from '../audit/audit.js';
import { publishedConfig } from '../config-store.js';
import type { AppContext } from '../context.js';
import type { Tx } from '../db/db.js';
import type { Actor, CompiledPermissions, RecordColumns } from '../permissions/engine.js';
import { notifyLive } from './live.js';

/** Where the permission engine finds a contact's facts (see docs/permissions.md). */
export const CONTACT_COLUMNS: RecordColumns = { id: 'c.id', assigneeId: 'c.assigned_to', creatorId: 'c.created_by', sensitivity: 'c.sensitivity' };

export interface ActorContext {
  actor: Actor;
  can: CompiledPermissions;
  label: string;
  ip: string | null;
}

/** Everything waiting or being handled, in the order it should be answered. No personal data: ids, states, times. */
export async function listQueue(ctx: AppContext, who: ActorContext, now = new Date()) {
  const { hotlineId } = who.actor;
  const [rows, me, sla] = await Promise.all([
    ctx.db
      .selectFrom('contact as c')
      .leftJoin('app_user as u', 'u.id', 'c.assigned_to')
      // The latest transfer, to say "from Ann, with a note" on the row; the note itself is read on the contact (audited).
      .leftJoinLateral(
        (eb) =>
          eb
            .selectFrom('contact_transfer as t')
            .leftJoin('app_user as f', 'f.id', 't.from_user_id')
            .select(['t.created_at as transfer_at', 't.from_user_id as transfer_from', 'f.display_name as transfer_from_name', 't.to_user_id as transfer_to', 't.to_role as transfer_to_role', sql<boolean>`t.note is not null`.as('transfer_has_note')])
            .whereRef('t.contact_id', '=', 'c.id')
            .where('t.hotline_id', '=', hotlineId)
            .orderBy('t.created_at', 'desc')
            .limit(1)
            .as('lt'),
        (join) => join.onTrue(),
      )
      .select(['c.id', 'c.number', 'c.channel', 'c.status', 'c.priority', 'c.received_at', 'c.answered_at', 'c.sla_due_at', 'c.language', 'c.request_type', 'c.flags', 'c.assigned_to', 'c.team', 'u.display_name as assignee_name'])
      .select(['lt.transfer_at', 'lt.transfer_from', 'lt.transfer_from_name', 'lt.transfer_to', 'lt.transfer_to_role', 'lt.transfer_has_note'])
      .where('c.hotline_id', '=', hotlineId)
      .where('c.status', 'in', ['waiting', 'in_progress', 'wrap_up'])
      .where(who.can.sqlFilter('contact.read', CONTACT_COLUMNS))
      .orderBy(sql`c.status = 'waiting'`, 'desc')
      .orderBy('c.priority')
      .orderBy('c.received_at')
      .limit(500)
      .execute(),
    ctx.db.selectFrom('app_user').select(['languages', 'skills', 'teams', 'roles']).where('id', '=', who.actor.id).executeTakeFirstOrThrow(),
    publishedConfig(ctx.db, hotlineId, 'sla', slaConfigSchema, DEFAULT_SLA),
  ]);
  return rows.map((row) => ({
    id: row.id,
    number: Number(row.number),
    channel: row.channel,
    status: row.status,
    priority: row.priority,
    receivedAt: row.received_at.toISOString(),
    answeredAt: row.answered_at?.toISOString() ?? null,
    waitSeconds: Math.max(0, Math.round(((row.answered_at ?? now).getTime() - row.received_at.getTime()) / 1000)),
    slaDueAt: row.sla_due_at?.toISOString() ?? null,
    slaState: row.status === 'waiting' ? slaState(sla.data, row.received_at, row.sla_due_at, now) : 'ok',
    // When the row turns amber, so a console can change colour on its own clock between refreshes.
    amberAt: row.sla_due_at ? new Date(row.received_at.getTime() + (row.sla_due_at.getTime() - row.received_at.getTime()) * sla.data.amberFraction).toISOString() : null,
    language: row.language,
    requestType: row.request_type,
    flags: row.flags,
    team: row.team,
    assignedTo: row.assigned_to ? { id: row.assigned_to, name: row.assignee_name } : null,
    matchesMe: matchesSkills(me, row.language, row.channel, row.team),
    transfer: currentTransfer(row),
  }));
}

/** The latest transfer while it still describes where the contact is (with that colleague, or waiting for supervisors). */
function currentTransfer(row: { status: string; team: string | null; assigned_to: string | null; transfer_at: Date | null; transfer_from: string | null; transfer_from_name: string | null; transfer_to: string | null; transfer_to_role: string | null; transfer_has_note: boolean | null }) {
  if (!row.transfer_at) return null;
  const isCurrent = row.transfer_to ? row.assigned_to === row.transfer_to : row.status === 'waiting' && row.team === 'supervisors';
  if (!isCurrent) return null;
  return {
    at: row.transfer_at.toISOString(),
    from: row.transfer_from ? { id: row.transfer_from, name: row.transfer_from_name } : null,
    toUserId: row.transfer_to,
    toRole: row.transfer_to_role as 'supervisor' | null,
    hasNote: !!row.transfer_has_note,
  };
}

/**
 * Routing by language, skill and team: an empty list on the advocate means "any". A contact sent back to the
 * supervisors (team `supervisors`) matches supervisors only; a contact with no team matches every team.
 */
export function matchesSkills(staff: { languages: string[]; skills: string[]; teams?: string[]; roles?: string[] }, language: string | null, channel: string, team: string | null = null) {
  const languageOk = !language || staff.languages.length === 0 || staff.languages.includes(language.slice(0, 2));
  const skillOk = staff.skills.length === 0 || staff.skills.includes(channel);
  const teams = staff.teams ?? [];
  const teamOk = team === 'supervisors' ? (staff.roles ?? []).includes('supervisor') : !team || teams.length === 0 || teams.includes(team);
  return languageOk && skillOk && teamOk;
}

async function audited(ctx: AppContext, who: ActorContext, contactId: string, action: string, change: (tx: Tx) => Promise<{ id: string; status: string } | undefined>, details?: Record<string, unknown>) {
  return ctx.db.transaction().execute(async (tx) => {
    const row = await change(tx);
    if (!row) return undefined;
    await appendAudit(tx, { hotlineId: who.actor.hotlineId, actorId: who.actor.id, actorLabel: who.label, action, recordType: 'contact', recordId: contactId, ip: who.ip, details });
    await notifyLive(tx, { hotlineId: who.actor.hotlineId, kind: 'queue.changed', contactId, status: row.status });
    return row;
  });
}

/** Claims a waiting contact. Two advocates clicking at once: exactly one gets it, the other a 409. */
export async function claimContact(ctx: AppContext, who: ActorContext, contactId: string): Promise<Result<{ id: string }>> {
  const { hotlineId } = who.actor;
  const row = await ctx.db.transaction().execute(async (tx) => {
    const claimed = await tx
      .updateTable('contact as c')
      .set({ status: 'in_progress', assigned_to: who.actor.id, handled_by: who.actor.id, answered_at: sql`coalesce(c.answered_at, now())`, updated_at: new Date(), version: sql`c.version + 1` })
      .where('c.hotline_id', '=', hotlineId)
      .where('c.id', '=', contactId)
      .where('c.status', '=', 'waiting')
      .where(who.can.sqlFilter('contact.read', CONTACT_COLUMNS))
      .returning(['c.id', 'c.status'])
      .executeTakeFirst();
    if (!claimed) return undefined;
    await appendAudit(tx, { hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'queue.claim', recordType: 'contact', recordId: contactId, ip: who.ip });
    await notifyLive(tx, { hotlineId, kind: 'queue.changed', contactId, status: 'in_progress' });
    return claimed;
  });
  if (row) return ok({ id: row.id });
  return (await visibleContact(ctx, who, contactId)) ? fail('conflict', 'Someone else has already taken this contact') : fail('not_found', 'No such contact');
}

/** Claims the best waiting contact for me: my languages, channels and teams first, then priority and age. */
export async function claimNext(ctx: AppContext, who: ActorContext): Promise<Result<{ id: string } | null>> {
  const queue = await listQueue(ctx, who);
  const waiting = queue.filter((c) => c.status === 'waiting');
  const ordered = [...waiting.filter((c) => c.matchesMe), ...waiting.filter((c) => !c.matchesMe)];
  for (const candidate of ordered) {
    const result = await claimContact(ctx, who, candidate.id);
    if (result.ok) return result;
  }
  return ok(null);
}

async function visibleContact(ctx: AppContext, who: ActorContext, contactId: string) {
  return ctx.db
    .selectFrom('contact as c')
    .select(['c.id', 'c.status', 'c.assigned_to', 'c.version'])
    .where('c.hotline_id', '=', who.actor.hotlineId)
    .where('c.id', '=', contactId)
    .where(who.can.sqlFilter('contact.read', CONTACT_COLUMNS))
    .executeTakeFirst();
}

export async function releaseContact(ctx: AppContext, who: ActorContext, contactId: string): Promise<Result<{ id: string }>> {
  const current = await visibleContact(ctx, who, contactId);
  if (!current) return fail('not_found', 'No such contact');
  if (!who.can.allows('queue.transfer', { assigneeId: current.assigned_to })) return fail('forbidden', 'Only the advocate handling it or a supervisor can release it');
  const row = await audited(ctx, who, contactId, 'queue.release', (tx) =>
    tx
      .updateTable('contact')
      .set({ status: 'waiting', assigned_to: null, updated_at: new Date(), version: sql`version + 1` })
      .where('hotline_id', '=', who.actor.hotlineId)
      .where('id', '=', contactId)
      .where('status', '=', 'in_progress')
      .returning(['id', 'status'])
      .executeTakeFirst(),
  );
  return row ? ok({ id: row.id }) : fail('conflict', 'This contact is not being handled');
}

export type TransferTarget = ({ toUserId: string } | { toRole: 'supervisor' }) & { note?: string };

/**
 * Hands a contact to a colleague (it stays in progress, now theirs) or to the supervisors (back on top of the queue,
 * marked for them). The note travels with it, encrypted, in `contact_transfer`; the receiver sees it on the contact.
 * The audit entry says who, to whom and whether there was a note, never the note itself.
 */
export async function transferContact(ctx: AppContext, who: ActorContext, contactId: string, target: TransferTarget): Promise<Result<{ id: string; transferId: string }>> {
  const { hotlineId } = who.actor;
  const current = await visibleContact(ctx, who, contactId);
  if (!current || current.status === 'closed') return fail('not_found', 'No such open contact');
  if (!who.can.allows('queue.transfer', { assigneeId: current.assigned_to })) return fail('forbidden', 'Only the advocate handling it or a supervisor can transfer it');
  const noteText = target.note?.trim() || null;
  const note = await ctx.keys.encryptOptional(hotlineId, 'contact_transfer.note', noteText);
  let colleagueId: string | null = null;
  if ('toUserId' in target) {
    const colleague = await ctx.db.selectFrom('app_user').select(['id', 'roles']).where('hotline_id', '=', hotlineId).where('id', '=', target.toUserId).where('is_active', '=', true).executeTakeFirst();
    if (!colleague || !colleague.roles.some((r) => r === 'advocate' || r === 'supervisor')) return fail('validation_failed', 'toUserId: no active advocate or supervisor with this id');
    colleagueId = colleague.id;
  }
  const done = await ctx.db.transaction().execute(async (tx) => {
    // Only if nobody took or closed it since the permission check above.
    const update = tx
      .updateTable('contact')
      .where('hotline_id', '=', hotlineId)
      .where('id', '=', contactId)
      .where('status', '<>', 'closed')
      .where(sql<boolean>`assigned_to is not distinct from ${current.assigned_to}`);
    const row = colleagueId
      ? await update.set({ status: 'in_progress', assigned_to: colleagueId, updated_at: new Date(), version: sql`version + 1` }).returning(['id', 'status']).executeTakeFirst()
      // To the supervisors: back to the queue, at the top, marked for them.
      : await update.set({ status: 'waiting', assigned_to: null, team: 'supervisors', priority: 0, updated_at: new Date(), version: sql`version + 1` }).returning(['id', 'status']).executeTakeFirst();
    if (!row) return undefined;
    const transfer = await tx
      .insertInto('contact_transfer')
      .values({ hotline_id: hotlineId, contact_id: contactId, from_user_id: who.actor.id, to_user_id: colleagueId, to_role: colleagueId ? null : 'supervisor', note })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(tx, {
      hotlineId, actorId: who.actor.id, actorLabel: who.label, action: colleagueId ? 'queue.transfer' : 'queue.escalate', recordType: 'contact', recordId: contactId, ip: who.ip,
      details: { ...(colleagueId ? { to: colleagueId } : { toRole: 'supervisor' }), transferId: transfer.id, hasNote: noteText !== null },
    });
    await notifyLive(tx, { hotlineId, kind: 'queue.changed', contactId, status: row.status, ...(colleagueId ? { toUserId: colleagueId } : { toRole: 'supervisor' as const }) });
    return { id: row.id, transferId: transfer.id };
  });
  return done ? ok(done) : fail('conflict', 'This contact changed hands or was closed meanwhile; reload it');
}

/** A contact's transfers, newest first, notes decrypted. Callers have already checked (and audited) the contact read. */
export async function listTransfers(ctx: AppContext, hotlineId: string, contactId: string) {
  const rows = await ctx.db
    .selectFrom('contact_transfer as t')
    .leftJoin('app_user as f', 'f.id', 't.from_user_id')
    .leftJoin('app_user as r', 'r.id', 't.to_user_id')
    .select(['t.id', 't.created_at', 't.from_user_id', 'f.display_name as from_name', 't.to_user_id', 'r.display_name as to_name', 't.to_role', 't.note'])
    .where('t.hotline_id', '=', hotlineId)
    .where('t.contact_id', '=', contactId)
    .orderBy('t.created_at', 'desc')
    .limit(200)
    .execute();
  return Promise.all(
    rows.map(async (t) => ({
      id: t.id,
      at: t.created_at.toISOString(),
      from: t.from_user_id ? { id: t.from_user_id, name: t.from_name } : null,
      to: t.to_user_id ? { id: t.to_user_id, name: t.to_name } : null,
      toRole: t.to_role,
      note: await ctx.keys.decryptOptional(hotlineId, 'contact_transfer.note', t.note),
    })),
  );
}

/** The supervisor wall: waiting now, longest wait, who is available or busy, today's service level. */
export async function wallboard(ctx: AppContext, hotlineId: string, now = new Date()) {
  const hotline = await ctx.db.selectFrom('hotline').select('timezone').where('id', '=', hotlineId).executeTakeFirstOrThrow();
  const startOfDay = sql<Date>`(date_trunc('day', ${now}::timestamptz at time zone ${hotline.timezone}) at time zone ${hotline.timezone})`;
  const [waiting, staff, today] = await Promise.all([
    ctx.db
      .selectFrom('contact')
      .select([(eb) => eb.fn.countAll<number>().as('count'), (eb) => eb.fn.min('received_at').as('oldest')])
      .where('hotline_id', '=', hotlineId)
      .where('status', '=', 'waiting')
      .executeTakeFirstOrThrow(),
    ctx.db
      .selectFrom('app_user as u')
      .select(['u.availability', sql<number>`(select count(*) from contact c where c.assigned_to = u.id and c.status = 'in_progress')`.as('active')])
      .where('u.hotline_id', '=', hotlineId)
      .where('u.is_active', '=', true)
      .where(sql<boolean>`u.roles && array['advocate', 'supervisor']`)
      .execute(),
    ctx.db
      .selectFrom('contact')
      .select([
        (eb) => eb.fn.countAll<number>().as('offered'),
        sql<number>`count(*) filter (where answered_at is not null and answered_at <= sla_due_at)`.as('within'),
        sql<number>`count(*) filter (where status = 'waiting' and sla_due_at > ${now})`.as('still_in_time'),
      ])
      .where('hotline_id', '=', hotlineId)
      .where('received_at', '>=', startOfDay)
      .where((eb) => eb.or([eb('request_type', 'is', null), eb('request_type', 'not in', ['hang_up', 'silent', 'wrong_number', 'abusive', 'test'])]))
      .executeTakeFirstOrThrow(),
  ]);
  // Contacts still waiting inside their target are neither met nor missed yet: they leave the denominator.
  const decided = Number(today.offered) - Number(today.still_in_time);
  return {
    waiting: Number(waiting.count),
    longestWaitSeconds: waiting.oldest ? Math.round((now.getTime() - new Date(waiting.oldest as unknown as string).getTime()) / 1000) : 0,
    staff: {
      available: staff.filter((s) => s.availability === 'available' && Number(s.active) === 0).length,
      busy: staff.filter((s) => Number(s.active) > 0 || s.availability === 'busy').length,
      onBreak: staff.filter((s) => s.availability === 'break').length,
    },
    today: { offered: Number(today.offered), answeredWithinTarget: Number(today.within), serviceLevel: decided > 0 ? Number(today.within) / decided : null },
  };
}

/** Colleagues a contact can be transferred to: active advocates and supervisors, with their availability. */
export async function listColleagues(ctx: AppContext, hotlineId: string) {
  const rows = await ctx.db
    .selectFrom('app_user')
    .select(['id', 'display_name', 'roles', 'availability', 'languages'])
    .where('hotline_id', '=', hotlineId)
    .where('is_active', '=', true)
    .where(sql<boolean>`roles && array['advocate', 'supervisor']`)
    .orderBy('display_name')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.display_name, isSupervisor: r.roles.includes('supervisor'), availability: r.availability, languages: r.languages }));
}
