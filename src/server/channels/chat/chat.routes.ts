import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { whoOf } from '../../http/access.js';
import { sendError, sendResult } from '../../http/errors.js';
import type { AccessPointCache, ActiveAccessPoint } from '../access-points.js';
import { handleAgentSocket } from './agent.socket.js';
import { ChatHub } from './chat.hub.js';
import { CHAT_LIMITS, WindowLimiter } from './chat.limits.js';
import { chatContactParams, chatReadBody, chatSendBody, chatTypingBody } from './chat.protocol.js';
import { hotlineFacts } from '../hours.js';
import { ATTACHMENT_LIMITS } from '../webform/webform.files.js';
import { agentEnd, agentJoin, agentRead, agentSend, agentTyping, chatAvailability, findSessionByToken, recordVisitorFile, touchSessions } from './chat.service.js';
import { allowedOrigins, ASSETS, embedCsp, renderEmbed, type ClosedState } from './embed.js';
import { handleVisitorSocket } from './visitor.socket.js';

const widgetKey = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/);
const TOUCH_EVERY_MS = 20_000;

declare module 'fastify' {
  interface FastifyRequest {
    chatAccessPoint?: ActiveAccessPoint;
  }
}

/** The request's Origin header as a URL, or null when it is missing or not a URL. */
function originOf(request: FastifyRequest): URL | null {
  try {
    return request.headers.origin ? new URL(request.headers.origin) : null;
  } catch {
    return null;
  }
}

/** This server's own origin, as the embedded page (served by us) presents it. */
function isOwnOrigin(ctx: AppContext, request: FastifyRequest, origin: URL) {
  if (ctx.config.publicUrl && new URL(ctx.config.publicUrl).origin === origin.origin) return true;
  return origin.host === request.headers.host;
}

/**
 * Web chat: the embeddable widget and its page (public), the visitor socket (public, Origin-checked), and the
 * advocate socket and REST operations (staff session, `contact.reply`). See docs/intake-chat.md.
 */
