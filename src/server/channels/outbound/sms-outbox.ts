import { sql } from 'kysely';
import { fail, ok, type Result } from '../../../shared/errors.js';
import { appendAudit } from '../../audit/audit.js';
import type { AppContext } from '../../context.js';
import { RetryingWorker } from '../retrying-worker.js';
import type { ActiveAccessPoint } from '../access-points.js';
import { notifyLive } from '../../queue/live.js';
import { CONTACT_COLUMNS, type ActorContext } from '../../queue/queue.service.js';
import '../voice/voice.schema.js';
import { createTwilioMessage, twilioApiBase, type SendOutcome } from './twilio-rest.js';

const SOURCE = 'twilio:sms-sender';
const LEASE_MS = 60_000;
export const MAX_ATTEMPTS = 6;
const SWEEP_MS = 5_000;

/** Delivery states of an outbound message, in the order they can only move forward. */
const RANK: Record<string, number> = { queued: 0, sent: 1, failed: 2, delivered: 3, read: 4 };

export function retryDelayMs(attempt: number, baseMs = retryBaseMs()) {
  const exp = Math.min(baseMs * 2 ** (attempt - 1), 60_000);
  return Math.round(exp * (0.8 + Math.random() * 0.4));
}

function retryBaseMs() {
  const n = Number(process.env.CATALYST_TWILIO_RETRY_BASE_MS);
  return Number.isFinite(n) && n >= 10 ? n : 1000;
}

/** Keeps only what a console may see about a send: no body, no number. */
export function presentOutbound(row: { id: string; contact_id: string; status: string; created_at: Date; external_id: string | null; attempts: number | null; failure_reason: string | null }) {
  return { id: row.id, contactId: row.contact_id, direction: 'outbound' as const, status: row.status, attempts: row.attempts ?? 0, failureReason: row.failure_reason, providerSid: row.external_id, createdAt: row.created_at.toISOString() };
}

/**
 * Stores a staff reply to an SMS or WhatsApp contact (encrypted, queued, audited) in one transaction. Sending happens
 * after commit, through the outbox: the reply is never lost to a crash, and is never sent from an uncommitted state.
 */
export async function queueSmsReply(ctx: AppContext, who: ActorContext, contactId: string, text: string): Promise<Result<{ messageId: string }>> {
  const { hotlineId } = who.actor;
  const contact = await ctx.db
    .selectFrom('contact as c')
    .innerJoin('contact_thread as t', 't.id', 'c.thread_id')
    .leftJoin('access_point as ap', (join) => join.onRef('ap.id', '=', 'c.access_point_id').on('ap.hotline_id', '=', hotlineId))
    .select(['c.id', 'c.thread_id', 'c.channel', 'c.assigned_to', 'c.created_by', 'c.sensitivity', 'c.access_point_id', 't.correspondent', 'ap.is_active', 'ap.secret', 'ap.settings'])
    .where('c.hotline_id', '=', hotlineId)
    .where('c.id', '=', contactId)
    .where(who.can.sqlFilter('contact.read', CONTACT_COLUMNS))
    .executeTakeFirst();
  if (!contact) return fail('not_found', 'No such contact');
  const facts = { id: contact.id, assigneeId: contact.assigned_to, creatorId: contact.created_by, sensitivity: contact.sensitivity as 'normal' };
  if (!who.can.allows('contact.update', facts) || !who.can.allows('contact.reply', facts)) return fail('forbidden', 'Only the advocate handling this contact or a supervisor can reply');
  if (contact.channel !== 'sms' && contact.channel !== 'whatsapp') return fail('conflict', 'Only SMS and WhatsApp contacts can be answered by text');
  const settings = (contact.settings ?? {}) as { twilioAccountSid?: string };
  if (!contact.access_point_id || !contact.is_active || !contact.secret || !settings.twilioAccountSid) return fail('conflict', 'This line is not set up for replies (Twilio account and auth token on the access point)');
  if (!contact.correspondent) return fail('conflict', 'This contact has no number to reply to');
  const messageId = await storeSmsReply(ctx, {
    hotlineId, threadId: contact.thread_id, contactId: contact.id, accessPointId: contact.access_point_id, text,
    audit: { actorId: who.actor.id, actorLabel: who.label, action: 'contact.reply', ip: who.ip, details: { channel: contact.channel } },
  });
  return ok({ messageId });
}

