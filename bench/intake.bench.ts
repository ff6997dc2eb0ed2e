/**
 * Intake budgets (issue 3): signed Twilio SMS webhooks at a sustained open-loop rate against a `catalyst start`
 * process — p50/p95/p99 latency and errors — and the time until each new contact appears in the live feed
 * (WebSocket /api/live) of a console connected to a second server process on the same database.
 * Targets: ≥ 1,000 webhooks/s with p99 < 50 ms on 2 cores; live feed p99 < 1 s under that load.
 * Run: npx tsx bench/intake.bench.ts [external|embedded|both] [rates, e.g. 500,1000] [seconds]
 * (needs `npm run build`; the external target uses PostgreSQL at 127.0.0.1:5432, user postgres, trust auth)
 * BENCH_LOG_LEVEL=info measures with the servers' default log level (request logs to a pipe; default here: error)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import * as OTPAuth from 'otpauth';
import WebSocket from 'ws';
import { createUser } from '../src/server/users/users.service.js';
import { freeLoopbackPort } from '../test/helpers/port.js';
import { buildPost, newConnectionBurst, openLoop } from './open-loop.js';
import { cpuSeconds, setupSmsHotline, SMS_TOKEN as TOKEN } from './sms-hotline.js';

const BIN = new URL('../bin/catalyst.js', import.meta.url).pathname;
const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const PASSWORD = 'correct-horse-battery-staple';
const target = process.argv[2] ?? 'both';
const rates = (process.argv[3] ?? '500,1000').split(',').map(Number);
const seconds = Number(process.argv[4] ?? 15);

function startServer(env: Record<string, string>, nodeArgs: string[] = []): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [...nodeArgs, BIN, 'start'], { env: { ...process.env, PORT: '0', LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'error', CATALYST_SEED_DEMO: 'never', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d;
      const m = out.match(/ready at (http:\/\/\S+)/);
      if (m) {
        // Stop collecting (with BENCH_LOG_LEVEL=info the logs would pile up here); keep draining the pipes.
        child.stdout!.off('data', onData);
        child.stderr!.off('data', onData);
        // BENCH_SERVER_LOG=<file>: what the servers print from then on (e.g. BENCH_NODE_ARGS=--trace-gc), else dropped.
        if (process.env.BENCH_SERVER_LOG) {
          const file = fs.createWriteStream(process.env.BENCH_SERVER_LOG, { flags: 'a' });
          child.stdout!.pipe(file);
          child.stderr!.pipe(file);
        } else {
          child.stdout!.resume();
          child.stderr!.resume();
        }
        resolve({ child, url: m[1] });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}
const stop = (child: ChildProcess) => new Promise<void>((resolve) => { if (child.exitCode !== null) return resolve(); child.removeAllListeners('exit'); child.on('exit', () => resolve()); child.kill('SIGINT'); });

/** A hotline with an SMS line (sms-hotline.ts) and an advocate who signs in to the console. */
async function setup(url: string, masterKey: string) {
  const { db, ctx, hotlineId, number } = await setupSmsHotline(url, masterKey);
  const email = `advocate-${randomBytes(3).toString('hex')}@bench.example.org`;
  const created = await createUser(ctx, hotlineId, { email, displayName: 'Bench advocate', roles: ['advocate'], password: PASSWORD, totpSecret: TOTP_SECRET }, { id: null, label: 'bench' });
  if (!created.ok) throw new Error(created.error.message);
  return { db, number, email, hotlineId };
}

async function signIn(base: string, email: string) {
  let cookie = '';
  let csrf = '';
  const call = async (p: string, body: unknown) => {
    const res = await fetch(base + p, { method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf }, body: JSON.stringify(body) });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) cookie = setCookie.split(';')[0];
    const json = (await res.json()) as { csrfToken?: string };
    if (json.csrfToken) csrf = json.csrfToken;
    return json;
  };
  await call('/api/auth/login', { email, password: PASSWORD });
  await call('/api/auth/mfa/verify', { code: new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(TOTP_SECRET) }).generate() });
  return cookie;
}

/** Signed webhook requests, each from a new number (a new contact: the heaviest path), built before the clock starts. */
function prepare(base: string, number: string, count: number, tag: string) {
  const url = `${base}/api/webhooks/twilio/messaging`;
  const { host, pathname } = new URL(url);
  return Array.from({ length: count }, (_, i) => {
    const params: Record<string, string> = { MessageSid: `SM${randomBytes(16).toString('hex')}`, AccountSid: 'AC' + '0'.repeat(32), From: `+1${tag}${String(i).padStart(7, '0')}`, To: number, Body: `bench message ${i} about a workplace`, NumMedia: '0' };
    let data = url;
    for (const k of Object.keys(params).sort()) data += k + params[k];
    const signature = createHmac('sha1', TOKEN).update(data).digest('base64');
    // Spread over 64 client addresses (X-Forwarded-For, trusted below) as Twilio's many egress addresses would.
    const headers = { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature, 'x-forwarded-for': `10.0.${i % 64}.1` };
    return { sid: params.MessageSid, bytes: buildPost(host, pathname, headers, new URLSearchParams(params).toString()) };
  });
}

