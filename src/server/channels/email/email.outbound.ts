import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import nodemailer from 'nodemailer';
import { fail, ok, type Result } from '../../../shared/errors.js';
import { appendAudit } from '../../audit/audit.js';
import type { AppContext } from '../../context.js';
import { RetryingWorker } from '../retrying-worker.js';
import { notifyLive } from '../../queue/live.js';
import { CONTACT_COLUMNS, type ActorContext } from '../../queue/queue.service.js';
import type { ActiveAccessPoint } from '../access-points.js';
import { parseIdList, replyReferences, replySubject, type InboundEmail } from './email.parse.js';
import { refIndex } from './email.inbound.js';
import './email.tables.js';

const SENDER = 'smtp:relay';
const LEASE_MS = 120_000;
export const MAX_EMAIL_ATTEMPTS = 5;
const SWEEP_MS = 10_000;

export interface RelaySettings {
  host: string;
  port: number;
  secure: boolean;
  user: string | null;
  password: string | null;
}

type SendOutcome = { kind: 'sent' } | { kind: 'retry'; reason: string } | { kind: 'failed'; reason: string };

/** The relay of an access point (its settings and encrypted password), else the install's CATALYST_SMTP_RELAY_URL. */
export function relayOf(settings: { smtpHost?: string; smtpPort?: number; smtpUser?: string }, password: string | null, fallbackUrl: string | undefined): RelaySettings | null {
  if (settings.smtpHost) {
    const port = settings.smtpPort ?? 587;
    return { host: settings.smtpHost, port, secure: port === 465, user: settings.smtpUser ?? null, password: settings.smtpUser ? password : null };
  }
  if (!fallbackUrl) return null;
  const url = new URL(fallbackUrl);
  const secure = url.protocol === 'smtps:';
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    user: url.username ? decodeURIComponent(url.username) : null,
    password: url.password ? decodeURIComponent(url.password) : null,
  };
}

const isLoopback = (host: string) => host === 'localhost' || host === '::1' || /^127\./.test(host);

/**
 * What a failed send means. 4xx replies and network trouble are retried; 5xx replies, authentication and TLS failures
 * are final. The reason is a code (never the server's text, which often quotes the address).
 */
export function classifySendError(error: unknown): SendOutcome {
  const e = error as { responseCode?: number; code?: string };
  if (typeof e.responseCode === 'number') {
    const reason = `smtp_${e.responseCode}`;
    return e.responseCode >= 400 && e.responseCode < 500 ? { kind: 'retry', reason } : { kind: 'failed', reason };
  }
  const code = String(e.code ?? 'error').toLowerCase().replace(/[^a-z0-9_]/g, '').slice(0, 40) || 'error';
  return ['econnection', 'etimedout', 'esocket', 'edns', 'econnrefused', 'econnreset'].includes(code) ? { kind: 'retry', reason: code } : { kind: 'failed', reason: code };
}

export function retryDelayMs(attempt: number, baseMs: number) {
  return Math.round(Math.min(baseMs * 2 ** (attempt - 1), 10 * 60_000) * (0.8 + Math.random() * 0.4));
}

/**
 * Stores a staff reply to an email contact (encrypted, queued, audited) in one transaction, with its threading
 * headers decided now: To is the address that opened the conversation (or another address that wrote in it, chosen
 * explicitly), In-Reply-To that person's newest message, References the chain.
 * Sending happens after commit through the outbox, so a reply is never sent from an uncommitted state nor lost.
 */
