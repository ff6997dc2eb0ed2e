import { sql } from 'kysely';
import type { Locale } from '../../../shared/roles.js';
import { DEFAULT_VOICE_CONFIG, voiceConfigSchema, type VoiceConfig } from '../../../shared/api/voice.js';
import { appendAudit } from '../../audit/audit.js';
import { publishedConfig } from '../../config-store.js';
import type { AppContext } from '../../context.js';
import type { Tx } from '../../db/db.js';
import { recordInboundSignal } from '../../intake/intake.service.js';
import { notifyLive } from '../../queue/live.js';
import type { ActiveAccessPoint } from '../access-points.js';
import { hotlineFacts, isOpenAt, lineLanguages } from '../hours.js';
import './voice.schema.js';

const SOURCE = 'twilio:voice';
const TERMINAL = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);
const STATUS_ORDER = ['queued', 'initiated', 'ringing', 'in-progress'];


export async function voiceConfig(ctx: AppContext, hotlineId: string): Promise<VoiceConfig> {
  return (await publishedConfig(ctx.db, hotlineId, 'voice', voiceConfigSchema, DEFAULT_VOICE_CONFIG)).data;
}

/** Caller ids that are not a number (anonymous, restricted, a SIP client) do not thread calls together. */
function callerNumber(from: string): string | null {
  const digits = from.replace(/\D/g, '');
  return /^\+?[\d\s().-]+$/.test(from.trim()) && digits.length >= 5 && digits.length <= 15 ? from.trim() : null;
}

/**
 * An incoming call: stored through the one intake door (idempotent on CallSid), then its call row. After hours, the
 * contact this call opened is closed at once (the signal is kept; the caller hears the after-hours message).
 */
export async function recordIncomingCall(ctx: AppContext, accessPoint: ActiveAccessPoint, call: { CallSid: string; From: string }, ip: string, now = new Date()) {
  const hotline = await hotlineFacts(ctx, accessPoint.hotlineId);
  const languages = lineLanguages(accessPoint, hotline);
  const isOpen = isOpenAt(accessPoint.settings.hours, hotline.timezone, now);
  const number = callerNumber(call.From);
  const recorded = await recordInboundSignal(ctx, {
    hotlineId: accessPoint.hotlineId,
    channel: 'phone',
    accessPointId: accessPoint.id,
    correspondent: number ? { kind: 'phone', value: number } : null,
    externalId: call.CallSid,
    receivedAt: now,
    language: languages.length === 1 ? languages[0] : null,
    team: accessPoint.team,
    source: SOURCE,
    ip,
  });
  const inserted = await ctx.db
    .insertInto('voice_call')
    .values({ hotline_id: accessPoint.hotlineId, contact_id: recorded.contactId, access_point_id: accessPoint.id, call_sid: call.CallSid, received_at: now, is_after_hours: !isOpen, updated_at: new Date() })
    .onConflict((oc) => oc.columns(['hotline_id', 'call_sid']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!isOpen && inserted) {
    await ctx.db.transaction().execute(async (tx) => {
      const closed = await closeIfOnlyThisCall(tx, accessPoint.hotlineId, recorded.contactId, inserted.id, now, null);
      await tx.updateTable('voice_call').set({ outcome: 'after_hours', closed_contact: closed, updated_at: new Date() }).where('id', '=', inserted.id).execute();
      if (closed) await auditCall(tx, accessPoint.hotlineId, recorded.contactId, ip, { outcome: 'after_hours', closed: true });
    });
  }
  return { ...recorded, isOpen, languages, hotline };
}

type VoiceCallRow = { id: string; contact_id: string; received_at: Date; outcome: string | null; queue_result: string | null; closed_contact: boolean; status_sequence: number; is_after_hours: boolean };

/** The call row, created from the stored signal if the incoming webhook committed the contact but not the row. */
async function lockCall(tx: Tx, ctx: AppContext, hotlineId: string, callSid: string): Promise<VoiceCallRow | null> {
  const select = () =>
    tx.selectFrom('voice_call').select(['id', 'contact_id', 'received_at', 'outcome', 'queue_result', 'closed_contact', 'status_sequence', 'is_after_hours']).where('hotline_id', '=', hotlineId).where('call_sid', '=', callSid).forUpdate().executeTakeFirst();
  const row = await select();
  if (row) return row;
  const message = await tx.selectFrom('contact_message as m').innerJoin('contact as c', 'c.id', 'm.contact_id').select(['m.contact_id', 'm.created_at', 'c.access_point_id']).where('m.hotline_id', '=', hotlineId).where('m.external_id', '=', callSid).executeTakeFirst();
  if (!message) return null;
  await tx
    .insertInto('voice_call')
    .values({ hotline_id: hotlineId, contact_id: message.contact_id, access_point_id: message.access_point_id, call_sid: callSid, received_at: message.created_at, updated_at: new Date() })
    .onConflict((oc) => oc.columns(['hotline_id', 'call_sid']).doNothing())
    .execute();
  return (await select()) ?? null;
}

/**
 * Closes a contact that is still waiting, as abandoned (or after hours), unless another call on it is still live.
 * `hang_up` marks it a non-data contact only when nobody documented a request type.
 */
async function closeIfOnlyThisCall(tx: Tx, hotlineId: string, contactId: string, callId: string, endedAt: Date, requestType: 'hang_up' | null): Promise<boolean> {
  const row = await tx
    .updateTable('contact')
    .set({
      status: 'closed',
      ended_at: sql`coalesce(ended_at, ${endedAt})`,
      ...(requestType && { request_type: sql`coalesce(request_type, ${requestType})` }),
      updated_at: new Date(),
      version: sql`version + 1`,
    })
    .where('hotline_id', '=', hotlineId)
    .where('id', '=', contactId)
    .where('status', '=', 'waiting')
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('voice_call as v').select('v.id').where('v.contact_id', '=', contactId).where('v.id', '<>', callId).where('v.outcome', 'is', null).where('v.ended_at', 'is', null))),
    )
    .returning('id')
    .executeTakeFirst();
  if (row) await notifyLive(tx, { hotlineId, kind: 'queue.changed', contactId, status: 'closed' });
  return !!row;
}

