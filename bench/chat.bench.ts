/**
 * Web chat budget (issue 3): N concurrent open chats (default 500) with messages flowing both ways between two
 * Catalyst servers on one database — visitors on server A, advocates on server B (LISTEN/NOTIFY between them).
 * Prints delivery latency p50/p99 (visitor -> advocate, advocate -> visitor, visitor send -> "delivered" ack) and
 * errors. Budget: p99 < 200 ms.
 *
 * Run: npx tsx bench/chat.bench.ts [--chats 500] [--seconds 30] [--interval 20000]
 * Needs a PostgreSQL: CATALYST_BENCH_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres (a scratch database
 * is created and dropped). Both servers and every client run in this one process, so the figures include the
 * clients' own event-loop time: they are an upper bound of what the servers add.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import WebSocket from 'ws';

process.env.CATALYST_CHAT_SESSIONS_PER_MINUTE = '1000000';
process.env.CATALYST_CHAT_CONNECTIONS_PER_MINUTE = '1000000';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CHATS = arg('chats', 500);
const SECONDS = arg('seconds', 30);
const INTERVAL_MS = arg('interval', 20_000); // each visitor writes about this often (a person: every 20-30 s); each message is answered at once
const CHATS_PER_ADVOCATE = 20;
const ORIGIN = 'https://partner.example.org';

const { loadConfig } = await import('../src/server/config.js');
const { RuleCache } = await import('../src/server/context.js');
const { KeyStore } = await import('../src/server/crypto/keystore.js');
const { buildKeyring } = await import('../src/server/crypto/master-key.js');
const { createDb } = await import('../src/server/db/db.js');
const { migrateToLatest } = await import('../src/server/db/migrate.js');
const { buildApp } = await import('../src/server/http/app.js');
const { createHotline } = await import('../src/server/hotlines/hotlines.repo.js');
const { createLogger } = await import('../src/server/log.js');
const { SessionCache } = await import('../src/server/auth/sessions.js');
const { createUser } = await import('../src/server/users/users.service.js');
const { LiveHub } = await import('../src/server/queue/live.js');
const { startAuditSealer } = await import('../src/server/audit/audit.js');
const { createAccessPoint } = await import('../src/server/channels/access-points.js');
type AppContext = import('../src/server/context.js').AppContext;

const TOTP = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const PASSWORD = 'correct-horse-battery-staple';

const adminUrl = process.env.CATALYST_BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = `catalyst_chatbench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`create database ${dbName}`);
const url = (() => {
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  return u.toString();
})();

const log = createLogger('silent');
const keyring = buildKeyring(randomBytes(32).toString('base64'));
const config = loadConfig({}, { databaseUrl: url, logLevel: 'silent', port: 0, signInRatePerMinute: 100_000 });

async function server(): Promise<{ ctx: AppContext; url: string; close(): Promise<void> }> {
  const db = createDb(url, { max: 20 });
  const ctx: AppContext = { config, db, keys: new KeyStore(db, keyring), log, rules: new RuleCache(db), sessions: new SessionCache(), live: new LiveHub(url, log), databaseUrl: url };
  await ctx.live!.start();
  const { app } = await buildApp(ctx);
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return { ctx, url: address, close: async () => { await app.close(); await ctx.live!.close(); await db.destroy(); } };
}

const setupDb = createDb(url, { max: 4 });
await migrateToLatest(setupDb);
const a = await server();
const b = await server();
const stopSealer = startAuditSealer(a.ctx.db, () => undefined, 250);
const hotline = await setupDb.transaction().execute((tx) => createHotline(tx, a.ctx.keys, { slug: 'bench', name: 'Bench hotline', country: 'CA', timezone: 'America/Toronto' } as never));
await createAccessPoint(setupDb, a.ctx, hotline.id, { channel: 'chat', name: 'Chat', address: 'bench', settings: { allowedOrigins: [ORIGIN] } });

const errors: string[] = [];
const lat = { visitorToAdvocate: [] as number[], advocateToVisitor: [] as number[], ack: [] as number[] };
const sentAt = new Map<string, number>();

function open(target: string, headers: Record<string, string>, onFrame: (f: any) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(target, { headers });
    ws.on('message', (data) => onFrame(JSON.parse(String(data))));
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.on('close', (code) => {
      if (!closing && code !== 1000) errors.push(`socket closed ${code}`);
    });
  });
}
let closing = false;

// ---- visitors on server A ----
interface Visitor { ws: WebSocket; contactId?: string; seq: number; waiters: Map<string, (f: any) => void> }
const visitors: Visitor[] = [];
const started = performance.now();
for (let i = 0; i < CHATS; i += 50) {
  await Promise.all(
    Array.from({ length: Math.min(50, CHATS - i) }, async (_, k) => {
      const v: Visitor = { ws: null as never, seq: 0, waiters: new Map() };
      v.ws = await open(`${a.url.replace('http', 'ws')}/api/chat/visitor?hotline=bench`, { origin: ORIGIN }, (f) => {
        if (f.type === 'ack') {
          const t0 = sentAt.get(`ack:${f.clientId}`);
          if (t0 !== undefined) lat.ack.push(performance.now() - t0);
          v.waiters.get(f.clientId)?.(f);
        } else if (f.type === 'session') v.waiters.get('session')?.(f);
        else if (f.type === 'message' && f.message.from === 'advocate') {
          const t0 = sentAt.get(f.message.body);
          if (t0 !== undefined) lat.advocateToVisitor.push(performance.now() - t0);
        } else if (f.type === 'error') errors.push(`visitor error ${f.code}: ${f.message}`);
      });
      const session = new Promise((resolve) => v.waiters.set('session', resolve));
      v.ws.send(JSON.stringify({ type: 'start', language: 'en', safeToTalk: 'yes' }));
      await session;
      const clientId = randomBytes(8).toString('hex');
      const ack = new Promise<any>((resolve) => v.waiters.set(clientId, resolve));
      v.ws.send(JSON.stringify({ type: 'message', clientId, body: `hello ${i + k}` }));
      const frame = await ack;
      v.contactId = (await setupDb.selectFrom('contact_message').select('contact_id').where('id', '=', frame.id).executeTakeFirstOrThrow()).contact_id;
      visitors.push(v);
    }),
  );
}
const setupVisitorsMs = performance.now() - started;

// ---- advocates on server B: each claims and joins its share ----
const advocates: { ws: WebSocket; contacts: string[] }[] = [];
for (let i = 0; i < Math.ceil(CHATS / CHATS_PER_ADVOCATE); i++) {
  const created = await createUser(b.ctx, hotline.id, { email: `adv${i}@bench.example.org`, displayName: `Advocate ${i}`, roles: ['advocate'], password: PASSWORD, totpSecret: TOTP }, { id: null, label: 'bench' });
  if (!created.ok) throw new Error(created.error.message);
}
// Sign-ins and claims go through server B's HTTP API like the web app would.
async function signIn(email: string) {
  const jar: { cookie: string; csrf: string } = { cookie: '', csrf: '' };
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(b.url + path, { method, headers: { 'content-type': 'application/json', cookie: jar.cookie, 'x-csrf-token': jar.csrf }, body: body === undefined ? undefined : JSON.stringify(body) });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) jar.cookie = setCookie.split(';')[0];
    const json = (await res.json().catch(() => ({}))) as any;
    if (json?.csrfToken) jar.csrf = json.csrfToken;
    return { status: res.status, json };
  };
  const { TOTP: Totp, Secret } = await import('otpauth');
  await call('POST', '/api/auth/login', { email, password: PASSWORD });
  await call('POST', '/api/auth/mfa/verify', { code: new Totp({ secret: Secret.fromBase32(TOTP), digits: 6, period: 30, algorithm: 'SHA1' }).generate() });
  return { jar, call };
}
for (let i = 0; i < Math.ceil(CHATS / CHATS_PER_ADVOCATE); i++) {
  const { jar, call } = await signIn(`adv${i}@bench.example.org`);
  const mine = visitors.slice(i * CHATS_PER_ADVOCATE, (i + 1) * CHATS_PER_ADVOCATE);
  for (const v of mine) {
    const claim = await call('POST', `/api/queue/${v.contactId}/claim`, {});
    if (claim.status !== 200) errors.push(`claim ${claim.status}`);
  }
  const joined = new Map<string, () => void>();
  const ws = await open(`${b.url.replace('http', 'ws')}/api/chat/agent`, { cookie: jar.cookie }, (f) => {
    if (f.type === 'joined') joined.get(f.contactId)?.();
    else if (f.type === 'message' && f.message.from === 'visitor') {
      const t0 = sentAt.get(f.message.body);
      if (t0 !== undefined) lat.visitorToAdvocate.push(performance.now() - t0);
      if (f.message.body.startsWith('m:')) {
        // The advocate answers every message at once.
        const body = `r:${f.message.body.slice(2)}`;
        sentAt.set(body, performance.now());
        ws.send(JSON.stringify({ type: 'send', contactId: f.contactId, clientId: randomBytes(8).toString('hex'), body }));
      }
    } else if (f.type === 'error') errors.push(`advocate error ${f.code}: ${f.message}`);
  });
  await Promise.all(mine.map((v) => new Promise<void>((resolve) => {
    joined.set(v.contactId!, resolve);
    ws.send(JSON.stringify({ type: 'join', contactId: v.contactId }));
  })));
  advocates.push({ ws, contacts: mine.map((v) => v.contactId!) });
}
const setupMs = performance.now() - started;

// ---- the flow: every visitor writes every INTERVAL_MS (jittered start), every message is answered ----
let sent = 0;
const timers: NodeJS.Timeout[] = [];
const flowStart = performance.now();
for (const [i, v] of visitors.entries()) {
  const tick = () => {
    if (performance.now() - flowStart > SECONDS * 1000) return;
    const clientId = randomBytes(8).toString('hex');
    const body = `m:${i}:${v.seq++}`;
    const now = performance.now();
    sentAt.set(body, now);
    sentAt.set(`ack:${clientId}`, now);
    v.ws.send(JSON.stringify({ type: 'message', clientId, body }));
    sent++;
    timers.push(setTimeout(tick, INTERVAL_MS * (0.8 + Math.random() * 0.4)));
  };
  timers.push(setTimeout(tick, Math.random() * INTERVAL_MS));
}
await new Promise((r) => setTimeout(r, SECONDS * 1000 + 3000));
timers.forEach(clearTimeout);

const q = (xs: number[], p: number) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length ? Number(s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(1)) : NaN;
};
const summary = (xs: number[]) => ({ count: xs.length, p50: q(xs, 0.5), p99: q(xs, 0.99), max: q(xs, 1) });
const result = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, memGb: Math.round(os.totalmem() / 2 ** 30) },
  chats: visitors.length,
  advocates: advocates.length,
  seconds: SECONDS,
  visitorMessagesSent: sent,
  offeredMessagesPerSecond: Number(((CHATS / INTERVAL_MS) * 1000 * 2).toFixed(1)),
  setupSeconds: Number((setupMs / 1000).toFixed(1)),
  visitorSetupSeconds: Number((setupVisitorsMs / 1000).toFixed(1)),
  latencyMs: { visitorToAdvocate: summary(lat.visitorToAdvocate), advocateToVisitor: summary(lat.advocateToVisitor), visitorAck: summary(lat.ack) },
  // Not lost: still queued when the run stopped (3 s after the last send). Non-zero means the servers fell behind.
  notYetDeliveredAtEnd: { visitorToAdvocate: sent - lat.visitorToAdvocate.length, advocateToVisitor: lat.visitorToAdvocate.length - lat.advocateToVisitor.length },
  errors: errors.length,
  errorSamples: [...new Set(errors)].slice(0, 5),
  budget: 'p99 < 200 ms',
};
console.log(JSON.stringify(result, null, 2));

closing = true;
for (const v of visitors) v.ws.close();
for (const adv of advocates) adv.ws.close();
await new Promise((r) => setTimeout(r, 300));
await stopSealer();
await a.close();
await b.close();
await setupDb.destroy();
await admin.query(`drop database if exists ${dbName} with (force)`);
await admin.end();
