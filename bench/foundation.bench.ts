/**
 * Foundation budgets (issue 2): start-up time (first and later starts, embedded PostgreSQL), idle RSS of the server
 * process, and an authenticated read of one record at 200 concurrent requests on loopback.
 * Run: npx tsx bench/foundation.bench.ts   (needs `npm run build`; uses PostgreSQL at 127.0.0.1:5432 for the load part)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { freeLoopbackPort } from '../test/helpers/port.js';
import { openLoop } from './load.js';
import pg from 'pg';
import * as OTPAuth from 'otpauth';

const BIN = new URL('../bin/catalyst.js', import.meta.url).pathname;

function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; ms: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'start'], { env: { ...process.env, PORT: '0', LOG_LEVEL: 'error', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d;
      const m = out.match(/ready at (http:\/\/\S+)/);
      if (m) resolve({ child, url: m[1], ms: performance.now() - started });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

const stop = (child: ChildProcess) => new Promise<void>((resolve) => { child.removeAllListeners('exit'); child.on('exit', () => resolve()); child.kill('SIGINT'); });
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

async function startupBench() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalyst-bench-'));
  const env = { CATALYST_DATA_DIR: dataDir, CATALYST_PG_PORT: String(await freeLoopbackPort()), DATABASE_URL: '', CATALYST_MASTER_KEY: '' };
  const first = await startServer(env);
  await stop(first.child);
  const later: number[] = [];
  for (let i = 0; i < 3; i++) {
    const s = await startServer(env);
    later.push(s.ms);
    if (i < 2) await stop(s.child);
    else {
      await new Promise((r) => setTimeout(r, 3000));
      const idle = rssMb(s.child.pid!);
      await stop(s.child);
      fs.rmSync(dataDir, { recursive: true, force: true });
      return { firstStartMs: first.ms, laterStartMs: later, idleRssMb: idle };
    }
  }
  throw new Error('unreachable');
}

async function readBench() {
  const admin = 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `catalyst_bench_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client(admin);
  await client.connect();
  await client.query(`create database ${name}`);
  const url = admin.replace(/\/postgres$/, `/${name}`);
  const masterKey = randomBytes(32).toString('base64');
  const env = { DATABASE_URL: url, CATALYST_MASTER_KEY: masterKey };
  try {
    const server = await startServer(env); // seeds the demo
    // Give the demo admin a known TOTP secret through the CLI-free path: enrol via the API like a user would.
    const jar: Record<string, string> = {};
    const call = async (method: string, p: string, body?: unknown) => {
      const res = await fetch(server.url + p, { method, headers: { 'content-type': 'application/json', cookie: jar.cookie ?? '', 'x-csrf-token': jar.csrf ?? '' }, body: body === undefined ? undefined : JSON.stringify(body) });
      const setCookie = res.headers.get('set-cookie');
      if (setCookie) jar.cookie = setCookie.split(';')[0];
      const json = res.headers.get('content-type')?.includes('json') ? await res.json() : null;
      if (json?.csrfToken) jar.csrf = json.csrfToken;
      return json;
    };
    await call('POST', '/api/auth/login', { email: 'admin@demo.example.org', password: 'demo-password-catalyst' });
    const enrol = await call('POST', '/api/auth/mfa/enrol/start', {});
    const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(enrol.secret) }).generate();
    await call('POST', '/api/auth/mfa/enrol/confirm', { code });
    const users = await call('GET', '/api/admin/users');
    const target = users.items[3].id;
    const run = (connections: number, duration: number) =>
      autocannon({ url: `${server.url}/api/admin/users/${target}`, connections, duration, headers: { cookie: jar.cookie } });
    const summary = (r: autocannon.Result) => ({ requests: r.requests.total, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors });
    await run(50, 3); // warm-up
    // Closed loop: 200 connections each sending its next request as soon as the last one answers (saturation).
    const saturated = summary(await run(200, 10));
    // Open loop: a fixed offered rate over up to 200 connections, the way real traffic arrives.
    const atRate: Record<string, unknown> = {};
    for (const rate of [250, 500, 1000, 1500]) {
      atRate[rate] = await openLoop({ url: `${server.url}/api/admin/users/${target}`, headers: { cookie: jar.cookie }, rate, seconds: 8, connections: 200 });
    }
    const rss = rssMb(server.child.pid!);
    await stop(server.child);
    return { saturated, atRate, rssAfterLoadMb: rss };
  } finally {
    await client.query(`drop database if exists ${name} with (force)`);
    await client.end();
  }
}

const startup = await startupBench();
console.log('startup', JSON.stringify(startup));
const read = await readBench();
console.log('read', JSON.stringify(read));
console.log(`\nmachine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.cpus()[0].model}; date ${new Date().toISOString().slice(0, 10)}`);
