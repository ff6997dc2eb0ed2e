import type { FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { AppContext } from '../../context.js';
import type { ActiveAccessPoint } from '../access-points.js';
import type { ChatEvent, ChatHub } from './chat.hub.js';
import { CHAT_LIMITS, WindowLimiter } from './chat.limits.js';
import { parseFrame, visitorFrame, type VisitorFrame } from './chat.protocol.js';
import {
  chatAvailability, endSession, findSessionByToken, loadMessage, markDelivered, recordVisitorMessage, setPresence, startSession, visitorHistory, visitorRead, visitorTyping,
  type ChatSession,
} from './chat.service.js';

export interface VisitorDeps {
  ctx: AppContext;
  hub: ChatHub;
  sessionLimiter: WindowLimiter;
  /** Sessions with an open visitor socket on this server, kept fresh by a timer (see chat.routes.ts). */
  open: Map<string, number>;
}

/**
 * One visitor's socket. Frames are handled one at a time, in order, so acknowledgements follow the order of sending.
 * Nothing the visitor sends can crash the server: a bad frame gets an `error` frame, too many bad frames a close.
 */
export function handleVisitorSocket(deps: VisitorDeps, accessPoint: ActiveAccessPoint, socket: WebSocket, request: FastifyRequest) {
  const { ctx, hub } = deps;
  const ip = request.ip;
  let session: ChatSession | null = null;
  let unsubscribe: (() => void) | null = null;
  let chain: Promise<void> = Promise.resolve();
  let badFrames = 0;
  let lastTyping = 0;
  const messageLimiter = new WindowLimiter(CHAT_LIMITS.messagesPer10s, 10_000);

  const send = (frame: Record<string, unknown>) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
  };
  const error = (code: string, message: string, extra: Record<string, unknown> = {}) => send({ type: 'error', code, message, ...extra });

  socket.on('message', (data, isBinary) => {
    const parsed = isBinary ? ({ ok: false, message: 'binary frames are not accepted' } as const) : parseFrame(visitorFrame, data.toString());
    if (!parsed.ok) {
      error('validation_failed', parsed.message);
      if (++badFrames > CHAT_LIMITS.maxBadFrames) socket.close(1008, 'too many invalid frames');
      return;
    }
    const frame = parsed.frame;
    chain = chain
      .then(() => handle(frame))
      .catch((err: { message?: string; code?: string }) => {
        ctx.log.error({ err: { message: err?.message, code: err?.code } }, 'chat visitor frame failed');
        error('internal_error', 'Something went wrong on our side; please try again', 'clientId' in frame ? { clientId: frame.clientId } : {});
      });
  });

  // Keeps idle connections open through proxies that drop silent sockets.
  const keepAlive = setInterval(() => socket.readyState === socket.OPEN && socket.ping(), 25_000);
  socket.on('close', () => {
    clearInterval(keepAlive);
    chain = chain.then(async () => {
      unsubscribe?.();
      if (!session) return;
      const left = (deps.open.get(session.id) ?? 1) - 1;
      if (left <= 0) deps.open.delete(session.id);
      else deps.open.set(session.id, left);
      if (!session.endedAt && left <= 0) await setPresence(ctx, session, false).catch(() => undefined);
    });
  });

  async function handle(frame: VisitorFrame) {
    switch (frame.type) {
      case 'ping':
        return send({ type: 'pong' });
      case 'start': {
        if (session) return error('conflict', 'This socket already has a chat session');
        // Outside the access point's opening hours nobody would answer: no new chat (a running one goes on).
        const availability = await chatAvailability(ctx, accessPoint);
        if (availability !== 'open') return error('chat_closed', availability === 'hours' ? 'The chat is closed at this time; see the opening hours' : 'Nobody can answer a chat right now; try again later', { reason: availability });
        if (!deps.sessionLimiter.allow(ip)) return error('rate_limited', 'Too many new chats from this network; try again in a minute');
        const started = await startSession(ctx, accessPoint, frame, ip);
        await attach(started.session);
        return send({ type: 'session', sessionId: started.session.id, token: started.token, resumed: false, language: started.session.language, ended: null, messages: [] });
      }
      case 'resume': {
        if (session) return error('conflict', 'This socket already has a chat session');
        const found = await findSessionByToken(ctx, accessPoint, frame.token);
        if (!found) return error('not_found', 'This chat session has ended or expired; start a new chat', { session: 'expired' });
        await attach(found);
        const messages = await visitorHistory(ctx, found, ip);
        send({ type: 'session', sessionId: found.id, resumed: true, language: found.language, ended: found.endedAt ? { at: found.endedAt.toISOString() } : null, messages });
        const lastUnseen = [...messages].reverse().find((m) => m.from === 'advocate' && m.status === 'sent');
        if (lastUnseen) await markDelivered(ctx, found, lastUnseen.id);
        return;
      }
    }
    if (!session) return error('not_found', 'No chat session yet: send start or resume first', 'clientId' in frame ? { clientId: frame.clientId } : {});
    switch (frame.type) {
      case 'message': {
        if (!messageLimiter.allow('m')) return error('rate_limited', 'You are sending very fast; wait a few seconds', { clientId: frame.clientId });
        const result = await recordVisitorMessage(ctx, accessPoint, session, frame.clientId, frame.body, ip);
        if (!result.ok) return error(result.error.code, result.error.message, { clientId: frame.clientId });
        // Only now, after commit: the message is safe, so the visitor may see "delivered".
        return send({ type: 'ack', clientId: frame.clientId, id: result.value.id, at: result.value.at, status: 'delivered' });
      }
      case 'typing': {
        const now = Date.now();
        if (frame.on && now - lastTyping < CHAT_LIMITS.typingEveryMs) return;
        lastTyping = now;
        return visitorTyping(ctx, session, frame.on);
      }
      case 'read':
        return visitorRead(ctx, session, frame.upto);
      case 'leave':
        await endSession(ctx, session, 'visitor', { id: null, label: 'chat:visitor', ip });
        session.endedAt = new Date();
        send({ type: 'ended', by: 'visitor' });
        socket.close(1000, 'left');
        return;
    }
  }

  async function attach(found: ChatSession) {
    session = found;
    deps.open.set(found.id, (deps.open.get(found.id) ?? 0) + 1);
    unsubscribe = hub.subscribe(found.id, (event) => {
      chain = chain.then(() => onEvent(event)).catch((err: { message?: string }) => ctx.log.warn({ err: { message: err?.message } }, 'chat visitor event failed'));
    });
    await setPresence(ctx, found, true);
  }

  async function onEvent(event: ChatEvent) {
    const current = session;
    if (!current || event.h !== current.hotlineId) return;
    switch (event.k) {
      case 'message': {
        if (event.d !== 'outbound') return;
        if (!current.threadId) {
          const row = await ctx.db.selectFrom('chat_session').select(['thread_id', 'contact_id']).where('id', '=', current.id).executeTakeFirst();
          current.threadId = row?.thread_id ?? null;
          current.contactId = row?.contact_id ?? null;
          if (!current.threadId) return;
        }
        const message = await loadMessage(ctx, current.hotlineId, current.threadId, event.id, 'visitor');
        if (!message) return;
        send({ type: 'message', message });
        if (message.status === 'sent') await markDelivered(ctx, current, message.id);
        return;
      }
      case 'typing':
        if (event.w === 'advocate') send({ type: 'typing', on: event.on });
        return;
      case 'status':
        if (event.d === 'inbound') send({ type: 'status', status: event.status, upto: event.upto });
        return;
      case 'joined':
        return send({ type: 'joined' });
      case 'ended':
        current.endedAt = new Date();
        return send({ type: 'ended', by: event.by });
      case 'presence':
        return;
    }
  }
}