async function auditCall(tx: Tx, hotlineId: string, contactId: string, ip: string | null, details: Record<string, unknown>) {
  await appendAudit(tx, { hotlineId, actorId: null, actorLabel: SOURCE, action: details.closed ? 'contact.close' : 'contact.call_update', recordType: 'contact', recordId: contactId, ip, details });
}

export type QueueOutcome = 'answered' | 'abandoned' | 'not_connected' | null;

export function outcomeOfQueueResult(result: string): QueueOutcome {
  if (result === 'bridged' || result === 'bridging-in-process') return 'answered';
  if (result === 'hangup') return 'abandoned';
  if (result === 'queue-full' || result === 'error' || result === 'system-error') return 'not_connected';
  return null; // redirected, leave: the call went on elsewhere in the flow
}

/**
 * The Enqueue action: how the caller left the queue. Applied once per call (a retried callback finds it applied).
 * A later "bridged" overrides an abandonment inferred from an earlier status callback, and reopens the contact for
 * documentation if that inference had closed it.
 */
export async function applyQueueResult(ctx: AppContext, accessPoint: ActiveAccessPoint, p: { CallSid: string; QueueResult: string; QueueTime?: string }, ip: string, now = new Date()) {
  const { hotlineId } = accessPoint;
  const config = await voiceConfig(ctx, hotlineId);
  return ctx.db.transaction().execute(async (tx) => {
    const call = await lockCall(tx, ctx, hotlineId, p.CallSid);
    if (!call) return { applied: false, known: false };
    if (call.queue_result !== null) return { applied: false, known: true };
    const queueSeconds = p.QueueTime === undefined ? null : Number(p.QueueTime);
    const outcome = outcomeOfQueueResult(p.QueueResult);
    const wait = queueSeconds ?? Math.max(0, Math.round((now.getTime() - call.received_at.getTime()) / 1000));
    const answeredAt = outcome === 'answered' ? new Date(Math.min(now.getTime(), call.received_at.getTime() + wait * 1000)) : null;
    let closed = false;
    let reopened = false;
    if (outcome === 'answered') {
      await tx.updateTable('contact').set({ answered_at: sql`coalesce(answered_at, ${answeredAt})`, updated_at: new Date() }).where('hotline_id', '=', hotlineId).where('id', '=', call.contact_id).execute();
      if (call.closed_contact) {
        const row = await tx.updateTable('contact').set({ status: 'wrap_up', updated_at: new Date(), version: sql`version + 1` }).where('hotline_id', '=', hotlineId).where('id', '=', call.contact_id).where('status', '=', 'closed').returning('id').executeTakeFirst();
        reopened = !!row;
        if (row) await notifyLive(tx, { hotlineId, kind: 'queue.changed', contactId: call.contact_id, status: 'wrap_up' });
      }
    } else if (outcome === 'abandoned' && call.outcome === null) {
      closed = await closeIfOnlyThisCall(tx, hotlineId, call.contact_id, call.id, now, 'hang_up');
    }
    const nextOutcome = outcome === 'answered' ? 'answered' : call.outcome ?? outcome;
    await tx
      .updateTable('voice_call')
      .set({
        queue_result: p.QueueResult,
        queue_seconds: queueSeconds,
        outcome: nextOutcome,
        ...(answeredAt && { answered_at: answeredAt }),
        ...(nextOutcome === 'abandoned' && { is_short_abandon: wait < config.shortAbandonSeconds }),
        ...(outcome === 'answered' && { is_short_abandon: false }),
        ...(closed && { closed_contact: true }),
        ...(reopened && { closed_contact: false }),
        updated_at: new Date(),
      })
      .where('id', '=', call.id)
      .execute();
    await auditCall(tx, hotlineId, call.contact_id, ip, { queueResult: p.QueueResult, outcome: nextOutcome, ...(closed && { closed: true }), ...(reopened && { reopened: true }) });
    return { applied: true, known: true, outcome: nextOutcome };
  });
}

