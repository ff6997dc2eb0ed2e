import { appendAudit } from '../../audit/audit.js';
import type { AppContext } from '../../context.js';
import { recordInboundSignal, type InboundSignal, type RecordedSignal } from '../../intake/intake.service.js';
import type { ActiveAccessPoint } from '../access-points.js';
import { messageIdKey, type InboundEmail } from './email.parse.js';
import './email.tables.js';

export const EMAIL_SOURCE = 'smtp:inbound';

/** The blind index of a Message-ID: equal ids match, and the table never holds an id in clear. */
export function refIndex(ctx: AppContext, hotlineId: string, id: string) {
  return ctx.keys.blindIndex(hotlineId, 'text', `email-message-id:${messageIdKey(id)}`);
}

/** The thread a reply belongs to: the newest thread that one of its In-Reply-To / References ids points at. */
async function threadOfRefs(ctx: AppContext, hotlineId: string, refs: string[]) {
  if (refs.length === 0) return null;
  const indexes = await Promise.all(refs.map((ref) => refIndex(ctx, hotlineId, ref)));
  return ctx.db
    .selectFrom('email_message_ref as r')
    .innerJoin('contact_thread as t', 't.id', 'r.thread_id')
    .select(['t.id', 't.correspondent'])
    .where('r.hotline_id', '=', hotlineId)
    .where('r.ref_index', 'in', indexes)
    .where('t.channel', '=', 'email')
    .orderBy('r.created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * Stores one inbound email for one access point and returns only after everything is committed, so the SMTP
 * listener can answer 250 knowing the message is safe.
 *
 * Two transactions: recordInboundSignal (thread, contact, message, audit) and then the email details (sender,
 * subject, Message-ID index, attachments). If the second fails the caller answers 451; the sender's retry finds the
 * message by its Message-ID (recordInboundSignal is idempotent on it) and completes the details. The details step is
 * itself idempotent (keyed on the contact message), so a message is never stored twice nor left half-done for good.
 */
export async function storeInboundEmail(ctx: AppContext, accessPoint: ActiveAccessPoint, email: InboundEmail, rawSha256: string, ip: string | null): Promise<RecordedSignal> {
  const { hotlineId } = accessPoint;
  // A message without a Message-ID is identified by its bytes: the same message sent again is still stored once.
  const ownKey = email.messageId ?? `<sha256.${rawSha256}@catalyst.invalid>`;
  const ownIndex = await refIndex(ctx, hotlineId, ownKey);

  // Threading: a reply joins the thread its references point at, even from another address; otherwise the thread of
  // the sender's address (as for SMS); a message with no address at all is threaded by its root Message-ID.
  let correspondent: InboundSignal['correspondent'] = email.from ? { kind: 'email', value: email.from } : null;
  const target = await threadOfRefs(ctx, hotlineId, email.refs);
  if (target?.correspondent) correspondent = { kind: 'email', value: await ctx.keys.decrypt(hotlineId, 'contact_thread.correspondent', target.correspondent) };
  const threadKey = correspondent ? null : `root:${messageIdKey(email.references[0] ?? ownKey)}`;

  const recorded = await recordInboundSignal(ctx, {
    hotlineId,
    channel: 'email',
    accessPointId: accessPoint.id,
    correspondent,
    threadKey,
    externalId: `email:${ownIndex.toString('hex')}`,
    body: email.text,
    subject: email.subject,
    team: accessPoint.team,
    source: EMAIL_SOURCE,
    ip,
  });
  if (!recorded.messageId) throw new Error('recordInboundSignal stored no message for an email');
  const messageId = recorded.messageId;

  const enc = (field: string, value: string | null) => ctx.keys.encryptOptional(hotlineId, field, value);
  const [address, subject, rfcMessageId, rfcReferences, attachments] = await Promise.all([
    enc('email_message.address', email.from),
    enc('email_message.subject', email.subject),
    enc('email_message.rfc_message_id', email.messageId),
    enc('email_message.rfc_references', email.references.length ? email.references.join(' ') : null),
    Promise.all(
      email.attachments.map(async (a) => ({
        hotline_id: hotlineId, contact_id: recorded.contactId, message_id: messageId, content_type: a.contentType, size: a.size, sha256: a.sha256,
        filename: await ctx.keys.encrypt(hotlineId, 'attachment.filename', a.filename),
        data: await ctx.keys.encrypt(hotlineId, 'attachment.data', a.data),
      })),
    ),
  ]);

  await ctx.db.transaction().execute(async (tx) => {
    const inserted = await tx
      .insertInto('email_message')
      .values({
        message_id: messageId, hotline_id: hotlineId, thread_id: recorded.threadId, access_point_id: accessPoint.id, direction: 'inbound',
        address, subject, rfc_message_id: rfcMessageId, rfc_references: rfcReferences, dropped_attachments: JSON.stringify(email.dropped),
        next_attempt_at: null, locked_until: null, failure_reason: null, updated_at: new Date(),
      })
      .onConflict((oc) => oc.column('message_id').doNothing())
      .returning('id')
      .executeTakeFirst();
    // Already complete (a retry of a message stored in full, or a copy of one of our own replies): nothing to add.
    if (!inserted) return;
    await tx
      .insertInto('email_message_ref')
      .values({ hotline_id: hotlineId, ref_index: ownIndex, thread_id: recorded.threadId, message_id: messageId })
      .onConflict((oc) => oc.columns(['hotline_id', 'ref_index']).doNothing())
      .execute();
    if (attachments.length) await tx.insertInto('attachment').values(attachments).execute();
    if (attachments.length || email.dropped.length) {
      await appendAudit(tx, {
        hotlineId, actorId: null, actorLabel: EMAIL_SOURCE, action: 'contact.attachments_received', recordType: 'contact', recordId: recorded.contactId, ip,
        details: { messageId, kept: attachments.length, dropped: email.dropped.map((d) => d.reason) },
      });
    }
  });
  return recorded;
}
