import './schema.js';
import { sql, type Expression, type SqlBool } from 'kysely';
import type { z } from 'zod';
import type { addPersonBody, createCaseBody, updateCaseBody } from '../../shared/api/cases.js';
import { fail, ok, type Result } from '../../shared/errors.js';
import { appendAudit, auditInsert } from '../audit/audit.js';
import type { AppContext } from '../context.js';
import type { DbOrTx } from '../db/db.js';
import type { RecordColumns } from '../permissions/engine.js';
import { CONTACT_COLUMNS, type ActorContext } from '../queue/queue.service.js';
import { indexCaseText, indexPerson } from '../search/search.index.js';
import { listEntities } from './entities.service.js';

const BREAK_GLASS_MINUTES = 60;

/** A case's permission facts as columns; `isNamed` is an EXISTS on case_access (named, or an unexpired break-glass). */
export const CASE_COLUMNS: RecordColumns = {
  id: 'k.id',
  assigneeId: 'k.assignee_id',
  creatorId: 'k.created_by',
  sensitivity: 'k.sensitivity',
  named: (userId) =>
    sql<SqlBool>`exists (select 1 from case_access a where a.case_id = k.id and a.user_id = ${userId} and (a.expires_at is null or a.expires_at > now()))`,
};

function visibleCases(db: DbOrTx, who: ActorContext, action: 'case.read' | 'case.update' = 'case.read') {
  return db.selectFrom('hotline_case as k').where('k.hotline_id', '=', who.actor.hotlineId).where(who.can.sqlFilter(action, CASE_COLUMNS) as Expression<SqlBool>);
}