/**
 * A call status callback. Applied when it is newer than the last one (SequenceNumber, else the status order), so a
 * retried or late callback changes nothing. A call that ends with no queue result while its contact is still waiting
 * was abandoned before an advocate answered (during the greeting, or in the queue if the Enqueue action is late).
 */
export async function applyCallStatus(ctx: AppContext, accessPoint: ActiveAccessPoint, p: { CallSid: string; CallStatus: string; CallDuration?: string; SequenceNumber?: string; Timestamp?: string }, ip: string, now = new Date()) {
  const { hotlineId } = accessPoint;
  const config = await voiceConfig(ctx, hotlineId);
  const isTerminal = TERMINAL.has(p.CallStatus);
  const sequence = p.SequenceNumber !== undefined ? Number(p.SequenceNumber) : isTerminal ? 1000 : STATUS_ORDER.indexOf(p.CallStatus);
  const stamped = p.Timestamp ? new Date(p.Timestamp) : null;
  const endedAt = stamped && !Number.isNaN(stamped.getTime()) && Math.abs(stamped.getTime() - now.getTime()) < 86_400_000 ? stamped : now;
  return ctx.db.transaction().execute(async (tx) => {
    const call = await lockCall(tx, ctx, hotlineId, p.CallSid);
    if (!call) return { applied: false, known: false };
    if (sequence <= call.status_sequence) return { applied: false, known: true };
    const duration = p.CallDuration === undefined ? null : Number(p.CallDuration);
    let outcome = call.outcome;
    let closed = false;
    let isShort: boolean | undefined;
    if (isTerminal && outcome === null) {
      const contact = await tx.selectFrom('contact').select(['status', 'answered_at']).where('hotline_id', '=', hotlineId).where('id', '=', call.contact_id).executeTakeFirstOrThrow();
      if (contact.status !== 'waiting' || contact.answered_at) outcome = 'answered';
      else {
        outcome = 'abandoned';
        const wait = duration ?? Math.max(0, Math.round((endedAt.getTime() - call.received_at.getTime()) / 1000));
        isShort = wait < config.shortAbandonSeconds;
        closed = await closeIfOnlyThisCall(tx, hotlineId, call.contact_id, call.id, endedAt, 'hang_up');
      }
    }
    await tx
      .updateTable('voice_call')
      .set({
        call_status: p.CallStatus,
        status_sequence: sequence,
        ...(duration !== null && { duration_seconds: duration }),
        ...(isTerminal && { ended_at: endedAt }),
        outcome,
        ...(isShort !== undefined && { is_short_abandon: isShort }),
        ...(closed && { closed_contact: true }),
        updated_at: new Date(),
      })
      .where('id', '=', call.id)
      .execute();
    if (isTerminal) await auditCall(tx, hotlineId, call.contact_id, ip, { callStatus: p.CallStatus, outcome, ...(closed && { closed: true }) });
    return { applied: true, known: true, outcome };
  });
}

export async function listCalls(ctx: AppContext, hotlineId: string, contactId: string) {
  const rows = await ctx.db.selectFrom('voice_call').selectAll().where('hotline_id', '=', hotlineId).where('contact_id', '=', contactId).orderBy('received_at').execute();
  return rows.map((r) => ({
    callSid: r.call_sid,
    receivedAt: r.received_at.toISOString(),
    isAfterHours: r.is_after_hours,
    queueResult: r.queue_result,
    queueSeconds: r.queue_seconds,
    answeredAt: r.answered_at?.toISOString() ?? null,
    callStatus: r.call_status,
    durationSeconds: r.duration_seconds,
    endedAt: r.ended_at?.toISOString() ?? null,
    outcome: r.outcome,
    isShortAbandon: r.is_short_abandon,
  }));
}
