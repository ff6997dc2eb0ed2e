import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/server/config.js';
import { RuleCache, type AppContext } from '../../src/server/context.js';
import { KeyStore } from '../../src/server/crypto/keystore.js';
import { buildKeyring } from '../../src/server/crypto/master-key.js';
import { createDb, type Db } from '../../src/server/db/db.js';
import { buildApp } from '../../src/server/http/app.js';
import type { RouteAccess } from '../../src/server/http/access.js';
import { createHotline } from '../../src/server/hotlines/hotlines.repo.js';
import { createLogger } from '../../src/server/log.js';
import type { Logger } from 'pino';
import { SessionCache } from '../../src/server/auth/sessions.js';
import { createUser } from '../../src/server/users/users.service.js';
import { startAuditSealer } from '../../src/server/audit/audit.js';
import { LiveHub } from '../../src/server/queue/live.js';
import type { Role } from '../../src/shared/roles.js';
import { createTestDatabase } from './db.js';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  totpSecret: string | null;
}

export interface TestHotline {
  id: string;
  slug: string;
  createUser(input: { email?: string; roles: string[]; password?: string; totpSecret?: string | null; displayName?: string; organisationId?: string | null }): Promise<TestUser>;
}

export interface TestServer extends TestHotline {
  url: string;
  app: FastifyInstance;
  routes: RouteAccess[];
  ctx: AppContext;
  db: Db;
  hotline: { id: string; slug: string };
  /** Another tenant in the same install, for isolation tests. */
  addHotline(slug: string): Promise<TestHotline>;
  /** A second Catalyst server on the same database and keys (as behind a load balancer). */
  startSibling(): Promise<{ url: string; app: FastifyInstance; close(): Promise<void> }>;
  close(): Promise<void>;
}

export const TEST_PASSWORD = 'correct-horse-battery-staple';
/** A fixed base32 TOTP secret for enrolled test users; codes are computed from it with otpauth. */
export const TEST_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

let counter = 0;

/** A real Catalyst server on a fresh database, listening on a random loopback port. */
export async function startTestServer(opts: { listen?: boolean; signInRatePerMinute?: number; log?: Logger } = {}): Promise<TestServer> {
  const database = await createTestDatabase();
  const config = loadConfig({}, { databaseUrl: database.url, logLevel: process.env.TEST_LOG_LEVEL ?? 'silent', port: 0, signInRatePerMinute: opts.signInRatePerMinute ?? 10_000 });
  const log = opts.log ?? createLogger(config.logLevel);
  const keyring = buildKeyring(randomBytes(32).toString('base64'));
  const ctx: AppContext = { config, db: database.db, keys: new KeyStore(database.db, keyring), log, rules: new RuleCache(database.db), sessions: new SessionCache(), live: null, databaseUrl: database.url };

  const siblings: (() => Promise<void>)[] = [];
  const hotlineHandle = async (slug: string): Promise<TestHotline> => {
    const hotline = await database.db.transaction().execute((tx) => createHotline(tx, ctx.keys, { slug, name: `Test ${slug}`, country: 'CA', timezone: 'America/Toronto' }));
    return {
      id: hotline.id,
      slug,
      async createUser(input) {
        const email = input.email ?? `user${++counter}-${randomBytes(3).toString('hex')}@${slug}.example.org`;
        const password = input.password ?? TEST_PASSWORD;
        const totpSecret = input.totpSecret === undefined ? TEST_TOTP_SECRET : input.totpSecret;
        let organisationId = input.organisationId ?? null;
        if (input.roles.includes('partner') && !organisationId) {
          organisationId = (await database.db.insertInto('organisation').values({ hotline_id: hotline.id, name: 'Test partner' }).returning('id').executeTakeFirstOrThrow()).id;
        }
        const result = await createUser(ctx, hotline.id, { email, displayName: input.displayName ?? email.split('@')[0], roles: input.roles as Role[], password, totpSecret, organisationId }, { id: null, label: 'test' });
        if (!result.ok) throw new Error(`createUser failed: ${result.error.message}`);
        return { id: result.value.user.id, email, password, totpSecret };
      },
    };
  };

  const main = await hotlineHandle(`t${randomBytes(3).toString('hex')}`);
  ctx.live = new LiveHub(database.url, log);
  await ctx.live.start();
  const { app, routes } = await buildApp(ctx);
  const stopSealer = startAuditSealer(database.db, () => undefined, 100);
  let url = '';
  if (opts.listen !== false) url = await app.listen({ port: 0, host: '127.0.0.1' });
  else await app.ready();
  return {
    ...main,
    url,
    app,
    routes,
    ctx,
    db: database.db,
    hotline: { id: main.id, slug: main.slug },
    addHotline: hotlineHandle,
    async startSibling() {
      const siblingDb = createDb(database.url, { max: 10 });
      const siblingCtx: AppContext = { ...ctx, db: siblingDb, keys: new KeyStore(siblingDb, keyring), rules: new RuleCache(siblingDb), sessions: new SessionCache(), live: new LiveHub(database.url, log) };
      await siblingCtx.live!.start();
      const sibling = await buildApp(siblingCtx);
      const siblingUrl = await sibling.app.listen({ port: 0, host: '127.0.0.1' });
      siblings.push(async () => {
        await sibling.app.close();
        await siblingCtx.live!.close();
        await siblingDb.destroy();
      });
      return { url: siblingUrl, app: sibling.app, close: async () => undefined };
    },
    async close() {
      for (const stop of siblings) await watch('sibling close', stop);
      await watch('app.close', () => app.close());
      await watch('sealer stop', stopSealer);
      await watch('live hub close', async () => ctx.live?.close());
      await watch('database drop', () => database.drop());
    },
  };
}

/** Runs one shutdown step; if it takes long, says which one on stderr, so a hung close in CI names its culprit. */
async function watch<T>(step: string, run: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const timer = setInterval(() => process.stderr.write(`test server close: "${step}" still waiting after ${Math.round((Date.now() - started) / 1000)} s\n`), 10_000);
  try {
    return await run();
  } finally {
    clearInterval(timer);
  }
}
