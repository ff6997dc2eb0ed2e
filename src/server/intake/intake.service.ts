import type { Channel, ContactFlags } from '../../shared/intake.js';
import type { AppContext } from '../context.js';
import type { BlindIndexKind } from '../crypto/keystore.js';
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
 * server. It returns only after commit, so a channel acknowledges its sender only once the signal is safe. A delivery
 * stored before (a provider's retry) is answered with the stored message, `isDuplicate`. Signals arriving together
 * are committed together in one database call (group commit, `intake.batch.ts`).
 */
export async function recordInboundSignal(ctx: AppContext, signal: InboundSignal): Promise<RecordedSignal> {
  const prepared = await prepareSignal(ctx, signal);
  return batcherFor(ctx).submit(prepared);
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
