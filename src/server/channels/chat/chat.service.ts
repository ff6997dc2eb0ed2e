import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { fail, ok, type Result } from '../../../shared/errors.js';
import { appendAudit } from '../../audit/audit.js';
import type { AppContext } from '../../context.js';
import { recordInboundSignal } from '../../intake/intake.service.js';
import { CONTACT_COLUMNS, type ActorContext } from '../../queue/queue.service.js';
import type { ActiveAccessPoint } from '../access-points.js';
import { isAccessPointOpen } from '../hours.js';
import { ATTACHMENT_LIMITS, cleanFilename, detectAttachmentType } from '../webform/webform.files.js';
import { notifyChat } from './chat.hub.js';
import type { ChatSessionTable } from './chat.tables.js';
import './chat.tables.js';

/** A visitor's session lives while the tab keeps it: two idle hours end it (the visitor then starts afresh). */
export const SESSION_IDLE_MS = 2 * 60 * 60 * 1000;
/** A visitor counts as online while a socket is open and was seen recently (a crashed server leaves no ghost). */
const ONLINE_WITHIN_MS = 60 * 1000;
const NICKNAME_FIELD = 'chat_session.nickname';
const BODY_FIELD = 'contact_message.body';
const VISITOR = 'chat:visitor';

export interface ChatSession {
  id: string;
  hotlineId: string;
  accessPointId: string;
  language: string;
  safeToTalk: 'yes' | 'no' | null;
  ageRange: string | null;
  threadId: string | null;
  contactId: string | null;
  endedAt: Date | null;
}

