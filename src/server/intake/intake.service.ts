import { sql } from 'kysely';
import { DEFAULT_SLA, slaConfigSchema, slaTargetSeconds } from '../../shared/sla.js';
import type { Channel, ContactFlags } from '../../shared/intake.js';
import { appendAudit, auditInsert } from '../audit/audit.js';
import { publishedConfig } from '../config-store.js';
import type { AppContext } from '../context.js';
import type { BlindIndexKind } from '../crypto/keystore.js';
import { notifyLive } from '../queue/live.js';
import { priorityOf } from '../queue/priority.js';
import { batcherFor, type PreparedSignal } from './intake.batch.js';

export interface InboundSignal {
  hotlineId: string;
  channel: Channel;
  accessPointId?: string | null;
  /** Who wrote: a phone number or email address (encrypted, and blind-indexed to find the thread). */
  correspondent?: { kind: Extract<BlindIndexKind, 'phone' | 'email'>; value: string } | null;
  /** Another thread key when there is no correspondent address: a chat session, an email thread root. */
  threadKey?: string | null;
  /** The provider's id for this delivery (MessageSid, CallSid, Message-ID): a retry creates nothing twice. */
  externalId?: string | null;
  body?: string | null;
  subject?: string | null;
  receivedAt?: Date;
  language?: string | null;
  requestType?: string | null;
  flags?: ContactFlags;
  team?: string | null;
  /** Who the audit names as the actor: the channel (e.g. 'twilio:sms'), or an API key. */
  source: string;
  ip?: string | null;
}

export interface RecordedSignal {
  contactId: string;
  contactNumber: number;
  threadId: string;
  messageId: string | null;
  isNewContact: boolean;
  isDuplicate: boolean;
}

/**
 * Stores one inbound signal — the one door every channel goes through. In one transaction: find or open the thread,
 * attach to its open contact or open a new one in the queue, store the message (encrypted), audit, and notify every
 * server. It returns only after commit, so a channel acknowledges its sender only once the signal is safe.
 * Signals arriving together are committed together (group commit, `intake.batch.ts`): same rows, fewer commits.
 */
export async function recordInboundSignal(ctx: AppContext, signal: InboundSignal): Promise<RecordedSignal> {
  const prepared = await prepareSignal(ctx, signal);
  return batcherFor(ctx, (p) => recordPreparedSignal(ctx, p)).submit(prepared);
}

/** The CPU work of a signal (blind index, encryption), done before it waits for a transaction. */
export async function prepareSignal(ctx: AppContext, signal: InboundSignal): Promise<PreparedSignal> {
  const { hotlineId } = signal;
  const receivedAt = signal.receivedAt ?? new Date();
  const threadIndex = signal.correspondent
    ? await ctx.keys.blindIndex(hotlineId, signal.correspondent.kind, signal.correspondent.value)
    : signal.threadKey
      ? await ctx.keys.blindIndex(hotlineId, 'text', `${signal.channel}:${signal.threadKey}`)
      : null;
  const [correspondent, body, subject] = await Promise.all([
    ctx.keys.encryptOptional(hotlineId, 'contact_thread.correspondent', signal.correspondent?.value),
    ctx.keys.encryptOptional(hotlineId, 'contact_message.body', signal.body),
    ctx.keys.encryptOptional(hotlineId, 'contact_thread.subject', signal.subject),
  ]);
  return { signal, receivedAt, threadIndex, correspondent, body, subject };
}