/** Stores one outbound text (encrypted, queued for the outbox) with its audit and live event, in one transaction. */
async function storeSmsReply(
  ctx: AppContext,
  reply: { hotlineId: string; threadId: string; contactId: string; accessPointId: string; text: string; audit: { actorId: string | null; actorLabel: string; action: string; ip: string | null; details: Record<string, unknown> } },
): Promise<string> {
  const { hotlineId, contactId } = reply;
  const body = await ctx.keys.encrypt(hotlineId, 'contact_message.body', reply.text);
  return ctx.db.transaction().execute(async (tx) => {
    const message = await tx
      .insertInto('contact_message')
      .values({ hotline_id: hotlineId, thread_id: reply.threadId, contact_id: contactId, direction: 'outbound', body, author_id: reply.audit.actorId, external_id: null, status: 'queued', delivered_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx.insertInto('outbound_message').values({ message_id: message.id, hotline_id: hotlineId, access_point_id: reply.accessPointId, updated_at: new Date(), next_attempt_at: new Date() }).execute();
    const { actorId, actorLabel, action, ip, details } = reply.audit;
    await appendAudit(tx, { hotlineId, actorId, actorLabel, action, recordType: 'contact', recordId: contactId, ip, details: { ...details, messageId: message.id } });
    await notifyLive(tx, { hotlineId, kind: 'contact.message', contactId });
    return message.id;
  });
}

/**
 * The line's own automatic answer to a new SMS or WhatsApp conversation (its greeting, or its after-hours message),
 * stored and sent exactly like a staff reply — encrypted, in the thread where advocates see it, through the outbox
 * with its retries — but authored by nobody, audited as `contact.auto_reply`. Nothing is sent unless the line has
 * Twilio credentials. Returns the message id, or null when the line cannot send.
 */
export async function queueAutoReply(ctx: AppContext, accessPoint: ActiveAccessPoint, recorded: { contactId: string; threadId: string }, text: string, kind: 'greeting' | 'after_hours', ip: string | null) {
  if (!accessPoint.secret || !accessPoint.settings.twilioAccountSid) return null;
  return storeSmsReply(ctx, {
    hotlineId: accessPoint.hotlineId, threadId: recorded.threadId, contactId: recorded.contactId, accessPointId: accessPoint.id, text,
    audit: { actorId: null, actorLabel: 'system:auto-reply', action: 'contact.auto_reply', ip, details: { channel: accessPoint.channel, kind } },
  });
}

export async function readOutbound(ctx: AppContext, hotlineId: string, where: { messageId?: string; contactId?: string }) {
  let q = ctx.db
    .selectFrom('contact_message as m')
    .leftJoin('outbound_message as o', 'o.message_id', 'm.id')
    .select(['m.id', 'm.contact_id', 'm.status', 'm.created_at', 'm.external_id', 'o.attempts', 'o.failure_reason'])
    .where('m.hotline_id', '=', hotlineId)
    .where('m.direction', '=', 'outbound');
  if (where.messageId) q = q.where('m.id', '=', where.messageId);
  if (where.contactId) q = q.where('m.contact_id', '=', where.contactId);
  return (await q.orderBy('m.created_at').limit(500).execute()).map(presentOutbound);
}

/**
 * Applies a Twilio status callback to an outbound message, forward only (a late "sent" never undoes "delivered";
 * a "delivered" after a local failure wins, because the provider knows better). Returns whether anything changed.
 */
export async function applyMessageStatus(ctx: AppContext, hotlineId: string, ref: { messageId?: string; sid: string }, providerStatus: string, errorCode?: string): Promise<boolean> {
  const status = providerStatus === 'delivered' || providerStatus === 'read' ? providerStatus : providerStatus === 'failed' || providerStatus === 'undelivered' || providerStatus === 'canceled' ? 'failed' : providerStatus === 'sent' ? 'sent' : null;
  if (!status) return false;
  return ctx.db.transaction().execute(async (tx) => {
    let q = tx.selectFrom('contact_message').select(['id', 'contact_id', 'status', 'external_id']).where('hotline_id', '=', hotlineId).where('direction', '=', 'outbound');
    q = ref.messageId ? q.where('id', '=', ref.messageId) : q.where('external_id', '=', ref.sid);
    const message = await q.forUpdate().executeTakeFirst();
    if (!message) return false;
    if (message.external_id && message.external_id !== ref.sid) return false; // a callback for another message
    if ((RANK[status] ?? -1) <= (RANK[message.status] ?? -1)) return false;
    await tx
      .updateTable('contact_message')
      .set({ status, ...(status === 'delivered' || status === 'read' ? { delivered_at: sql`coalesce(delivered_at, now())` } : {}), ...(!message.external_id && { external_id: ref.sid }) })
      .where('id', '=', message.id)
      .execute();
    await tx
      .updateTable('outbound_message')
      .set({ provider_status: providerStatus, is_done: true, locked_until: null, ...(status === 'failed' ? { failure_reason: errorCode ? `twilio_${errorCode}` : `twilio_${providerStatus}` } : status !== 'sent' ? { failure_reason: null } : {}), updated_at: new Date() })
      .where('message_id', '=', message.id)
      .execute();
    await appendAudit(tx, { hotlineId, actorId: null, actorLabel: 'twilio:message-status', action: 'contact.reply_status', recordType: 'contact', recordId: message.contact_id, details: { messageId: message.id, status } });
    await notifyLive(tx, { hotlineId, kind: 'contact.updated', contactId: message.contact_id });
    return true;
  });
}

/**
 * The outbox: sends queued replies, one attempt at a time per message (a lease in the row, so several servers can run
 * it), retrying 5xx, 429 and network failures with exponential backoff, and recording a reason code on failure. Any
 * server's sweep picks up messages left behind by a crash or a restart.
 */
export class SmsOutbox extends RetryingWorker {
  constructor(ctx: AppContext) {
    super(ctx, 'outbox', SWEEP_MS);
  }

  protected async dueIds() {
    const due = await this.ctx.db
      .selectFrom('outbound_message')
      .select('message_id')
      .where('is_done', '=', false)
      .where('next_attempt_at', '<=', new Date())
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', new Date())]))
      .orderBy('next_attempt_at')
      .limit(50)
      .execute();
    return due.map((row) => row.message_id);
  }

  async attempt(messageId: string): Promise<void> {
    const { ctx } = this;
    const claimed = await ctx.db
      .updateTable('outbound_message')
      .set({ locked_until: new Date(Date.now() + LEASE_MS), attempts: sql`attempts + 1`, updated_at: new Date() })
      .where('message_id', '=', messageId)
      .where('is_done', '=', false)
      .where('next_attempt_at', '<=', new Date())
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', new Date())]))
      .returning(['hotline_id', 'access_point_id', 'attempts'])
      .executeTakeFirst();
    if (!claimed) return;
    const { hotline_id: hotlineId } = claimed;
    const message = await ctx.db
      .selectFrom('contact_message as m')
      .innerJoin('contact_thread as t', 't.id', 'm.thread_id')
      .select(['m.body', 'm.contact_id', 't.correspondent'])
      .where('m.id', '=', messageId)
      .where('m.hotline_id', '=', hotlineId)
      .executeTakeFirstOrThrow();
    const accessPoint = await ctx.db.selectFrom('access_point').select(['address', 'channel', 'secret', 'settings', 'is_active']).where('id', '=', claimed.access_point_id).where('hotline_id', '=', hotlineId).executeTakeFirstOrThrow();
    const accountSid = (accessPoint.settings as { twilioAccountSid?: string }).twilioAccountSid;
    let outcome: SendOutcome;
    if (!accountSid || !accessPoint.secret || !accessPoint.is_active || !message.correspondent || !message.body) {
      outcome = { kind: 'failed', reason: 'not_configured' };
    } else {
      const [authToken, to, text] = await Promise.all([
        ctx.keys.decrypt(hotlineId, 'access_point.secret', accessPoint.secret),
        ctx.keys.decrypt(hotlineId, 'contact_thread.correspondent', message.correspondent),
        ctx.keys.decrypt(hotlineId, 'contact_message.body', message.body),
      ]);
      const prefix = accessPoint.channel === 'whatsapp' ? 'whatsapp:' : '';
      const publicUrl = ctx.config.publicUrl?.replace(/\/$/, '');
      outcome = await createTwilioMessage(twilioApiBase(), {
        accountSid,
        authToken,
        from: prefix + accessPoint.address,
        to: prefix + to,
        body: text,
        // Our message id in the callback URL (signed by Twilio with it) finds the message even before its SID is stored.
        statusCallback: publicUrl ? `${publicUrl}/api/webhooks/twilio/message-status?m=${messageId}` : undefined,
      });
    }
    if (outcome.kind === 'retry' && claimed.attempts < MAX_ATTEMPTS) {
      const delay = retryDelayMs(claimed.attempts);
      await ctx.db.updateTable('outbound_message').set({ locked_until: null, next_attempt_at: new Date(Date.now() + delay), failure_reason: outcome.reason, updated_at: new Date() }).where('message_id', '=', messageId).execute();
      ctx.log.info({ messageId, attempt: claimed.attempts, reason: outcome.reason, retryInMs: delay }, 'outbound message will be retried');
      this.kick(messageId, delay);
      return;
    }
    const final = outcome.kind === 'retry' ? { kind: 'failed' as const, reason: `retries_exhausted:${outcome.reason}` } : outcome;
    await ctx.db.transaction().execute(async (tx) => {
      if (final.kind === 'sent') {
        // Forward only: a fast "delivered" callback may already have landed.
        await tx.updateTable('contact_message').set({ external_id: final.sid }).where('id', '=', messageId).where('external_id', 'is', null).execute();
        await tx.updateTable('contact_message').set({ status: 'sent' }).where('id', '=', messageId).where('status', '=', 'queued').execute();
      } else {
        await tx.updateTable('contact_message').set({ status: 'failed' }).where('id', '=', messageId).where('status', 'in', ['queued', 'sent']).execute();
      }
      await tx
        .updateTable('outbound_message')
        .set({ is_done: true, locked_until: null, failure_reason: final.kind === 'failed' ? final.reason : null, ...(final.kind === 'sent' && { provider_status: final.providerStatus }), updated_at: new Date() })
        .where('message_id', '=', messageId)
        .execute();
      await appendAudit(tx, { hotlineId, actorId: null, actorLabel: SOURCE, action: final.kind === 'sent' ? 'contact.reply_sent' : 'contact.reply_failed', recordType: 'contact', recordId: message.contact_id, details: { messageId, attempts: claimed.attempts, ...(final.kind === 'failed' && { reason: final.reason }) } });
      await notifyLive(tx, { hotlineId, kind: 'contact.updated', contactId: message.contact_id });
    });
    if (final.kind === 'failed') ctx.log.warn({ messageId, reason: final.reason, attempts: claimed.attempts }, 'outbound message failed');
  }
}