/** Open loop on raw sockets (bench/open-loop.ts): the generator's own CPU stays small beside the servers'. */
async function openLoopPost(base: string, requests: ReturnType<typeof prepare>, rate: number, connections: number) {
  const run = await openLoop(base, requests, rate, connections);
  const planned = new Map(requests.map((r, i) => [r.sid, run.plannedAt[i]]));
  const non2xx = run.statuses.filter((s) => s > 0 && (s < 200 || s >= 300)).length;
  return { latencies: run.latencies, planned, errors: run.errors, non2xx, achievedRps: run.achievedRps };
}

/** Where the CPU went during a step: the intake server, the console server, and this database's PostgreSQL backends. */
async function cpuSnapshot(db: Awaited<ReturnType<typeof setup>>['db'], intakePid: number, consolePid: number) {
  const { rows } = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(db);
  const backends = new Map(rows.map((r) => [r.pid, cpuSeconds(r.pid)]));
  // The load generator itself (this process) shares the two cores: its share says how much of the machine is left.
  const self = process.cpuUsage();
  return { intake: cpuSeconds(intakePid), console: cpuSeconds(consolePid), backends, client: (self.user + self.system) / 1e6, at: performance.now() };
}
function cpuShare(before: Awaited<ReturnType<typeof cpuSnapshot>>, after: Awaited<ReturnType<typeof cpuSnapshot>>) {
  const wall = (after.at - before.at) / 1000;
  let postgres = 0;
  for (const [pid, t] of after.backends) postgres += t - (before.backends.get(pid) ?? 0); // a backend opened during the step counts whole
  const pct = (v: number) => Math.round((v / wall) * 100);
  return { intakeServerPct: pct(after.intake - before.intake), consoleServerPct: pct(after.console - before.console), postgresBackendsPct: pct(postgres), loadGeneratorPct: pct(after.client - before.client), wallSeconds: Number(wall.toFixed(1)) };
}

const quantile = (sorted: number[], p: number) => Number((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN).toFixed(1));