export interface ChatMessage {
  id: string;
  from: 'visitor' | 'advocate';
  body: string;
  at: string;
  /** Visitor messages: delivered (stored) or read (by an advocate). Advocate messages: sent, delivered or read. */
  status: 'sent' | 'delivered' | 'read';
  clientId: string | null;
  authorId?: string | null;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest();
const visitorExternalId = (sessionId: string, clientId: string) => `chat:${sessionId}:${clientId}`;
const replyExternalId = (sessionId: string, clientId: string) => `chat-reply:${sessionId}:${clientId}`;

function toSession(row: Pick<ChatSessionTable, 'language' | 'safe_to_talk' | 'age_range' | 'thread_id' | 'contact_id' | 'access_point_id' | 'hotline_id'> & { id: string; ended_at: Date | null }): ChatSession {
  return { id: row.id, hotlineId: row.hotline_id, accessPointId: row.access_point_id, language: row.language, safeToTalk: row.safe_to_talk, ageRange: row.age_range, threadId: row.thread_id, contactId: row.contact_id, endedAt: row.ended_at };
}

/** A new chat session after the pre-chat questions. The token goes to the visitor once; we keep its hash only. */
export async function startSession(ctx: AppContext, accessPoint: ActiveAccessPoint, input: { language: string; nickname?: string; safeToTalk?: 'yes' | 'no'; ageRange?: string }, ip: string | null) {
  const token = randomBytes(32).toString('base64url');
  const nickname = await ctx.keys.encryptOptional(accessPoint.hotlineId, NICKNAME_FIELD, input.nickname?.trim() || null);
  const row = await ctx.db.transaction().execute(async (tx) => {
    const created = await tx
      .insertInto('chat_session')
      .values({ hotline_id: accessPoint.hotlineId, access_point_id: accessPoint.id, token_hash: hashToken(token), language: input.language, nickname, safe_to_talk: input.safeToTalk ?? null, age_range: input.ageRange ?? null, thread_id: null, contact_id: null, visitor_connected: true, ended_by: null })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(tx, { hotlineId: accessPoint.hotlineId, actorId: null, actorLabel: VISITOR, action: 'chat.start', recordType: 'chat_session', recordId: created.id, ip, details: { language: input.language } });
    return created;
  });
  return { session: toSession(row), token };
}

/** The session a token opens, on this access point, if it has not idled out. Unknown, foreign or stale: null. */
export async function findSessionByToken(ctx: AppContext, accessPoint: ActiveAccessPoint, token: string): Promise<ChatSession | null> {
  const row = await ctx.db
    .updateTable('chat_session')
    .set({ last_seen_at: new Date(), visitor_connected: true })
    .where('token_hash', '=', hashToken(token))
    .where('hotline_id', '=', accessPoint.hotlineId)
    .where('access_point_id', '=', accessPoint.id)
    .where('last_seen_at', '>', new Date(Date.now() - SESSION_IDLE_MS))
    .returningAll()
    .executeTakeFirst();
  return row ? toSession(row) : null;
}

/** The visitor's view of its own conversation (read with its token only); audited as a read of the contact. */
export async function visitorHistory(ctx: AppContext, session: ChatSession, ip: string | null): Promise<ChatMessage[]> {
  if (!session.threadId) return [];
  const rows = await ctx.db.transaction().execute(async (tx) => {
    const messages = await tx
      .selectFrom('contact_message')
      .select(['id', 'direction', 'body', 'status', 'external_id', 'created_at', 'author_id'])
      .where('hotline_id', '=', session.hotlineId)
      .where('thread_id', '=', session.threadId!)
      .orderBy('created_at')
      .orderBy('id')
      .limit(1000)
      .execute();
    await appendAudit(tx, { hotlineId: session.hotlineId, actorId: null, actorLabel: VISITOR, action: 'chat.visitor_history', recordType: 'contact', recordId: session.contactId, ip, details: { session: session.id, messages: messages.length } });
    return messages;
  });
  return Promise.all(rows.map((row) => present(ctx, session.hotlineId, row, 'visitor')));
}

type MessageRow = { id: string; direction: string; body: Buffer | null; status: string; external_id: string | null; created_at: Date; author_id: string | null };

async function present(ctx: AppContext, hotlineId: string, row: MessageRow, view: 'visitor' | 'advocate'): Promise<ChatMessage> {
  const from = row.direction === 'inbound' ? 'visitor' : 'advocate';
  const status = row.status === 'read' ? 'read' : row.status === 'sent' ? 'sent' : 'delivered';
  const ownPrefix = view === 'visitor' ? 'chat:' : 'chat-reply:';
  const clientId = row.external_id?.startsWith(ownPrefix) ? row.external_id.slice(row.external_id.lastIndexOf(':') + 1) : null;
  return {
    id: row.id,
    from,
    body: (await ctx.keys.decryptOptional(hotlineId, BODY_FIELD, row.body)) ?? '',
    at: row.created_at.toISOString(),
    status,
    clientId: (view === 'visitor') === (from === 'visitor') ? clientId : null,
    ...(view === 'advocate' && { authorId: row.author_id }),
  };
}

/** One message row for a pushed event, only if it belongs to the thread the reader follows. */
export async function loadMessage(ctx: AppContext, hotlineId: string, threadId: string, messageId: string, view: 'visitor' | 'advocate') {
  const row = await ctx.db
    .selectFrom('contact_message')
    .select(['id', 'direction', 'body', 'status', 'external_id', 'created_at', 'author_id'])
    .where('hotline_id', '=', hotlineId)
    .where('thread_id', '=', threadId)
    .where('id', '=', messageId)
    .executeTakeFirst();
  return row ? present(ctx, hotlineId, row, view) : null;
}

/**
 * Stores a visitor message through the one intake door (recordInboundSignal returns after commit), exactly once per
 * client message id, then tells every server. The caller acknowledges "delivered" only after this returns.
 */
export async function recordVisitorMessage(ctx: AppContext, accessPoint: ActiveAccessPoint, session: ChatSession, clientId: string, body: string, ip: string | null): Promise<Result<{ id: string; at: string; isDuplicate: boolean }>> {
  if (session.endedAt) return fail('conflict', 'This chat has ended');
  const receivedAt = new Date();
  const recorded = await recordInboundSignal(ctx, {
    receivedAt,
    hotlineId: session.hotlineId,
    channel: 'chat',
    accessPointId: accessPoint.id,
    threadKey: session.id,
    externalId: visitorExternalId(session.id, clientId),
    body,
    language: session.language,
    flags: session.ageRange === 'under_18' ? { minor: true } : {},
    team: accessPoint.team,
    source: VISITOR,
    ip,
  });
  if (session.threadId !== recorded.threadId || session.contactId !== recorded.contactId) {
    await ctx.db.updateTable('chat_session').set({ thread_id: recorded.threadId, contact_id: recorded.contactId, last_seen_at: new Date() }).where('id', '=', session.id).execute();
    session.threadId = recorded.threadId;
    session.contactId = recorded.contactId;
  }
  const at = recorded.isDuplicate
    ? (await ctx.db.selectFrom('contact_message').select('created_at').where('id', '=', recorded.messageId!).executeTakeFirstOrThrow()).created_at
    : receivedAt;
  // After commit, outside recordInboundSignal's transaction: a crash in between loses only the live push; the advocate
  // still gets the queue event, and every (re)join re-reads the thread from the database.
  if (!recorded.isDuplicate) await notifyChat(ctx.db, { k: 'message', s: session.id, h: session.hotlineId, c: recorded.contactId, id: recorded.messageId!, d: 'inbound' });
  return ok({ id: recorded.messageId!, at: at.toISOString(), isDuplicate: recorded.isDuplicate });
}

/** The visitor has seen the advocate's messages up to `upto`. */
export async function visitorRead(ctx: AppContext, session: ChatSession, upto: string) {
  if (!session.threadId) return;
  await markRead(ctx, session.hotlineId, session.id, session.threadId, 'outbound', upto);
}

async function markRead(ctx: AppContext, hotlineId: string, sessionId: string, threadId: string, direction: 'inbound' | 'outbound', upto: string) {
  const updated = await ctx.db
    .updateTable('contact_message')
    .set({ status: 'read', ...(direction === 'outbound' && { delivered_at: sql`coalesce(delivered_at, now())` }) })
    .where('hotline_id', '=', hotlineId)
    .where('thread_id', '=', threadId)
    .where('direction', '=', direction)
    .where('status', '<>', 'read')
    .where('created_at', '<=', (eb) => eb.selectFrom('contact_message').select('created_at').where('id', '=', upto).where('thread_id', '=', threadId))
    .returning('id')
    .execute();
  if (updated.length > 0) await notifyChat(ctx.db, { k: 'status', s: sessionId, h: hotlineId, d: direction, status: 'read', upto });
}

/** The advocate messages not yet on the visitor's screen reached it now (pushed or re-read on resume). */
export async function markDelivered(ctx: AppContext, session: ChatSession, upto: string) {
  if (!session.threadId) return;
  const updated = await ctx.db
    .updateTable('contact_message')
    .set({ status: 'delivered', delivered_at: new Date() })
    .where('hotline_id', '=', session.hotlineId)
    .where('thread_id', '=', session.threadId)
    .where('direction', '=', 'outbound')
    .where('status', '=', 'sent')
    .where('created_at', '<=', (eb) => eb.selectFrom('contact_message').select('created_at').where('id', '=', upto).where('thread_id', '=', session.threadId!))
    .returning('id')
    .execute();
  if (updated.length > 0) await notifyChat(ctx.db, { k: 'status', s: session.id, h: session.hotlineId, d: 'outbound', status: 'delivered', upto });
}

export async function setPresence(ctx: AppContext, session: ChatSession, on: boolean) {
  await ctx.db.updateTable('chat_session').set({ visitor_connected: on, last_seen_at: new Date() }).where('id', '=', session.id).execute();
  await notifyChat(ctx.db, { k: 'presence', s: session.id, h: session.hotlineId, on });
}

/** Keeps the sessions with an open socket on this server fresh (one statement for all of them). */
export async function touchSessions(ctx: AppContext, sessionIds: string[]) {
  if (sessionIds.length === 0) return;
  await ctx.db.updateTable('chat_session').set({ last_seen_at: new Date() }).where('id', 'in', sessionIds).execute();
}

export async function endSession(ctx: AppContext, session: { id: string; hotlineId: string; contactId: string | null }, by: 'visitor' | 'advocate', actor: { id: string | null; label: string; ip: string | null }) {
  await ctx.db.transaction().execute(async (tx) => {
    const row = await tx.updateTable('chat_session').set({ ended_at: new Date(), ended_by: by, ...(by === 'visitor' && { visitor_connected: false }) }).where('id', '=', session.id).where('ended_at', 'is', null).returning('id').executeTakeFirst();
    if (!row) return;
    await appendAudit(tx, { hotlineId: session.hotlineId, actorId: actor.id, actorLabel: actor.label, action: 'chat.end', recordType: 'chat_session', recordId: session.id, ip: actor.ip, details: { by, contactId: session.contactId } });
    await notifyChat(tx, { k: 'ended', s: session.id, h: session.hotlineId, by });
  });
}

export async function visitorTyping(ctx: AppContext, session: ChatSession, on: boolean) {
  await notifyChat(ctx.db, { k: 'typing', s: session.id, h: session.hotlineId, w: 'visitor', on });
}

// ---- the advocate side ----------------------------------------------------------------------------------------

export interface AgentChat {
  contactId: string;
  contactStatus: string;
  sessionId: string;
  hotlineId: string;
  threadId: string;
  endedAt: Date | null;
}

/**
 * The chat behind a contact, if this advocate may reply to it: a chat contact they can read (the same SQL filter as the
 * queue) and are allowed to answer (`contact.reply`: the assignee, or a supervisor). Everything else is 404 or 403.
 * Checked again on every operation, so a transfer or release takes effect at once.
 */
export async function chatForAgent(ctx: AppContext, who: ActorContext, contactId: string): Promise<Result<AgentChat>> {
  const row = await ctx.db
    .selectFrom('contact as c')
    .innerJoin('chat_session as s', 's.thread_id', 'c.thread_id')
    .select(['c.id', 'c.status', 'c.assigned_to', 'c.created_by', 'c.sensitivity', 'c.thread_id', 's.id as session_id', 's.ended_at'])
    .where('c.hotline_id', '=', who.actor.hotlineId)
    .where('s.hotline_id', '=', who.actor.hotlineId)
    .where('c.id', '=', contactId)
    .where('c.channel', '=', 'chat')
    .where(who.can.sqlFilter('contact.read', CONTACT_COLUMNS))
    .executeTakeFirst();
  if (!row) return fail('not_found', 'No such chat');
  if (!who.can.allows('contact.reply', { id: row.id, assigneeId: row.assigned_to, creatorId: row.created_by, sensitivity: row.sensitivity as 'normal' })) {
    return fail('forbidden', 'Claim this contact first: only the advocate handling it or a supervisor can chat');
  }
  return ok({ contactId: row.id, contactStatus: row.status, sessionId: row.session_id, hotlineId: who.actor.hotlineId, threadId: row.thread_id, endedAt: row.ended_at });
}

/** What an advocate sees on joining: the visitor's pre-chat answers and the whole transcript (an audited read). */
export async function agentJoin(ctx: AppContext, who: ActorContext, contactId: string, via: 'socket' | 'rest') {
  const found = await chatForAgent(ctx, who, contactId);
  if (!found.ok) return found;
  const chat = found.value;
  const { session, messages } = await ctx.db.transaction().execute(async (tx) => {
    const session = await tx.selectFrom('chat_session').selectAll().where('id', '=', chat.sessionId).executeTakeFirstOrThrow();
    const messages = await tx
      .selectFrom('contact_message')
      .select(['id', 'direction', 'body', 'status', 'external_id', 'created_at', 'author_id'])
      .where('hotline_id', '=', chat.hotlineId)
      .where('thread_id', '=', chat.threadId)
      .orderBy('created_at')
      .orderBy('id')
      .limit(1000)
      .execute();
    await appendAudit(tx, { hotlineId: chat.hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'contact.read', recordType: 'contact', recordId: contactId, ip: who.ip, details: { via: `chat:${via}` } });
    return { session, messages };
  });
  if (via === 'socket') await notifyChat(ctx.db, { k: 'joined', s: chat.sessionId, h: chat.hotlineId });
  return ok({
    chat,
    payload: {
      contactId,
      sessionId: chat.sessionId,
      contactStatus: chat.contactStatus,
      visitor: {
        language: session.language,
        nickname: await ctx.keys.decryptOptional(chat.hotlineId, NICKNAME_FIELD, session.nickname),
        safeToTalk: session.safe_to_talk,
        ageRange: session.age_range,
        online: session.visitor_connected && !session.ended_at && Date.now() - session.last_seen_at.getTime() < ONLINE_WITHIN_MS,
      },
      ended: session.ended_at ? { at: session.ended_at.toISOString(), by: session.ended_by } : null,
      messages: await Promise.all(messages.map((m) => present(ctx, chat.hotlineId, m, 'advocate'))),
    },
  });
}

/** Stores an advocate's reply (encrypted, audited, once per client id) and pushes it to the visitor's server. */
export async function agentSend(ctx: AppContext, who: ActorContext, contactId: string, clientId: string, body: string): Promise<Result<ChatMessage & { contactId: string }>> {
  const found = await chatForAgent(ctx, who, contactId);
  if (!found.ok) return found;
  const chat = found.value;
  const externalId = replyExternalId(chat.sessionId, clientId);
  if (chat.endedAt) {
    const existing = await ctx.db.selectFrom('contact_message').select(['id', 'direction', 'body', 'status', 'external_id', 'created_at', 'author_id']).where('hotline_id', '=', chat.hotlineId).where('external_id', '=', externalId).executeTakeFirst();
    return existing ? ok({ ...(await present(ctx, chat.hotlineId, existing, 'advocate')), contactId }) : fail('conflict', 'This chat has ended');
  }
  const sealed = await ctx.keys.encrypt(chat.hotlineId, BODY_FIELD, body);
  try {
    const row = await ctx.db.transaction().execute(async (tx) => {
      const inserted = await tx
        .insertInto('contact_message')
        .values({ hotline_id: chat.hotlineId, thread_id: chat.threadId, contact_id: contactId, direction: 'outbound', body: sealed, author_id: who.actor.id, external_id: externalId, status: 'sent', created_at: new Date(), delivered_at: null })
        .returning(['id', 'direction', 'body', 'status', 'external_id', 'created_at', 'author_id'])
        .executeTakeFirstOrThrow();
      await tx.updateTable('contact_thread').set({ last_activity_at: new Date() }).where('id', '=', chat.threadId).execute();
      await appendAudit(tx, { hotlineId: chat.hotlineId, actorId: who.actor.id, actorLabel: who.label, action: 'contact.reply', recordType: 'contact', recordId: contactId, ip: who.ip, details: { channel: 'chat', messageId: inserted.id } });
      await notifyChat(tx, { k: 'message', s: chat.sessionId, h: chat.hotlineId, c: contactId, id: inserted.id, d: 'outbound' });
      return inserted;
    });
    return ok({ ...(await present(ctx, chat.hotlineId, row, 'advocate')), contactId });
  } catch (error) {
    // The same reply sent again (a retry after a reconnect, or racing the original): stored once; answer with that one.
    if ((error as { code?: string }).code === '23505') {
      const stored = await ctx.db.selectFrom('contact_message').select(['id', 'direction', 'body', 'status', 'external_id', 'created_at', 'author_id']).where('hotline_id', '=', chat.hotlineId).where('external_id', '=', externalId).executeTakeFirst();
      if (stored) return ok({ ...(await present(ctx, chat.hotlineId, stored, 'advocate')), contactId });
    }
    throw error;
  }
}

export async function agentRead(ctx: AppContext, who: ActorContext, contactId: string, upto: string): Promise<Result<AgentChat>> {
  const found = await chatForAgent(ctx, who, contactId);
  if (!found.ok) return found;
  await markRead(ctx, found.value.hotlineId, found.value.sessionId, found.value.threadId, 'inbound', upto);
  return found;
}

export async function agentTyping(ctx: AppContext, who: ActorContext, contactId: string, on: boolean): Promise<Result<AgentChat>> {
  const found = await chatForAgent(ctx, who, contactId);
  if (!found.ok) return found;
  await notifyChat(ctx.db, { k: 'typing', s: found.value.sessionId, h: found.value.hotlineId, w: 'advocate', on });
  return found;
}

export async function agentEnd(ctx: AppContext, who: ActorContext, contactId: string): Promise<Result<AgentChat>> {
  const found = await chatForAgent(ctx, who, contactId);
  if (!found.ok) return found;
  await endSession(ctx, { id: found.value.sessionId, hotlineId: found.value.hotlineId, contactId }, 'advocate', { id: who.actor.id, label: who.label, ip: who.ip });
  return found;
}

const STAFFED_CACHE_MS = 3_000;
const staffedCache = new Map<string, { value: boolean; at: number }>();

/** A change of someone's availability on this server is seen at once (other servers: within the cache time). */
export function forgetChatStaffing() {
  staffedCache.clear();
}

/**
 * Whether a chat line may offer a new chat now: within its opening hours and, when it is set to open only while
 * staffed (`onlyWhenStaffed`), while someone who could answer is signed in and available or busy — an active person
 * of the hotline, in the line's team (or in every team), with a live session. Cached a few seconds per line.
 */
export async function chatAvailability(ctx: AppContext, accessPoint: ActiveAccessPoint): Promise<'open' | 'hours' | 'unstaffed'> {
  if (!(await isAccessPointOpen(ctx, accessPoint))) return 'hours';
  if (!accessPoint.settings.onlyWhenStaffed) return 'open';
  const hit = staffedCache.get(accessPoint.id);
  if (hit && Date.now() - hit.at < STAFFED_CACHE_MS) return hit.value ? 'open' : 'unstaffed';
  const row = await ctx.db
    .selectFrom('app_user as u')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('u.hotline_id', '=', accessPoint.hotlineId)
    .where('u.is_active', '=', true)
    .where('u.availability', 'in', ['available', 'busy'])
    .where(sql<boolean>`(${accessPoint.team}::text is null or cardinality(u.teams) = 0 or ${accessPoint.team}::text = any(u.teams))`)
    .where((eb) =>
      eb.exists(eb.selectFrom('user_session as s').select('s.id').whereRef('s.user_id', '=', 'u.id').where('s.state', '=', 'signed_in').where('s.expires_at', '>', new Date())),
    )
    .executeTakeFirstOrThrow();
  const staffed = Number(row.n) > 0;
  staffedCache.set(accessPoint.id, { value: staffed, at: Date.now() });
  return staffed ? 'open' : 'unstaffed';
}

/**
 * A file the visitor sends in the chat: a visitor message (`📎 <name>`, through the one intake door, idempotent on
 * the client id like any message) with the file attached, encrypted, audited `attachment.create`. The type is decided
 * by the bytes (`detectAttachmentType`, as for the web tip form); a retry of the same client id stores nothing twice.
 */
export async function recordVisitorFile(
  ctx: AppContext, accessPoint: ActiveAccessPoint, session: ChatSession, clientId: string, file: { name: string; data: Buffer }, ip: string | null,
): Promise<Result<{ id: string; at: string; body: string; file: { name: string; contentType: string; size: number } }>> {
  if (file.data.length === 0) return fail('validation_failed', 'The file is empty');
  if (file.data.length > ATTACHMENT_LIMITS.maxBytes) return fail('payload_too_large', `Files may be up to ${ATTACHMENT_LIMITS.maxBytes / 1024 / 1024} MB`);
  const contentType = detectAttachmentType(file.data);
  if (!contentType) return fail('unsupported_media_type', 'Only photos (JPEG, PNG, WebP), PDF documents and plain text can be sent');
  const name = cleanFilename(file.name);
  const body = `📎 ${name}`;
  const recorded = await recordVisitorMessage(ctx, accessPoint, session, clientId, body, ip);
  if (!recorded.ok) return recorded;
  const { hotlineId } = session;
  const messageId = recorded.value.id;
  const row = {
    hotline_id: hotlineId, contact_id: session.contactId!, message_id: messageId, content_type: contentType, size: file.data.length,
    sha256: createHash('sha256').update(file.data).digest('hex'),
    filename: await ctx.keys.encrypt(hotlineId, 'attachment.filename', name),
    data: await ctx.keys.encrypt(hotlineId, 'attachment.data', file.data),
  };
  await ctx.db.transaction().execute(async (tx) => {
    // A retry of a message stored before: its file is there already (or the first try died before storing it).
    const stored = await tx.selectFrom('attachment').select('id').where('hotline_id', '=', hotlineId).where('message_id', '=', messageId).executeTakeFirst();
    if (stored) return;
    const inserted = await tx.insertInto('attachment').values(row).returning('id').executeTakeFirstOrThrow();
    await appendAudit(tx, { hotlineId, actorId: null, actorLabel: VISITOR, action: 'attachment.create', recordType: 'attachment', recordId: inserted.id, ip, details: { contactId: session.contactId, contentType, size: file.data.length } });
  });
  return ok({ id: messageId, at: recorded.value.at, body, file: { name, contentType, size: file.data.length } });
}
