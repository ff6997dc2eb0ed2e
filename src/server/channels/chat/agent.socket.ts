import type { FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { SESSION_COOKIE } from '../../auth/sessions.js';
import type { AppContext } from '../../context.js';
import { whoOf } from '../../http/access.js';
import type { ChatEvent, ChatHub } from './chat.hub.js';
import { CHAT_LIMITS } from './chat.limits.js';
import { agentFrame, parseFrame, type AgentFrame } from './chat.protocol.js';
import { agentEnd, agentJoin, agentRead, agentSend, agentTyping, loadMessage } from './chat.service.js';

/**
 * One advocate's socket; it may follow several chats at once (one `join` each). Every operation re-checks the staff
 * session and the right to reply to that contact, so signing out, a transfer or a release takes effect at once.
 */
export function handleAgentSocket(ctx: AppContext, hub: ChatHub, socket: WebSocket, request: FastifyRequest) {
  const who = whoOf(request);
  const cookie = request.cookies[SESSION_COOKIE] ?? '';
  const joined = new Map<string, { sessionId: string; threadId: string; unsubscribe: () => void }>();
  let chain: Promise<void> = Promise.resolve();
  let badFrames = 0;
  const lastTyping = new Map<string, number>();

  const send = (frame: Record<string, unknown>) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
  };
  const error = (code: string, message: string, extra: Record<string, unknown> = {}) => send({ type: 'error', code, message, ...extra });

  socket.on('message', (data, isBinary) => {
    const parsed = isBinary ? ({ ok: false, message: 'binary frames are not accepted' } as const) : parseFrame(agentFrame, data.toString());
    if (!parsed.ok) {
      error('validation_failed', parsed.message);
      if (++badFrames > CHAT_LIMITS.maxBadFrames) socket.close(1008, 'too many invalid frames');
      return;
    }
    const frame = parsed.frame;
    chain = chain
      .then(() => handle(frame))
      .catch((err: { message?: string; code?: string }) => {
        ctx.log.error({ err: { message: err?.message, code: err?.code } }, 'chat agent frame failed');
        error('internal_error', 'Something went wrong on our side; nothing was changed', echo(frame));
      });
  });

  // Keeps idle connections open through proxies that drop silent sockets.
  const keepAlive = setInterval(() => socket.readyState === socket.OPEN && socket.ping(), 25_000);
  socket.on('close', () => {
    clearInterval(keepAlive);
    for (const entry of joined.values()) entry.unsubscribe();
    joined.clear();
  });

  send({ type: 'hello', userId: who.actor.id });

  function echo(frame: AgentFrame) {
    return { ...('contactId' in frame && { contactId: frame.contactId }), ...('clientId' in frame && { clientId: frame.clientId }) };
  }

  async function handle(frame: AgentFrame) {
    if (frame.type === 'ping') return send({ type: 'pong' });
    const session = await ctx.sessions.load(ctx.db, cookie);
    if (!session || session.state !== 'signed_in' || session.user.id !== who.actor.id) {
      error('not_signed_in', 'Your session has ended; sign in again');
      socket.close(4401, 'signed out');
      return;
    }
    switch (frame.type) {
      case 'join': {
        const result = await agentJoin(ctx, who, frame.contactId, 'socket');
        if (!result.ok) return error(result.error.code, result.error.message, echo(frame));
        const { chat, payload } = result.value;
        if (!joined.has(frame.contactId)) {
          const unsubscribe = hub.subscribe(chat.sessionId, (event) => {
            chain = chain.then(() => onEvent(frame.contactId, event)).catch((err: { message?: string }) => ctx.log.warn({ err: { message: err?.message } }, 'chat agent event failed'));
          });
          joined.set(frame.contactId, { sessionId: chat.sessionId, threadId: chat.threadId, unsubscribe });
        }
        return send({ type: 'joined', ...payload });
      }
      case 'leave': {
        joined.get(frame.contactId)?.unsubscribe();
        joined.delete(frame.contactId);
        return send({ type: 'left', contactId: frame.contactId });
      }
      case 'send': {
        const result = await agentSend(ctx, who, frame.contactId, frame.clientId, frame.body);
        if (!result.ok) return error(result.error.code, result.error.message, echo(frame));
        const { contactId, ...message } = result.value;
        return send({ type: 'ack', contactId, clientId: frame.clientId, message });
      }
      case 'typing': {
        const now = Date.now();
        if (frame.on && now - (lastTyping.get(frame.contactId) ?? 0) < CHAT_LIMITS.typingEveryMs) return;
        lastTyping.set(frame.contactId, now);
        const result = await agentTyping(ctx, who, frame.contactId, frame.on);
        if (!result.ok) return error(result.error.code, result.error.message, echo(frame));
        return;
      }
      case 'read': {
        const result = await agentRead(ctx, who, frame.contactId, frame.upto);
        if (!result.ok) return error(result.error.code, result.error.message, echo(frame));
        return;
      }
      case 'end': {
        const result = await agentEnd(ctx, who, frame.contactId);
        if (!result.ok) return error(result.error.code, result.error.message, echo(frame));
        return;
      }
    }
  }

  async function onEvent(contactId: string, event: ChatEvent) {
    const entry = joined.get(contactId);
    if (!entry || event.h !== who.actor.hotlineId || event.s !== entry.sessionId) return;
    switch (event.k) {
      case 'message': {
        const message = await loadMessage(ctx, event.h, entry.threadId, event.id, 'advocate');
        if (message) send({ type: 'message', contactId: event.c, message });
        return;
      }
      case 'typing':
        if (event.w === 'visitor') send({ type: 'typing', contactId, on: event.on });
        return;
      case 'status':
        return send({ type: 'status', contactId, direction: event.d, status: event.status, upto: event.upto });
      case 'presence':
        return send({ type: 'presence', contactId, online: event.on });
      case 'ended':
        return send({ type: 'ended', contactId, by: event.by });
      case 'joined':
        return;
    }
  }
}