async function runTarget(name: string, url: string, masterKey: string, running?: { child: ChildProcess; url: string }) {
  const { db, number, email } = await setup(url, masterKey);
  // Trusting X-Forwarded-For spreads the load over 64 client addresses, as Twilio's many egress addresses would:
  // the webhook rate limit is per address (CATALYST_WEBHOOK_RATE_PER_MINUTE, default 60,000/min).
  const env = { DATABASE_URL: url, CATALYST_MASTER_KEY: masterKey, CATALYST_TRUST_PROXY: 'true' };
  // BENCH_CPU_PROFILE=<dir>: V8 CPU profile of the intake server process (written when it stops).
  const profile = process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [];
  // BENCH_NODE_ARGS: more Node options for the intake server (e.g. --trace-gc, with BENCH_SERVER_LOG to keep them).
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const intake = running ?? (await startServer(env, [...profile, ...nodeArgs]));
  const consoleServer = await startServer(env);
  const results: Record<string, unknown> = {};
  try {
    const cookie = await signIn(consoleServer.url, email);
    const seen = new Map<string, number>();
    const ws = new WebSocket(`${consoleServer.url.replace('http', 'ws')}/api/live`, { headers: { cookie } });
    await new Promise<void>((resolve, reject) => {
      ws.on('message', (data) => {
        const event = JSON.parse(String(data));
        if (event.kind === 'hello') resolve();
        if (event.kind === 'contact.created') seen.set(event.contactId, Date.now());
      });
      ws.on('error', reject);
    });
    // Warm-up: JIT, pools, caches; then two seconds at each rate before its measured run (BENCH_RAMP=0: none), so
    // the figures are the sustained state. The jump itself (from 200/s) is reported apart as `rampP99`.
    await openLoopPost(intake.url, prepare(intake.url, number, 600, '2'), 200, 64);
    const rampSeconds = Number(process.env.BENCH_RAMP ?? 2);
    for (const rate of rates) {
      const ramp = rampSeconds > 0 ? await openLoopPost(intake.url, prepare(intake.url, number, rate * rampSeconds, String(7 + rates.indexOf(rate))), rate, 256) : null;
      const rampP99 = ramp ? quantile([...ramp.latencies].sort((a, b) => a - b), 0.99) : null;
      const requests = prepare(intake.url, number, rate * seconds, String(3 + rates.indexOf(rate)));
      const before = await cpuSnapshot(db, intake.child.pid!, consoleServer.child.pid!);
      const run = await openLoopPost(intake.url, requests, rate, 256);
      const cpu = cpuShare(before, await cpuSnapshot(db, intake.child.pid!, consoleServer.child.pid!));
      await new Promise((r) => setTimeout(r, 1500)); // let the last events arrive
      // BENCH_DUMP=<file>: each request's planned start (s into the run) and latency (ms), to see when the slow ones were.
      if (process.env.BENCH_DUMP) fs.writeFileSync(process.env.BENCH_DUMP, `# t0 ${run.planned.get(requests[0].sid)!.toFixed(1)} (ms since the epoch)\n` + requests.map((r, i) => `${((run.planned.get(r.sid)! - run.planned.get(requests[0].sid)!) / 1000).toFixed(3)} ${run.latencies[i].toFixed(1)}`).join('\n'));
      const sorted = [...run.latencies].sort((a, b) => a - b);
      const rows = await db.selectFrom('contact_message').select(['external_id', 'contact_id']).where('external_id', 'in', requests.map((r) => r.sid)).execute();
      const feed = rows.map((row) => (seen.get(row.contact_id) ?? Infinity) - run.planned.get(row.external_id!)!).sort((a, b) => a - b);
      results[rate] = {
        offeredRps: rate, rampP99, achievedRps: run.achievedRps, requests: sorted.length, p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), p99: quantile(sorted, 0.99), max: quantile(sorted, 0.9999),
        non2xx: run.non2xx, errors: run.errors, stored: rows.length,
        liveFeed: { seen: feed.filter(Number.isFinite).length, p50: quantile(feed, 0.5), p99: quantile(feed, 0.99), max: quantile(feed, 1) },
        cpu: { ...cpu, loadAverage1m: Number(os.loadavg()[0].toFixed(2)) },
      };
      console.log(name, rate, JSON.stringify(results[rate]));
    }
    // A burst of new connections at once (BENCH_BURST, default 1000; 0: none) on the otherwise idle server: the
    // listen backlog must hold them all, or some wait a second or more for the kernel's retransmission.
    const burstSize = Number(process.env.BENCH_BURST ?? 1000);
    if (burstSize > 0) {
      const burst = await newConnectionBurst(intake.url, prepare(intake.url, number, burstSize, '9'));
      const sorted = [...burst.latencies].sort((a, b) => a - b);
      results.newConnectionBurst = { connections: burstSize, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: quantile(sorted, 1), overOneSecond: sorted.filter((l) => l >= 1000).length, non2xx: burst.statuses.filter((s) => s > 0 && (s < 200 || s >= 300)).length, errors: burst.errors };
      console.log(name, 'new-connection burst', JSON.stringify(results.newConnectionBurst));
    }
    ws.close();
  } finally {
    await stop(intake.child);
    await stop(consoleServer.child);
    await db.destroy();
  }
  return results;
}

async function external() {
  const admin = 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `catalyst_bench_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client(admin);
  await client.connect();
  await client.query(`create database ${name}`);
  try {
    // BENCH_PG_SOCKET=/var/run/postgresql: the servers reach the same PostgreSQL over its Unix socket instead of TCP.
    const url = process.env.BENCH_PG_SOCKET ? `postgres://postgres@localhost/${name}?host=${encodeURIComponent(process.env.BENCH_PG_SOCKET)}` : admin.replace(/\/postgres$/, `/${name}`);
    return await runTarget(process.env.BENCH_PG_SOCKET ? 'external-socket' : 'external', url, randomBytes(32).toString('base64'));
  } finally {
    await client.query(`drop database if exists ${name} with (force)`);
    await client.end();
  }
}

/** The embedded PostgreSQL of a first `catalyst start`; the second server process shares it through DATABASE_URL. */
async function embedded() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalyst-bench-'));
  const pgPort = await freeLoopbackPort();
  const masterKey = randomBytes(32).toString('base64');
  // The intake server owns the embedded cluster, as `npm start` does.
  const owner = await startServer({ CATALYST_DATA_DIR: dataDir, CATALYST_PG_PORT: String(pgPort), DATABASE_URL: '', CATALYST_MASTER_KEY: masterKey, CATALYST_TRUST_PROXY: 'true' });
  try {
    const password = fs.readFileSync(path.join(dataDir, 'pg-password'), 'utf8').trim();
    return await runTarget('embedded', `postgres://catalyst:${encodeURIComponent(password)}@127.0.0.1:${pgPort}/catalyst`, masterKey, owner);
  } finally {
    await stop(owner.child);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const report: Record<string, unknown> = {};
if (target === 'external' || target === 'both') report.external = await external();
if (target === 'embedded' || target === 'both') report.embedded = await embedded();
console.log(JSON.stringify(report, null, 1));
console.log(`\nmachine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.cpus()[0].model}; date ${new Date().toISOString().slice(0, 10)}`);
