import { sql } from 'kysely';
import type { z } from 'zod';
import { fail, ok, type Result } from '../../shared/errors.js';
import type { updateContactBody } from '../../shared/api/queue.js';
import { DEFAULT_SLA, slaConfigSchema, slaTargetSeconds } from '../../shared/sla.js';
import { appendAudit, auditInsert } from '../audit/audit.js';
import { publishedConfig } from '../config-store.js';
import type { AppContext } from '../context.js';
import { notifyLive } from '../queue/live.js';
import { priorityOf } from '../queue/priority.js';
import { CONTACT_COLUMNS, listTransfers, type ActorContext } from '../queue/queue.service.js';
import { answersSchema } from '../../shared/contact-form.js';
import { threadAttachments } from './attachments.routes.js';
import '../channels/voice/voice.schema.js';
import { contactFormFor } from './form.routes.js';

const CONTACT_SELECT = [
  'c.id', 'c.number', 'c.thread_id', 'c.channel', 'c.direction', 'c.status', 'c.priority', 'c.received_at', 'c.answered_at', 'c.ended_at',
  'c.sla_due_at', 'c.assigned_to', 'c.handled_by', 'c.team', 'c.language', 'c.interpreter_used', 'c.signaler_type', 'c.request_type',
  'c.heard_about', 'c.area_code', 'c.flags', 'c.sensitivity', 'c.summary', 'c.notes', 'c.form_data', 'c.form_version', 'c.created_by', 'c.version', 'c.updated_at',
] as const;

/** Reads one contact with its thread's messages, decrypted; the read is audited in the same statement. */
export async function readContact(ctx: AppContext, who: ActorContext, contactId: string) {
  const { hotlineId } = who.actor;
  const row = await ctx.db
    .with('audit', (qb) => auditInsert(qb, { hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'contact.read', recordType: 'contact', recordId: contactId, ip: who.ip }))
    .selectFrom('contact as c')
    .innerJoin('contact_thread as t', 't.id', 'c.thread_id')
    .select([...CONTACT_SELECT, 't.correspondent', 't.subject', 't.follow_up_code'])
    .where('c.hotline_id', '=', hotlineId)
    .where('c.id', '=', contactId)
    .where(who.can.sqlFilter('contact.read', CONTACT_COLUMNS))
    .executeTakeFirst();
  if (!row) return null;
  const [messages, transfers, attachments, media] = await Promise.all([
    ctx.db
      .selectFrom('contact_message')
      .select(['id', 'contact_id', 'direction', 'body', 'author_id', 'status', 'created_at', 'delivered_at'])
      .where('hotline_id', '=', hotlineId)
      .where('thread_id', '=', row.thread_id)
      .orderBy('created_at')
      .limit(1000)
      .execute(),
    // Handing-over notes travel with the contact: part of the same (audited) read.
    listTransfers(ctx, hotlineId, contactId),
    // The names of the files that came with the messages, likewise (each download is audited on its own).
    threadAttachments(ctx, hotlineId, contactId, row.thread_id),
    // Files of MMS / WhatsApp messages not (yet) fetched from the provider: the advocate must know they exist.
    ctx.db
      .selectFrom('media_fetch as f')
      .innerJoin('contact_message as m', 'm.id', 'f.message_id')
      .select(['f.message_id', 'f.is_done', 'f.failure_reason'])
      .where('f.hotline_id', '=', hotlineId)
      .where('m.thread_id', '=', row.thread_id)
      .where('f.attachment_id', 'is', null)
      .execute(),
  ]);
  const decrypt = (field: string, value: Buffer | null) => ctx.keys.decryptOptional(hotlineId, field, value);
  return {
    id: row.id,
    number: Number(row.number),
    reference: `C-${row.number}`,
    threadId: row.thread_id,
    channel: row.channel,
    direction: row.direction,
    status: row.status,
    priority: row.priority,
    receivedAt: row.received_at.toISOString(),
    answeredAt: row.answered_at?.toISOString() ?? null,
    endedAt: row.ended_at?.toISOString() ?? null,
    slaDueAt: row.sla_due_at?.toISOString() ?? null,
    assignedTo: row.assigned_to,
    handledBy: row.handled_by,
    team: row.team,
    language: row.language,
    interpreterUsed: row.interpreter_used,
    signalerType: row.signaler_type,
    requestType: row.request_type,
    heardAbout: row.heard_about,
    areaCode: row.area_code,
    flags: row.flags,
    sensitivity: row.sensitivity,
    summary: await decrypt('contact.summary', row.summary),
    notes: await decrypt('contact.notes', row.notes),
    formVersion: row.form_version,
    formData: row.form_data ? (JSON.parse((await decrypt('contact.form_data', row.form_data))!) as Record<string, unknown>) : {},
    correspondent: await decrypt('contact_thread.correspondent', row.correspondent),
    subject: await decrypt('contact_thread.subject', row.subject),
    followUpCode: row.follow_up_code,
    version: row.version,
    updatedAt: row.updated_at.toISOString(),
    messages: await Promise.all(
      messages.map(async (m) => ({
        id: m.id, contactId: m.contact_id, direction: m.direction, body: await decrypt('contact_message.body', m.body), authorId: m.author_id,
        status: m.status, createdAt: m.created_at.toISOString(), deliveredAt: m.delivered_at?.toISOString() ?? null,
        attachments: attachments.filter((a) => a.messageId === m.id).map(({ id, filename, contentType, size, url }) => ({ id, filename, contentType, size, url })),
        pendingFiles: media.filter((f) => f.message_id === m.id && !f.is_done).length,
        failedFiles: media.filter((f) => f.message_id === m.id && f.is_done).map((f) => ({ reason: f.failure_reason ?? 'unknown' })),
      })),
    ),
    transfers,
  };
}