export async function chatRoutes(app: FastifyInstance, ctx: AppContext, accessPoints: AccessPointCache) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const hub = new ChatHub(ctx.databaseUrl, ctx.log);
  await hub.start();
  const open = new Map<string, number>();
  const sessionLimiter = new WindowLimiter(CHAT_LIMITS.sessionsPerMinute, 60_000);
  const touch = setInterval(() => touchSessions(ctx, [...open.keys()]).catch(() => undefined), TOUCH_EVERY_MS);
  touch.unref();
  app.addHook('onClose', async () => {
    clearInterval(touch);
    await hub.close();
  });
  const publicAccess = { public: true as const };
  const tags = ['chat'];

  // The loader partners paste on their site. Other sites must be able to load it: cross-origin resource policy opened.
  app.get('/chat/widget.js', { config: { access: publicAccess }, schema: { hide: true } }, async (_request, reply) =>
    reply
      .header('content-type', ASSETS['widget.js'].type)
      .header('cross-origin-resource-policy', 'cross-origin')
      .header('cache-control', 'public, max-age=300')
      .send(ASSETS['widget.js'].body),
  );

  app.get('/chat/assets/:file', { config: { access: publicAccess }, schema: { hide: true } }, async (request, reply) => {
    const file = (request.params as { file: string }).file;
    if (!['embed.js', 'embed.css'].includes(file)) return sendError(reply, 'not_found', 'Not found');
    const asset = ASSETS[file];
    return reply.header('content-type', asset.type).header('cache-control', 'public, max-age=300').send(asset.body);
  });

  r.get(
    '/chat/:key/embed',
    { config: { access: publicAccess, rateLimit: { max: 600, timeWindow: '1 minute' } }, schema: { hide: true, params: z.object({ key: z.string().max(100) }), querystring: z.object({ lang: z.string().max(10).optional() }) } },
    async (request, reply) => {
      const key = widgetKey.safeParse(request.params.key);
      const accessPoint = key.success ? await accessPoints.find('chat', key.data) : null;
      if (!accessPoint) return reply.status(404).type('text/plain; charset=utf-8').header('cache-control', 'no-store').send('This chat is not available.');
      // The one page that may be framed, and only by the sites configured on this hotline's chat access point
      // (settings.allowedOrigins). Every other page keeps frame-ancestors 'none' and X-Frame-Options.
      reply.removeHeader('x-frame-options');
      return reply
        .header('content-security-policy', embedCsp(allowedOrigins(accessPoint)))
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(renderEmbed(accessPoint, key.data!, request.query.lang, await closedState(accessPoint)));
    },
  );

  /** Outside opening hours (or with nobody to answer): closed, with the hotline's web tip form as the way to write now. */
  async function closedState(accessPoint: ActiveAccessPoint): Promise<ClosedState | null> {
    const availability = await chatAvailability(ctx, accessPoint);
    if (availability === 'open') return null;
    const form = await ctx.db
      .selectFrom('access_point')
      .select('address')
      .where('hotline_id', '=', accessPoint.hotlineId)
      .where('channel', '=', 'webform')
      .where('is_active', '=', true)
      .orderBy('created_at')
      .executeTakeFirst();
    const { timezone } = await hotlineFacts(ctx, accessPoint.hotlineId);
    return { reason: availability, tipPath: form ? `/tip/${encodeURIComponent(form.address)}` : null, timeZone: timezone };
  }

  /** Refuses the upgrade (HTTP 404 / 403) for an unconfigured widget key or a page on a site that is not allowed. */
  async function checkVisitor(request: FastifyRequest, reply: FastifyReply) {
    const key = widgetKey.safeParse((request.query as { hotline?: unknown }).hotline);
    const accessPoint = key.success ? await accessPoints.find('chat', key.data) : null;
    if (!accessPoint) return sendError(reply, 'not_found', 'No chat is configured for this hotline');
    const origin = originOf(request);
    if (!origin || !(isOwnOrigin(ctx, request, origin) || allowedOrigins(accessPoint).includes(origin.origin))) {
      return sendError(reply, 'forbidden', 'This site may not open this chat');
    }
    request.chatAccessPoint = accessPoint;
  }

  app.get(
    '/api/chat/visitor',
    { websocket: true, config: { access: publicAccess, rateLimit: { max: CHAT_LIMITS.connectionsPerMinute, timeWindow: '1 minute' } }, preHandler: checkVisitor, schema: { hide: true } },
    (socket, request) => handleVisitorSocket({ ctx, hub, sessionLimiter, open }, request.chatAccessPoint!, socket, request),
  );

  // A file from the visitor: the raw bytes (the chat page sends the File as the body), the name and client id in the
  // query, the session token in a header. Only the chat page itself (Catalyst's own origin) may send one.
  const fileQuery = z.object({ hotline: z.string().max(100), clientId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/), name: z.string().max(300).default('') });
  await app.register(async (scope) => {
    // Whatever the type the browser names (a .txt arrives as text/plain, a .json as JSON), the body stays bytes.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: ATTACHMENT_LIMITS.maxBytes + 1 }, (_request, body, done) => done(null, body));
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/chat/visitor/files',
      { config: { access: publicAccess, rateLimit: { max: 30, timeWindow: '1 minute' } }, schema: { hide: true, querystring: fileQuery } },
      async (request, reply) => {
        const origin = originOf(request);
        if (!origin || !isOwnOrigin(ctx, request, origin)) return sendError(reply, 'forbidden', 'Files are sent from the chat page only');
        const key = widgetKey.safeParse(request.query.hotline);
        const accessPoint = key.success ? await accessPoints.find('chat', key.data) : null;
        const token = request.headers['x-chat-token'];
        const session = accessPoint && typeof token === 'string' && token.length <= 100 ? await findSessionByToken(ctx, accessPoint, token) : null;
        if (!accessPoint || !session) return sendError(reply, 'not_found', 'This chat session has ended or expired');
        const data = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const result = await recordVisitorFile(ctx, accessPoint, session, request.query.clientId, { name: request.query.name, data }, request.ip);
        return sendResult(reply, result, (message) => ({ message: { ...message, clientId: request.query.clientId, from: 'visitor', status: 'delivered' } }), 201);
      },
    );
  });

  // Staff: browsers send cookies on cross-site WebSocket handshakes too, so only our own pages' origin is accepted.
  async function checkAgentOrigin(request: FastifyRequest, reply: FastifyReply) {
    const raw = request.headers.origin;
    if (!raw) return;
    let origin: URL;
    try {
      origin = new URL(raw);
    } catch {
      return sendError(reply, 'forbidden', 'Origin not allowed');
    }
    if (!isOwnOrigin(ctx, request, origin)) return sendError(reply, 'forbidden', 'Origin not allowed');
  }

  app.get('/api/chat/agent', { websocket: true, config: { access: { permission: 'contact.reply' } }, preHandler: checkAgentOrigin, schema: { hide: true } }, (socket, request) =>
    handleAgentSocket(ctx, hub, socket, request),
  );

  // The same operations over REST, for clients that cannot keep a socket (live pushes need the socket).
  r.get('/api/chat/contacts/:id', { config: { access: { permission: 'contact.reply' } }, schema: { tags, summary: 'A chat: the visitor’s pre-chat answers and the transcript (audited read)', params: chatContactParams } }, async (request, reply) =>
    sendResult(reply, await agentJoin(ctx, whoOf(request), request.params.id, 'rest'), (v) => v.payload),
  );
  r.post('/api/chat/contacts/:id/messages', { config: { access: { permission: 'contact.reply' } }, schema: { tags, summary: 'Reply in a chat (stored once per clientId)', params: chatContactParams, body: chatSendBody } }, async (request, reply) =>
    sendResult(reply, await agentSend(ctx, whoOf(request), request.params.id, request.body.clientId, request.body.body), ({ contactId: _c, ...message }) => ({ message }), 201),
  );
  r.post('/api/chat/contacts/:id/read', { config: { access: { permission: 'contact.reply' } }, schema: { tags, summary: 'Mark the visitor’s messages read up to one message', params: chatContactParams, body: chatReadBody } }, async (request, reply) =>
    sendResult(reply, await agentRead(ctx, whoOf(request), request.params.id, request.body.upto), () => ({ ok: true })),
  );
  r.post('/api/chat/contacts/:id/typing', { config: { access: { permission: 'contact.reply' } }, schema: { tags, summary: 'Show or hide “advocate is typing” to the visitor', params: chatContactParams, body: chatTypingBody } }, async (request, reply) =>
    sendResult(reply, await agentTyping(ctx, whoOf(request), request.params.id, request.body.on), () => ({ ok: true })),
  );
  r.post('/api/chat/contacts/:id/end', { config: { access: { permission: 'contact.reply' } }, schema: { tags, summary: 'End the chat for the visitor (the contact stays open for documentation)', params: chatContactParams } }, async (request, reply) =>
    sendResult(reply, await agentEnd(ctx, whoOf(request), request.params.id), () => ({ ok: true })),
  );
}
