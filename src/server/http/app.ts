import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import formbody from '@fastify/formbody';
import websocket from '@fastify/websocket';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.js';
import { isMigrated } from '../db/migrate.js';
import { registerAccessControl, type RouteAccess } from './access.js';
import { errorHandler, sendError } from './errors.js';
import type { ChildLoggerOptions, Logger } from 'pino';
import { lazyChildLogger } from '../log.js';
import { closeConnectionsPromptly, closeWebSockets } from './shutdown.js';
import { authRoutes } from '../auth/auth.routes.js';
import { userRoutes } from '../users/users.routes.js';
import { auditRoutes } from '../audit/audit.routes.js';
import { permissionRoutes } from '../permissions/permissions.routes.js';
import { AccessPointCache, accessPointRoutes } from '../channels/access-points.js';
import { SmsOutbox } from '../channels/outbound/sms-outbox.js';
import { MediaFetcher } from '../channels/twilio/media.js';
import { twilioRoutes } from '../channels/twilio/twilio.routes.js';
import { queueRoutes } from '../queue/queue.routes.js';
import { contactRoutes } from '../intake/contacts.routes.js';
import { intakeConfigRoutes } from '../intake/form.routes.js';
import { caseRoutes } from '../cases/cases.routes.js';

// CATALYST_WEB_ROOT lets a developer serve a web build kept elsewhere (e.g. a private build for one e2e run).
const WEB_ROOT = process.env.CATALYST_WEB_ROOT || fileURLToPath(new URL('../../../dist/web/', import.meta.url));

export interface BuiltApp {
  app: FastifyInstance;
  routes: RouteAccess[];
}

/** The HTTP application: plugins, the deny-by-default guard, every route. No listening here (tests inject). */
export async function buildApp(ctx: AppContext): Promise<BuiltApp> {
  const app = Fastify({
    loggerInstance: ctx.log,
    childLoggerFactory: (logger, bindings, options) => lazyChildLogger(logger as Logger, bindings, options as ChildLoggerOptions),
    trustProxy: ctx.config.trustProxy,
    bodyLimit: 1024 * 1024,
    requestIdHeader: false,
    // Router-level refusals (an undecodable URL, an over-long path parameter) answer in our error shape too.
    frameworkErrors: (error, _request, reply) => sendError(reply as never, error.code === 'FST_ERR_BAD_URL' ? 'validation_failed' : 'not_found', error.code === 'FST_ERR_BAD_URL' ? 'The address is not valid' : 'Not found'),
  }) as unknown as FastifyInstance;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);

  const routes: RouteAccess[] = [];
  registerAccessControl(app, ctx, routes);

  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 256 * 1024 });
  // Shutdown closes every socket promptly (chat, live consoles, unused keep-alive connections): see shutdown.ts.
  closeConnectionsPromptly(app);
  await app.register(websocket, {
    options: { maxPayload: 64 * 1024 },
    preClose(this: FastifyInstance, done: (error?: Error) => void) {
      closeWebSockets(this.websocketServer).then(() => done(), done);
    },
  });
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"], // Mantine sets style attributes at run time
        imgSrc: ["'self'", 'data:', ...mapTileSources(ctx.config.mapTileUrl)], // map tiles only when configured
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        baseUri: ["'self'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(rateLimit, { global: false, errorResponseBuilder: () => ({ statusCode: 429, error: { code: 'rate_limited', message: 'Too many requests; try again shortly' } }) });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Catalyst API', version: '0.1.0', description: 'Operations platform for national human trafficking hotlines' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'catalyst_session' } } },
    },
    transform: jsonSchemaTransform,
  });

  app.get('/healthz', { config: { access: { public: true } }, schema: { hide: true } }, async () => ({ status: 'ok' }));
  let migrated = false;
  app.get('/readyz', { config: { access: { public: true } }, schema: { hide: true } }, async (_request, reply) => {
    try {
      migrated ||= await isMigrated(ctx.db);
      if (!migrated) return sendError(reply, 'not_ready', 'Database migrations are pending');
      return { status: 'ready' };
    } catch {
      return sendError(reply, 'not_ready', 'The database is not reachable');
    }
  });
  app.get('/api/openapi.json', { config: { access: { public: true } }, schema: { hide: true } }, async () => app.swagger());

  await authRoutes(app, ctx);
  await userRoutes(app, ctx);
  await auditRoutes(app, ctx);
  await permissionRoutes(app, ctx);
  const accessPoints = new AccessPointCache(ctx);
  await accessPointRoutes(app, ctx, accessPoints);
  // One outbox per server: staff replies and the lines' automatic replies are sent (and retried) through it.
  const outbox = new SmsOutbox(ctx);
  outbox.start();
  app.addHook('onClose', async () => outbox.stop());
  const media = new MediaFetcher(ctx);
  media.start();
  app.addHook('onClose', async () => media.stop());
  await twilioRoutes(app, ctx, accessPoints, outbox, media);
  await queueRoutes(app, ctx);
  await contactRoutes(app, ctx);
  await (await import('../intake/attachments.routes.js')).attachmentRoutes(app, ctx);
  await intakeConfigRoutes(app, ctx);
  await caseRoutes(app, ctx);
  await (await import('../directory/directory.routes.js')).directoryRoutes(app, ctx);
  await (await import('../assessment/assessment.routes.js')).assessmentRoutes(app, ctx);
  await (await import('../metrics/metrics.routes.js')).metricsRoutes(app, ctx);
  await (await import('../assessment/config.routes.js')).assessmentConfigRoutes(app, ctx);
  await (await import('../scheduling/scheduling.routes.js')).schedulingRoutes(app, ctx);
  await (await import('../search/search.routes.js')).searchRoutes(app, ctx);
  await (await import('../referrals/referrals.routes.js')).referralRoutes(app, ctx);
  // Channel route modules (each line owned by its channel; keep one line each).
  await (await import('../channels/webform/webform.routes.js')).webformRoutes(app, ctx, accessPoints);
  await (await import('../channels/chat/chat.routes.js')).chatRoutes(app, ctx, accessPoints);
  await (await import('../channels/email/email.routes.js')).emailRoutes(app, ctx);
  await (await import('../channels/voice/voice-and-api.routes.js')).voiceAndApiRoutes(app, ctx, accessPoints, outbox);

  await registerWebApp(app);
  return { app, routes };
}