async function addEvent(tx: DbOrTx, ctx: AppContext, who: ActorContext, caseId: string, kind: string, data: Record<string, unknown> = {}, body?: string): Promise<string> {
  const row = await tx
    .insertInto('case_event')
    .values({ hotline_id: who.actor.hotlineId, case_id: caseId, kind, data: JSON.stringify(data), body: body ? await ctx.keys.encrypt(who.actor.hotlineId, 'case_event.body', body) : null, actor_id: who.actor.id, at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function createCase(ctx: AppContext, who: ActorContext, input: z.infer<typeof createCaseBody>): Promise<Result<{ id: string }>> {
  const { hotlineId } = who.actor;
  if (input.fromContactId) {
    const contact = await ctx.db.selectFrom('contact as c').select('c.id').where('c.hotline_id', '=', hotlineId).where('c.id', '=', input.fromContactId).where(who.can.sqlFilter('contact.read', CONTACT_COLUMNS)).executeTakeFirst();
    if (!contact) return fail('validation_failed', 'fromContactId: no such contact');
  }
  const title = await ctx.keys.encrypt(hotlineId, 'hotline_case.title', input.title);
  const id = await ctx.db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('hotline_case')
      .values({ hotline_id: hotlineId, title, status: 'open', trafficking_types: input.traffickingTypes, typology_code: input.typologyCode ?? null, sensitivity: input.sensitivity, assignee_id: who.actor.id, team: null, created_by: who.actor.id, closed_at: null, updated_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    // Whoever opens a restricted case is named on it, or nobody could open it again.
    if (input.sensitivity === 'restricted') await tx.insertInto('case_access').values({ hotline_id: hotlineId, case_id: row.id, user_id: who.actor.id, kind: 'named', reason: null, granted_by: who.actor.id, expires_at: null }).execute();
    await addEvent(tx, ctx, who, row.id, 'status', { to: 'open' });
    await indexCaseText(tx, ctx, hotlineId, 'case', row.id, row.id, input.title);
    if (input.fromContactId) {
      await tx.insertInto('case_contact').values({ case_id: row.id, contact_id: input.fromContactId, hotline_id: hotlineId, linked_by: who.actor.id }).execute();
      await addEvent(tx, ctx, who, row.id, 'contact_linked', { contactId: input.fromContactId });
    }
    await appendAudit(tx, { hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'case.create', recordType: 'case', recordId: row.id, ip: who.ip });
    return row.id;
  });
  return ok({ id });
}

/** One case with its people, contacts and the whole timeline, decrypted; the read is audited. */
export async function readCase(ctx: AppContext, who: ActorContext, caseId: string) {
  const { hotlineId } = who.actor;
  const row = await ctx.db
    .with('audit', (qb) => auditInsert(qb, { hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'case.read', recordType: 'case', recordId: caseId, ip: who.ip }))
    .selectFrom('hotline_case as k')
    .selectAll('k')
    .where('k.hotline_id', '=', hotlineId)
    .where('k.id', '=', caseId)
    .where(who.can.sqlFilter('case.read', CASE_COLUMNS))
    .executeTakeFirst();
  if (!row) return null;
  const [people, contacts, events, access] = await Promise.all([
    ctx.db.selectFrom('case_person as cp').innerJoin('person as p', 'p.id', 'cp.person_id').select(['p.id', 'p.details', 'p.gender', 'p.age_range', 'p.nationality', 'cp.role', 'p.version']).where('cp.case_id', '=', caseId).where('cp.hotline_id', '=', hotlineId).execute(),
    ctx.db.selectFrom('case_contact as cc').innerJoin('contact as c', 'c.id', 'cc.contact_id').select(['c.id', 'c.number', 'c.channel', 'c.received_at', 'c.request_type', 'c.status']).where('cc.case_id', '=', caseId).where('cc.hotline_id', '=', hotlineId).orderBy('c.received_at').execute(),
    ctx.db.selectFrom('case_event').selectAll().where('case_id', '=', caseId).where('hotline_id', '=', hotlineId).orderBy('at').limit(2000).execute(),
    ctx.db.selectFrom('case_access').select(['user_id', 'kind', 'expires_at']).where('case_id', '=', caseId).execute(),
  ]);
  const contactEvents = contacts.map((c) => ({ kind: 'contact', at: c.received_at.toISOString(), data: { contactId: c.id, reference: `C-${c.number}`, channel: c.channel, requestType: c.request_type }, body: null, actorId: null }));
  const timeline = [
    ...contactEvents,
    ...(await Promise.all(events.map(async (e) => ({ kind: e.kind, at: e.at.toISOString(), data: e.data, body: await ctx.keys.decryptOptional(hotlineId, 'case_event.body', e.body), actorId: e.actor_id })))),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return {
    id: row.id,
    reference: `K-${row.number}`,
    title: await ctx.keys.decrypt(hotlineId, 'hotline_case.title', row.title),
    status: row.status,
    traffickingTypes: row.trafficking_types,
    typologyCode: row.typology_code,
    sensitivity: row.sensitivity,
    assigneeId: row.assignee_id,
    openedAt: row.opened_at.toISOString(),
    closedAt: row.closed_at?.toISOString() ?? null,
    version: row.version,
    people: await Promise.all(people.map(async (p) => ({ id: p.id, role: p.role, gender: p.gender, ageRange: p.age_range, nationality: p.nationality, details: JSON.parse(await ctx.keys.decrypt(hotlineId, 'person.details', p.details)) }))),
    contacts: contacts.map((c) => ({ id: c.id, reference: `C-${c.number}`, channel: c.channel, receivedAt: c.received_at.toISOString(), requestType: c.request_type, status: c.status })),
    entities: await listEntities(ctx, hotlineId, caseId),
    access: access.map((a) => ({ userId: a.user_id, kind: a.kind, expiresAt: a.expires_at?.toISOString() ?? null })),
    timeline,
  };
}

export async function listCases(ctx: AppContext, who: ActorContext, filter: { status?: string; assigneeId?: string; phone?: string; email?: string; limit: number }) {
  const { hotlineId } = who.actor;
  let query = visibleCases(ctx.db, who).select(['k.id', 'k.number', 'k.title', 'k.status', 'k.trafficking_types', 'k.sensitivity', 'k.assignee_id', 'k.opened_at']);
  if (filter.status) query = query.where('k.status', '=', filter.status);
  if (filter.assigneeId) query = query.where('k.assignee_id', '=', filter.assigneeId);
  // Exact phone and email lookups go through blind indexes: the database never sees the number.
  for (const [kind, value] of [['phone', filter.phone], ['email', filter.email]] as const) {
    if (!value) continue;
    const index = await ctx.keys.blindIndex(hotlineId, kind, value);
    const column = kind === 'phone' ? 'p.phone_indexes' : 'p.email_indexes';
    query = query.where(sql<SqlBool>`exists (select 1 from case_person cp join person p on p.id = cp.person_id where cp.case_id = k.id and ${sql.ref(column)} @> array[${index}]::bytea[])`);
  }
  const rows = await ctx.db.transaction().execute(async (tx) => {
    const found = await query.orderBy('k.opened_at', 'desc').limit(filter.limit).execute();
    await appendAudit(tx, { hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'case.list', recordType: 'case', details: { count: found.length, byPhone: !!filter.phone, byEmail: !!filter.email }, ip: who.ip });
    return found;
  });
  return Promise.all(
    rows.map(async (r) => ({ id: r.id, reference: `K-${r.number}`, title: await ctx.keys.decrypt(hotlineId, 'hotline_case.title', r.title), status: r.status, traffickingTypes: r.trafficking_types, sensitivity: r.sensitivity, assigneeId: r.assignee_id, openedAt: r.opened_at.toISOString() })),
  );
}

export async function updateCase(ctx: AppContext, who: ActorContext, caseId: string, patch: z.infer<typeof updateCaseBody>): Promise<Result<{ id: string }>> {
  const { hotlineId } = who.actor;
  const current = await visibleCases(ctx.db, who).select(['k.id', 'k.version', 'k.status']).where('k.id', '=', caseId).executeTakeFirst();
  if (!current) return fail('not_found', 'No such case');
  const allowed = await visibleCases(ctx.db, who, 'case.update').select('k.id').where('k.id', '=', caseId).executeTakeFirst();
  if (!allowed) return fail('forbidden', 'You may read this case but not change it');
  if (current.version !== patch.version) return fail('stale_version', 'Someone else changed this case after you opened it; review their change', { current: await readCase(ctx, who, caseId) });
  if (patch.assigneeId) {
    const assignee = await ctx.db.selectFrom('app_user').select('id').where('hotline_id', '=', hotlineId).where('id', '=', patch.assigneeId).where('is_active', '=', true).executeTakeFirst();
    if (!assignee) return fail('validation_failed', 'assigneeId: no active user with this id');
  }
  const title = patch.title ? await ctx.keys.encrypt(hotlineId, 'hotline_case.title', patch.title) : undefined;
  const done = await ctx.db.transaction().execute(async (tx) => {
    const row = await tx
      .updateTable('hotline_case')
      .set({
        ...(title && { title }),
        ...(patch.status && { status: patch.status, closed_at: patch.status.startsWith('closed') ? new Date() : null }),
        ...(patch.traffickingTypes && { trafficking_types: patch.traffickingTypes }),
        ...(patch.typologyCode !== undefined && { typology_code: patch.typologyCode }),
        ...(patch.sensitivity && { sensitivity: patch.sensitivity }),
        ...(patch.assigneeId !== undefined && { assignee_id: patch.assigneeId }),
        updated_at: new Date(),
        version: sql`version + 1`,
      })
      .where('hotline_id', '=', hotlineId)
      .where('id', '=', caseId)
      .where('version', '=', patch.version)
      .returning('id')
      .executeTakeFirst();
    if (!row) return false;
    if (patch.title) await indexCaseText(tx, ctx, hotlineId, 'case', caseId, caseId, patch.title);
    if (patch.status && patch.status !== current.status) await addEvent(tx, ctx, who, caseId, 'status', { from: current.status, to: patch.status });
    if (patch.sensitivity === 'restricted') {
      const named = await tx.selectFrom('case_access').select('id').where('case_id', '=', caseId).where('user_id', '=', who.actor.id).where('kind', '=', 'named').executeTakeFirst();
      if (!named) await tx.insertInto('case_access').values({ hotline_id: hotlineId, case_id: caseId, user_id: who.actor.id, kind: 'named', reason: null, granted_by: who.actor.id, expires_at: null }).execute();
    }
    await appendAudit(tx, { hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'case.update', recordType: 'case', recordId: caseId, ip: who.ip, details: { fields: Object.keys(patch).filter((k) => k !== 'version') } });
    return true;
  });
  return done ? ok({ id: caseId }) : fail('stale_version', 'Someone else changed this case meanwhile; reload it', { current: await readCase(ctx, who, caseId) });
}

export async function requireUpdatable(ctx: AppContext, who: ActorContext, caseId: string): Promise<Result<null>> {
  const visible = await visibleCases(ctx.db, who).select('k.id').where('k.id', '=', caseId).executeTakeFirst();
  if (!visible) return fail('not_found', 'No such case');
  const allowed = await visibleCases(ctx.db, who, 'case.update').select('k.id').where('k.id', '=', caseId).executeTakeFirst();
  return allowed ? ok(null) : fail('forbidden', 'You may read this case but not change it');
}

export async function linkContact(ctx: AppContext, who: ActorContext, caseId: string, contactId: string): Promise<Result<null>> {
  const gate = await requireUpdatable(ctx, who, caseId);
  if (!gate.ok) return gate;
  const contact = await ctx.db.selectFrom('contact as c').select('c.id').where('c.hotline_id', '=', who.actor.hotlineId).where('c.id', '=', contactId).where(who.can.sqlFilter('contact.read', CONTACT_COLUMNS)).executeTakeFirst();
  if (!contact) return fail('validation_failed', 'contactId: no such contact');
  await ctx.db.transaction().execute(async (tx) => {
    const inserted = await tx.insertInto('case_contact').values({ case_id: caseId, contact_id: contactId, hotline_id: who.actor.hotlineId, linked_by: who.actor.id }).onConflict((oc) => oc.doNothing()).returning('case_id').executeTakeFirst();
    if (!inserted) return;
    await addEvent(tx, ctx, who, caseId, 'contact_linked', { contactId });
    await appendAudit(tx, { hotlineId: who.actor.hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'case.link_contact', recordType: 'case', recordId: caseId, details: { contactId }, ip: who.ip });
  });
  return ok(null);
}

export async function addPerson(ctx: AppContext, who: ActorContext, caseId: string, input: z.infer<typeof addPersonBody>): Promise<Result<{ id: string }>> {
  const gate = await requireUpdatable(ctx, who, caseId);
  if (!gate.ok) return gate;
  const { hotlineId } = who.actor;
  const details = await ctx.keys.encrypt(hotlineId, 'person.details', JSON.stringify(input.details));
  const phoneIndexes = await Promise.all(input.details.phones.map((p) => ctx.keys.blindIndex(hotlineId, 'phone', p)));
  const emailIndexes = await Promise.all(input.details.emails.map((e) => ctx.keys.blindIndex(hotlineId, 'email', e)));
  const id = await ctx.db.transaction().execute(async (tx) => {
    const person = await tx
      .insertInto('person')
      .values({ hotline_id: hotlineId, details, gender: input.gender ?? null, age_range: input.ageRange ?? null, nationality: input.nationality ?? null, phone_indexes: phoneIndexes, email_indexes: emailIndexes, created_by: who.actor.id, updated_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx.insertInto('case_person').values({ case_id: caseId, person_id: person.id, hotline_id: hotlineId, role: input.role }).execute();
    await addEvent(tx, ctx, who, caseId, 'person_added', { personId: person.id, role: input.role });
    await indexPerson(tx, ctx, hotlineId, person.id, input.details);
    await appendAudit(tx, { hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'person.create', recordType: 'person', recordId: person.id, details: { caseId, role: input.role }, ip: who.ip });
    return person.id;
  });
  return ok({ id });
}

export async function addNote(ctx: AppContext, who: ActorContext, caseId: string, body: string): Promise<Result<null>> {
  const gate = await requireUpdatable(ctx, who, caseId);
  if (!gate.ok) return gate;
  await ctx.db.transaction().execute(async (tx) => {
    const noteId = await addEvent(tx, ctx, who, caseId, 'note', {}, body);
    await indexCaseText(tx, ctx, who.actor.hotlineId, 'case_note', noteId, caseId, body);
    await appendAudit(tx, { hotlineId: who.actor.hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'case.note', recordType: 'case', recordId: caseId, ip: who.ip });
  });
  return ok(null);
}

/**
 * A supervisor opens a restricted case they are not named on, with a written reason: they are named for an hour, the
 * reason is audited, and admins see every break-glass event.
 */
export async function breakGlass(ctx: AppContext, who: ActorContext, caseId: string, reason: string): Promise<Result<{ expiresAt: string }>> {
  const { hotlineId } = who.actor;
  const exists = await ctx.db.selectFrom('hotline_case').select(['id', 'sensitivity']).where('hotline_id', '=', hotlineId).where('id', '=', caseId).executeTakeFirst();
  if (!exists) return fail('not_found', 'No such case');
  if (exists.sensitivity !== 'restricted') return fail('conflict', 'This case is not restricted; open it normally');
  const expiresAt = new Date(Date.now() + BREAK_GLASS_MINUTES * 60_000);
  await ctx.db.transaction().execute(async (tx) => {
    await tx.insertInto('case_access').values({ hotline_id: hotlineId, case_id: caseId, user_id: who.actor.id, kind: 'break_glass', reason, granted_by: who.actor.id, expires_at: expiresAt }).execute();
    await addEvent(tx, ctx, who, caseId, 'break_glass', { userId: who.actor.id, expiresAt: expiresAt.toISOString() }, reason);
    await appendAudit(tx, { hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'case.break_glass', recordType: 'case', recordId: caseId, reason, ip: who.ip });
  });
  return ok({ expiresAt: expiresAt.toISOString() });
}

export async function listBreakGlass(ctx: AppContext, hotlineId: string) {
  const rows = await ctx.db
    .selectFrom('case_access as a')
    .innerJoin('app_user as u', 'u.id', 'a.user_id')
    .innerJoin('hotline_case as k', 'k.id', 'a.case_id')
    .select(['a.id', 'a.case_id', 'k.number', 'a.user_id', 'u.display_name', 'a.reason', 'a.granted_at', 'a.expires_at'])
    .where('a.hotline_id', '=', hotlineId)
    .where('a.kind', '=', 'break_glass')
    .orderBy('a.granted_at', 'desc')
    .limit(500)
    .execute();
  return rows.map((r) => ({ id: r.id, caseId: r.case_id, caseReference: `K-${r.number}`, userId: r.user_id, userName: r.display_name, reason: r.reason, grantedAt: r.granted_at.toISOString(), expiresAt: r.expires_at?.toISOString() ?? null }));
}