export async function queueEmailReply(ctx: AppContext, who: ActorContext, contactId: string, text: string, options: { to?: string } = {}): Promise<Result<{ messageId: string }>> {
  const { hotlineId } = who.actor;
  const contact = await ctx.db
    .selectFrom('contact as c')
    .innerJoin('contact_thread as t', 't.id', 'c.thread_id')
    .leftJoin('access_point as ap', (join) => join.onRef('ap.id', '=', 'c.access_point_id').on('ap.hotline_id', '=', hotlineId))
    .select(['c.id', 'c.thread_id', 'c.channel', 'c.assigned_to', 'c.created_by', 'c.sensitivity', 'c.access_point_id', 't.correspondent', 't.subject', 'ap.is_active', 'ap.settings', 'ap.address as ap_address'])
    .where('c.hotline_id', '=', hotlineId)
    .where('c.id', '=', contactId)
    .where(who.can.sqlFilter('contact.read', CONTACT_COLUMNS))
    .executeTakeFirst();
  if (!contact) return fail('not_found', 'No such contact');
  const facts = { id: contact.id, assigneeId: contact.assigned_to, creatorId: contact.created_by, sensitivity: contact.sensitivity as 'normal' };
  if (!who.can.allows('contact.update', facts) || !who.can.allows('contact.reply', facts)) return fail('forbidden', 'Only the advocate handling this contact or a supervisor can reply');
  if (contact.channel !== 'email') return fail('conflict', 'Only email contacts can be answered by email');
  if (!contact.access_point_id || !contact.is_active || !contact.ap_address) return fail('conflict', 'The email address this contact wrote to is no longer active');
  const settings = (contact.settings ?? {}) as { smtpHost?: string };
  if (!settings.smtpHost && !ctx.config.smtpRelayUrl) return fail('conflict', 'This email address is not set up for replies (an SMTP relay on the access point, or CATALYST_SMTP_RELAY_URL)');

  const dec = (field: string, value: Buffer | null | undefined) => ctx.keys.decryptOptional(hotlineId, field, value ?? null);
  // Who may be written to: the address that opened the conversation, and any address that wrote in it since.
  const inbound = await ctx.db
    .selectFrom('email_message')
    .select(['address', 'subject', 'rfc_message_id', 'rfc_references'])
    .where('hotline_id', '=', hotlineId)
    .where('thread_id', '=', contact.thread_id)
    .where('direction', '=', 'inbound')
    .orderBy('created_at', 'desc')
    .limit(200)
    .execute();
  const senders = await Promise.all(inbound.map((m) => dec('email_message.address', m.address)));
  const opener = await dec('contact_thread.correspondent', contact.correspondent);
  const same = (a: string | null, b: string) => !!a && a.trim().toLowerCase() === b.trim().toLowerCase();
  const to = options.to ? ([opener, ...senders].find((a) => same(a, options.to!)) ?? null) : (opener ?? senders.find((a) => !!a) ?? null);
  if (options.to && !to) return fail('conflict', 'Replies go only to an address that wrote in this conversation');
  if (!to) return fail('conflict', 'This contact has no address to reply to');
  // Answer the newest message of that person (else the newest message of the conversation).
  const parent = inbound[senders.findIndex((a) => same(a, to))] ?? inbound[0];
  const parentId = await dec('email_message.rfc_message_id', parent?.rfc_message_id);
  const references = replyReferences(parseIdList(await dec('email_message.rfc_references', parent?.rfc_references)), parentId);
  const subject = replySubject((await dec('email_message.subject', parent?.subject)) ?? (await dec('contact_thread.subject', contact.subject)));
  const messageId = await storeEmailReply(ctx, {
    hotlineId, threadId: contact.thread_id, contactId: contact.id, accessPointId: contact.access_point_id, accessPointAddress: contact.ap_address,
    text, to, subject, references,
    audit: { actorId: who.actor.id, actorLabel: who.label, action: 'contact.reply', ip: who.ip, details: { channel: 'email' } },
  });
  return ok({ messageId });
}

interface EmailReply {
  hotlineId: string;
  threadId: string;
  contactId: string;
  accessPointId: string;
  accessPointAddress: string;
  text: string;
  to: string;
  subject: string;
  references: string[];
  /** Who the audit names; a staff reply has an author, an automatic one none (and is sent as Auto-Submitted). */
  audit: { actorId: string | null; actorLabel: string; action: string; ip: string | null; details: Record<string, unknown> };
}