/** Serves the built web app; any non-API path gets index.html so the client router can take it. */
async function registerWebApp(app: FastifyInstance) {
  const hasWeb = fs.existsSync(path.join(WEB_ROOT, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: WEB_ROOT, serve: false });
  app.get('/*', { config: { access: { public: true } }, schema: { hide: true } }, async (request, reply) => {
    const url = request.url.split('?')[0];
    if (url.startsWith('/api/') || url === '/api') return sendError(reply, 'not_found', 'No such API route');
    if (!hasWeb) return reply.type('text/plain').status(503).send('The web app is not built. Run `npm run build` and restart.');
    let file: string;
    try {
      file = path.posix.normalize(decodeURIComponent(url));
    } catch {
      return sendError(reply, 'not_found', 'Not found');
    }
    if (file.includes('..')) return sendError(reply, 'not_found', 'Not found');
    if (file !== '/' && fs.existsSync(path.join(WEB_ROOT, file)) && fs.statSync(path.join(WEB_ROOT, file)).isFile()) {
      const isHashed = file.startsWith('/assets/');
      return reply.sendFile(file.slice(1), { maxAge: isHashed ? 31536000000 : 0, immutable: isHashed });
    }
    return reply.header('cache-control', 'no-store').sendFile('index.html');
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, 'not_found', 'Not found'));
}

/** The CSP source of a map tile URL template (`https://{s}.tiles.example.org/{z}/{x}/{y}.png` -> `https://*.tiles.example.org`). */
export function mapTileSources(template: string | undefined): string[] {
  const origin = template?.match(/^https:\/\/[^/\s]+/)?.[0];
  return origin ? [origin.replace(/\{[a-z]+\}/g, '*')] : [];
}