export type ContactView = NonNullable<Awaited<ReturnType<typeof readContact>>>;

/**
 * Saves the advocate's documentation. Optimistic concurrency: a write based on an old version gets 409 with the
 * current record, so the advocate can merge; nothing is silently overwritten.
 */
export async function updateContact(ctx: AppContext, who: ActorContext, contactId: string, patch: z.infer<typeof updateContactBody>): Promise<Result<ContactView>> {
  const { hotlineId } = who.actor;
  const current = await ctx.db
    .selectFrom('contact as c')
    .select(['c.id', 'c.version', 'c.assigned_to', 'c.created_by', 'c.sensitivity', 'c.channel', 'c.request_type', 'c.flags', 'c.received_at', 'c.status'])
    .where('c.hotline_id', '=', hotlineId)
    .where('c.id', '=', contactId)
    .where(who.can.sqlFilter('contact.read', CONTACT_COLUMNS))
    .executeTakeFirst();
  if (!current) return fail('not_found', 'No such contact');
  if (!who.can.allows('contact.update', { id: current.id, assigneeId: current.assigned_to, creatorId: current.created_by, sensitivity: current.sensitivity as 'normal' })) {
    return fail('forbidden', 'Only the advocate handling this contact or a supervisor can change it');
  }
  if (patch.version !== current.version) {
    const theirs = await readContact(ctx, who, contactId);
    return fail('stale_version', 'Someone else saved this contact after you opened it; review their change and save again', { current: theirs });
  }
  let formData: Buffer | undefined;
  let formVersion: number | undefined;
  if (patch.formData !== undefined) {
    const form = await contactFormFor(ctx.db, hotlineId);
    const parsed = answersSchema(form.data).safeParse(patch.formData);
    if (!parsed.success) return fail('validation_failed', `formData.${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}`);
    formData = await ctx.keys.encrypt(hotlineId, 'contact.form_data', JSON.stringify(parsed.data));
    formVersion = form.version;
  }
  const requestType = patch.requestType === undefined ? current.request_type : patch.requestType;
  const flags = patch.flags === undefined ? current.flags : { ...current.flags, ...patch.flags };
  const sla = (await publishedConfig(ctx.db, hotlineId, 'sla', slaConfigSchema, DEFAULT_SLA)).data;
  const enc = (field: string, value: string | null | undefined) => (value === undefined ? undefined : ctx.keys.encryptOptional(hotlineId, field, value));
  const [summary, notes] = await Promise.all([enc('contact.summary', patch.summary), enc('contact.notes', patch.notes)]);
  const updated = await ctx.db.transaction().execute(async (tx) => {
    const row = await tx
      .updateTable('contact')
      .set({
        ...(patch.language !== undefined && { language: patch.language }),
        ...(patch.interpreterUsed !== undefined && { interpreter_used: patch.interpreterUsed }),
        ...(patch.signalerType !== undefined && { signaler_type: patch.signalerType }),
        ...(patch.requestType !== undefined && { request_type: patch.requestType }),
        ...(patch.heardAbout !== undefined && { heard_about: patch.heardAbout }),
        ...(patch.areaCode !== undefined && { area_code: patch.areaCode }),
        ...(patch.flags !== undefined && { flags: JSON.stringify(flags) }),
        ...(patch.sensitivity !== undefined && { sensitivity: patch.sensitivity }),
        ...(summary !== undefined && { summary }),
        ...(notes !== undefined && { notes }),
        ...(formData !== undefined && { form_data: formData, form_version: formVersion }),
        // What the advocate learns changes how urgent the contact is, and so its place and target in the queue.
        priority: priorityOf({ channel: current.channel, requestType, flags }),
        ...(current.status === 'waiting' && { sla_due_at: new Date(current.received_at.getTime() + slaTargetSeconds(sla, current.channel, requestType) * 1000) }),
        updated_at: new Date(),
        version: sql`version + 1`,
      })
      .where('hotline_id', '=', hotlineId)
      .where('id', '=', contactId)
      .where('version', '=', patch.version)
      .returning('id')
      .executeTakeFirst();
    if (!row) return false;
    await appendAudit(tx, { hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'contact.update', recordType: 'contact', recordId: contactId, ip: who.ip, details: { fields: Object.keys(patch).filter((k) => k !== 'version') } });
    await notifyLive(tx, { hotlineId, kind: 'contact.updated', contactId });
    return true;
  });
  if (!updated) return fail('stale_version', 'Someone else saved this contact meanwhile; reload and save again', { current: await readContact(ctx, who, contactId) });
  return ok((await readContact(ctx, who, contactId))!);
}