/** One signal in its own transaction: the path of a signal that arrives alone, and the fallback of a failed batch. */
async function recordPreparedSignal(ctx: AppContext, prepared: PreparedSignal): Promise<RecordedSignal> {
  // No look-up of the external id first: a retried delivery is rare, and the unique index refuses it inside the
  // transaction (caught below), so the common case saves a round trip (measured in docs/intake-voice-api.md, benchmark).
  const { signal, receivedAt, threadIndex, correspondent, body, subject } = prepared;
  const { hotlineId } = signal;
  const sla = (await publishedConfig(ctx.db, hotlineId, 'sla', slaConfigSchema, DEFAULT_SLA)).data;

  try {
    return await ctx.db.transaction().execute(async (tx) => {
      // Two messages from one new correspondent at once must land in one thread: serialise per thread key only.
      if (threadIndex) await sql`select pg_advisory_xact_lock(hashtextextended(${threadIndex.toString('hex')}, 0))`.execute(tx);
      let thread = threadIndex
        ? await tx
            .selectFrom('contact_thread')
            .select(['id'])
            .where('hotline_id', '=', hotlineId)
            .where('channel', '=', signal.channel)
            .where('correspondent_index', '=', threadIndex)
            .orderBy('last_activity_at', 'desc')
            .limit(1)
            .executeTakeFirst()
        : undefined;
      const isNewThread = !thread;
      if (!thread) {
        thread = await tx
          .insertInto('contact_thread')
          .values({ hotline_id: hotlineId, channel: signal.channel, access_point_id: signal.accessPointId ?? null, correspondent_index: threadIndex, correspondent, subject, follow_up_code: null, follow_up_secret_hash: null, last_activity_at: receivedAt })
          .returning('id')
          .executeTakeFirstOrThrow();
      } else {
        await tx.updateTable('contact_thread').set({ last_activity_at: receivedAt }).where('id', '=', thread.id).execute();
      }

      // A thread made just now has no contact yet.
      let contact = isNewThread
        ? undefined
        : await tx
        .selectFrom('contact')
        .select(['id', 'number'])
        .where('thread_id', '=', thread.id)
        .where('status', '<>', 'closed')
        .orderBy('received_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      const isNewContact = !contact;
      if (!contact) {
        const target = slaTargetSeconds(sla, signal.channel, signal.requestType ?? null);
        contact = await tx
          .insertInto('contact')
          .values({
            hotline_id: hotlineId,
            thread_id: thread.id,
            access_point_id: signal.accessPointId ?? null,
            channel: signal.channel,
            direction: 'inbound',
            status: 'waiting',
            priority: priorityOf({ channel: signal.channel, requestType: signal.requestType, flags: signal.flags }),
            received_at: receivedAt,
            sla_due_at: new Date(receivedAt.getTime() + target * 1000),
            team: signal.team ?? null,
            language: signal.language ?? null,
            request_type: signal.requestType ?? null,
            flags: JSON.stringify(signal.flags ?? {}),
            assigned_to: null, handled_by: null, answered_at: null, ended_at: null, signaler_type: null, heard_about: null, area_code: null,
            summary: null, notes: null, form_version: null, form_data: null, created_by: null, updated_at: new Date(),
          })
          .returning(['id', 'number'])
          .executeTakeFirstOrThrow();
      }

      const audit = {
        hotlineId, actorId: null, actorLabel: signal.source, action: isNewContact ? 'contact.create' : 'contact.message_received',
        recordType: 'contact', recordId: contact.id, ip: signal.ip, details: { channel: signal.channel },
      };
      let messageId: string | null = null;
      if (body !== null || signal.externalId) {
        // The audit entry rides in the message's statement (a data-modifying CTE): one round trip, still atomic.
        const message = await tx
          .with('audit', (qb) => auditInsert(qb, audit))
          .insertInto('contact_message')
          .values({ hotline_id: hotlineId, thread_id: thread.id, contact_id: contact.id, direction: 'inbound', body, author_id: null, external_id: signal.externalId ?? null, created_at: receivedAt, delivered_at: null })
          .returning('id')
          .executeTakeFirstOrThrow();
        messageId = message.id;
      } else {
        await appendAudit(tx, audit);
      }
      await notifyLive(tx, { hotlineId, kind: isNewContact ? 'contact.created' : 'contact.message', contactId: contact.id, status: 'waiting' });
      return { contactId: contact.id, contactNumber: Number(contact.number), threadId: thread.id, messageId, isNewContact, isDuplicate: false };
    });
  } catch (error) {
    // A concurrent retry of the same delivery won the race on the unique external id: it is stored, once.
    if (signal.externalId && (error as { code?: string }).code === '23505') {
      const existing = await findByExternalId(ctx, hotlineId, signal.externalId);
      if (existing) return existing;
    }
    throw error;
  }
}

async function findByExternalId(ctx: AppContext, hotlineId: string, externalId: string): Promise<RecordedSignal | null> {
  const row = await ctx.db
    .selectFrom('contact_message as m')
    .innerJoin('contact as c', 'c.id', 'm.contact_id')
    .select(['m.id', 'm.thread_id', 'c.id as contact_id', 'c.number'])
    .where('m.hotline_id', '=', hotlineId)
    .where('m.external_id', '=', externalId)
    .executeTakeFirst();
  return row ? { contactId: row.contact_id, contactNumber: Number(row.number), threadId: row.thread_id, messageId: row.id, isNewContact: false, isDuplicate: true } : null;
}