/** Stores one outbound email (encrypted, queued for the outbox, its Message-ID indexed for threading) with its audit. */
async function storeEmailReply(ctx: AppContext, reply: EmailReply): Promise<string> {
  const { hotlineId } = reply;
  const domain = reply.accessPointAddress.split('@')[1] || 'catalyst.invalid';
  const ownId = `<${randomUUID()}@${domain}>`;
  const ownIndex = await refIndex(ctx, hotlineId, ownId);
  const enc = (field: string, value: string | null) => ctx.keys.encryptOptional(hotlineId, field, value);
  const [body, address, encSubject, encId, encRefs] = await Promise.all([
    enc('contact_message.body', reply.text),
    enc('email_message.address', reply.to),
    enc('email_message.subject', reply.subject),
    enc('email_message.rfc_message_id', ownId),
    enc('email_message.rfc_references', reply.references.length ? reply.references.join(' ') : null),
  ]);
  return ctx.db.transaction().execute(async (tx) => {
    const message = await tx
      .insertInto('contact_message')
      // The external id is the blind index of our Message-ID: a copy of this reply coming back in is not stored again.
      .values({ hotline_id: hotlineId, thread_id: reply.threadId, contact_id: reply.contactId, direction: 'outbound', body, author_id: reply.audit.actorId, external_id: `email:${ownIndex.toString('hex')}`, status: 'queued', delivered_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('email_message')
      .values({
        message_id: message.id, hotline_id: hotlineId, thread_id: reply.threadId, access_point_id: reply.accessPointId, direction: 'outbound',
        address, subject: encSubject, rfc_message_id: encId, rfc_references: encRefs, is_done: false, next_attempt_at: new Date(), locked_until: null, failure_reason: null, updated_at: new Date(),
      })
      .execute();
    // The person's answer to this reply will name our Message-ID: it threads back here.
    await tx.insertInto('email_message_ref').values({ hotline_id: hotlineId, ref_index: ownIndex, thread_id: reply.threadId, message_id: message.id }).execute();
    const { actorId, actorLabel, action, ip, details } = reply.audit;
    await appendAudit(tx, { hotlineId, actorId, actorLabel, action, recordType: 'contact', recordId: reply.contactId, ip, details: { ...details, messageId: message.id } });
    await notifyLive(tx, { hotlineId, kind: 'contact.message', contactId: reply.contactId });
    return message.id;
  });
}

/**
 * The line's automatic answer to a new email conversation (its greeting, or its after-hours message), threaded as a
 * reply to the person's message, sent through the outbox as `Auto-Submitted: auto-replied` and audited
 * `contact.auto_reply`. Never to a machine (`email.isAutomatic`), never without a relay. Returns the message id or null.
 */
export async function queueEmailAutoReply(
  ctx: AppContext, accessPoint: ActiveAccessPoint, recorded: { contactId: string; threadId: string }, email: InboundEmail, text: string, kind: 'greeting' | 'after_hours', ip: string | null,
): Promise<string | null> {
  if (email.isAutomatic || !email.from) return null;
  if (!accessPoint.settings.smtpHost && !ctx.config.smtpRelayUrl) return null;
  const row = await ctx.db.selectFrom('access_point').select('address').where('id', '=', accessPoint.id).executeTakeFirst();
  if (!row) return null;
  const messageId = await storeEmailReply(ctx, {
    hotlineId: accessPoint.hotlineId, threadId: recorded.threadId, contactId: recorded.contactId, accessPointId: accessPoint.id, accessPointAddress: row.address,
    text, to: email.from, subject: replySubject(email.subject), references: replyReferences(email.references, email.messageId),
    audit: { actorId: null, actorLabel: 'system:auto-reply', action: 'contact.auto_reply', ip, details: { channel: 'email', kind } },
  });
  wakeEmailOutboxes(messageId);
  return messageId;
}

/** The outboxes running in this process: an automatic answer queued by the SMTP listener is sent at once. */
const runningOutboxes = new Set<EmailOutbox>();
function wakeEmailOutboxes(messageId: string) {
  for (const outbox of runningOutboxes) outbox.kick(messageId);
}

/** Delivery state of email replies: no content, no address. */
export async function readEmailReplies(ctx: AppContext, hotlineId: string, where: { messageId?: string; contactId?: string }) {
  let q = ctx.db
    .selectFrom('contact_message as m')
    .innerJoin('email_message as e', 'e.message_id', 'm.id')
    .select(['m.id', 'm.contact_id', 'm.status', 'm.created_at', 'e.attempts', 'e.failure_reason'])
    .where('m.hotline_id', '=', hotlineId)
    .where('m.direction', '=', 'outbound');
  if (where.messageId) q = q.where('m.id', '=', where.messageId);
  if (where.contactId) q = q.where('m.contact_id', '=', where.contactId);
  const rows = await q.orderBy('m.created_at').limit(500).execute();
  return rows.map((row) => ({
    id: row.id, contactId: row.contact_id, direction: 'outbound' as const, status: row.status as 'queued' | 'sent' | 'failed',
    attempts: row.attempts, failureReason: row.failure_reason, createdAt: row.created_at.toISOString(),
  }));
}

/**
 * Sends queued email replies through the relay: one attempt at a time per message (a lease in the row, so several
 * servers can run it), retrying temporary failures with exponential backoff, recording a reason code on failure.
 * A sweep picks up replies left behind by a crash or a restart.
 */
export class EmailOutbox extends RetryingWorker {
  constructor(ctx: AppContext) {
    super(ctx, 'email outbox', SWEEP_MS);
  }

  override start() {
    super.start();
    runningOutboxes.add(this);
  }

  override async stop() {
    runningOutboxes.delete(this);
    await super.stop();
  }

  protected async dueIds() {
    const due = await this.ctx.db
      .selectFrom('email_message')
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
      .updateTable('email_message')
      .set({ locked_until: new Date(Date.now() + LEASE_MS), attempts: sql`attempts + 1`, updated_at: new Date() })
      .where('message_id', '=', messageId)
      .where('direction', '=', 'outbound')
      .where('is_done', '=', false)
      .where('next_attempt_at', '<=', new Date())
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', new Date())]))
      .returning(['hotline_id', 'access_point_id', 'attempts', 'address', 'subject', 'rfc_message_id', 'rfc_references'])
      .executeTakeFirst();
    if (!claimed) return;
    const { hotline_id: hotlineId } = claimed;
    const message = await ctx.db.selectFrom('contact_message').select(['body', 'contact_id', 'author_id']).where('id', '=', messageId).where('hotline_id', '=', hotlineId).executeTakeFirstOrThrow();
    const accessPoint = claimed.access_point_id
      ? await ctx.db.selectFrom('access_point').select(['address', 'name', 'secret', 'settings', 'is_active']).where('id', '=', claimed.access_point_id).where('hotline_id', '=', hotlineId).executeTakeFirst()
      : undefined;
    const dec = (field: string, value: Buffer | null) => ctx.keys.decryptOptional(hotlineId, field, value);
    const password = accessPoint ? await dec('access_point.secret', accessPoint.secret) : null;
    const relay = accessPoint?.is_active ? relayOf((accessPoint.settings ?? {}) as { smtpHost?: string; smtpPort?: number; smtpUser?: string }, password, ctx.config.smtpRelayUrl) : null;

    let outcome: SendOutcome;
    const [to, subject, ownId, references, text] = await Promise.all([
      dec('email_message.address', claimed.address),
      dec('email_message.subject', claimed.subject),
      dec('email_message.rfc_message_id', claimed.rfc_message_id),
      dec('email_message.rfc_references', claimed.rfc_references),
      dec('contact_message.body', message.body),
    ]);
    if (!relay || !accessPoint || !to || !ownId || text === null) {
      outcome = { kind: 'failed', reason: 'not_configured' };
    } else {
      const refs = parseIdList(references);
      const transport = nodemailer.createTransport({
        host: relay.host,
        port: relay.port,
        secure: relay.secure,
        // Replies carry personal data: TLS is required to any relay that is not on this machine.
        requireTLS: !relay.secure && !isLoopback(relay.host),
        auth: relay.user ? { user: relay.user, pass: relay.password ?? '' } : undefined,
        connectionTimeout: 15_000,
        greetingTimeout: 15_000,
        socketTimeout: 30_000,
        logger: false,
        debug: false,
      });
      try {
        await transport.sendMail({
          from: { name: accessPoint.name, address: accessPoint.address },
          to,
          subject: subject ?? 'Re: your message',
          text,
          messageId: ownId,
          ...(refs.length && { inReplyTo: refs[refs.length - 1], references: refs }),
          // RFC 3834: a line's automatic answer says so, so the other side's auto-responders do not answer it.
          headers: { 'Auto-Submitted': message.author_id ? 'no' : 'auto-replied' },
        });
        outcome = { kind: 'sent' };
      } catch (error) {
        outcome = classifySendError(error);
      } finally {
        transport.close();
      }
    }

    if (outcome.kind === 'retry' && claimed.attempts < MAX_EMAIL_ATTEMPTS) {
      const delay = retryDelayMs(claimed.attempts, ctx.config.emailRetryBaseMs);
      await ctx.db.updateTable('email_message').set({ locked_until: null, next_attempt_at: new Date(Date.now() + delay), failure_reason: outcome.reason, updated_at: new Date() }).where('message_id', '=', messageId).execute();
      ctx.log.info({ messageId, attempt: claimed.attempts, reason: outcome.reason, retryInMs: delay }, 'email reply will be retried');
      this.kick(messageId, delay);
      return;
    }
    const final = outcome.kind === 'retry' ? { kind: 'failed' as const, reason: `retries_exhausted:${outcome.reason}` } : outcome;
    await ctx.db.transaction().execute(async (tx) => {
      await tx.updateTable('contact_message').set({ status: final.kind === 'sent' ? 'sent' : 'failed' }).where('id', '=', messageId).where('status', '=', 'queued').execute();
      await tx
        .updateTable('email_message')
        .set({ is_done: true, locked_until: null, failure_reason: final.kind === 'failed' ? final.reason : null, updated_at: new Date() })
        .where('message_id', '=', messageId)
        .execute();
      await appendAudit(tx, {
        hotlineId, actorId: null, actorLabel: SENDER, action: 'contact.reply_status', recordType: 'contact', recordId: message.contact_id,
        details: { channel: 'email', messageId, status: final.kind === 'sent' ? 'sent' : 'failed', ...(final.kind === 'failed' && { reason: final.reason }), attempts: claimed.attempts },
      });
      await notifyLive(tx, { hotlineId, kind: 'contact.updated', contactId: message.contact_id });
    });
    if (final.kind === 'failed') ctx.log.warn({ messageId, reason: final.reason, attempts: claimed.attempts }, 'email reply failed');
  }
}