export async function closeContact(ctx: AppContext, who: ActorContext, contactId: string, version: number, status: 'wrap_up' | 'closed'): Promise<Result<ContactView>> {
  const { hotlineId } = who.actor;
  const current = await ctx.db.selectFrom('contact as c').select(['c.id', 'c.version', 'c.assigned_to', 'c.created_by', 'c.sensitivity', 'c.status']).where('c.hotline_id', '=', hotlineId).where('c.id', '=', contactId).where(who.can.sqlFilter('contact.read', CONTACT_COLUMNS)).executeTakeFirst();
  if (!current) return fail('not_found', 'No such contact');
  if (!who.can.allows('contact.update', { id: current.id, assigneeId: current.assigned_to, creatorId: current.created_by, sensitivity: current.sensitivity as 'normal' })) return fail('forbidden', 'Only the advocate handling this contact or a supervisor can close it');
  const done = await ctx.db.transaction().execute(async (tx) => {
    const row = await tx
      .updateTable('contact')
      .set({ status, ended_at: sql`coalesce(ended_at, now())`, updated_at: new Date(), version: sql`version + 1` })
      .where('hotline_id', '=', hotlineId)
      .where('id', '=', contactId)
      .where('version', '=', version)
      .returning('id')
      .executeTakeFirst();
    if (!row) return false;
    await appendAudit(tx, { hotlineId, actorId: who.actor.id, actorLabel: who.label, action: status === 'closed' ? 'contact.close' : 'contact.wrap_up', recordType: 'contact', recordId: contactId, ip: who.ip });
    await notifyLive(tx, { hotlineId, kind: 'queue.changed', contactId, status });
    return true;
  });
  if (!done) return fail('stale_version', 'Someone else changed this contact meanwhile; reload it', { current: await readContact(ctx, who, contactId) });
  return ok((await readContact(ctx, who, contactId))!);
}
