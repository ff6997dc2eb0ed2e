/**
 * What one call of the intake function (`intake_record_signals`, migration 0032) costs PostgreSQL, without HTTP, Node
 * or other load: calls of N signals one after another on one connection, each from a new correspondent (a new
 * thread and contact, the costliest case), and the backend's CPU time per call read from /proc. Fitting
 * cpu(N) = fixed + N × perSignal tells what a bigger batch saves and what each signal costs.
 *
 *   npx tsx bench/intake-function.bench.ts [calls per size, default 300] [sizes, default 1,5,10,25,50]
 *
 * BENCH_SQL='<statements>' runs on the bench database before measuring (e.g. to see what an index costs:
 * BENCH_SQL='drop trigger metrics_dirty_contact_insert on contact'). The external PostgreSQL at 127.0.0.1:5432 on this machine only
 * (it reads the backend's /proc entry); the audit sealer is not running, so its later UPDATE is not counted.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import { sql } from 'kysely';
import { prepareSignal } from '../src/server/intake/intake.service.js';
import { recordSignals } from '../src/server/intake/intake.batch.js';
import { cpuSeconds, setupSmsHotline } from './sms-hotline.js';

const calls = Number(process.argv[2] ?? 300);
const sizes = (process.argv[3] ?? '1,5,10,25,50').split(',').map(Number);

async function main() {
  const admin = 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `catalyst_fnbench_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client(admin);
  await client.connect();
  await client.query(`create database ${name}`);
  const url = admin.replace(/\/postgres$/, `/${name}`);
  // One connection: every call runs in the backend whose CPU time is read.
  const { db, ctx, hotlineId, accessPointId } = await setupSmsHotline(url, randomBytes(32).toString('base64'), { connections: 1 });
  try {
    if (process.env.BENCH_SQL) await sql.raw(process.env.BENCH_SQL).execute(db);
    let n = 0;
    const batch = (size: number) =>
      Promise.all(Array.from({ length: size }, () => {
        n++;
        return prepareSignal(ctx, { hotlineId, channel: 'sms', accessPointId, correspondent: { kind: 'phone', value: `+1555${String(n).padStart(7, '0')}` }, externalId: `SM${randomBytes(16).toString('hex')}`, body: `bench message ${n} about a workplace`, source: 'twilio:sms', ip: '127.0.0.1' });
      }));
    const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db);
    const pid = rows[0].pid;
    // Warm-up: the function's plan, the caches, some rows in the tables.
    for (let i = 0; i < 100; i++) await recordSignals(ctx, await batch(10));
    const results: Record<string, { cpuMsPerCall: number; wallMsPerCall: number; cpuMsPerSignal: number }> = {};
    for (const size of sizes) {
      const prepared = await Promise.all(Array.from({ length: calls }, () => batch(size)));
      const cpu0 = cpuSeconds(pid) * 1000;
      const t0 = performance.now();
      for (const signals of prepared) await recordSignals(ctx, signals);
      const wall = performance.now() - t0;
      const cpu = cpuSeconds(pid) * 1000 - cpu0;
      results[size] = { cpuMsPerCall: Number((cpu / calls).toFixed(3)), wallMsPerCall: Number((wall / calls).toFixed(3)), cpuMsPerSignal: Number((cpu / calls / size).toFixed(3)) };
      process.stderr.write(`${size}: ${JSON.stringify(results[size])}\n`);
    }
    // Least squares over the sizes: cpu per call = fixed + size × perSignal.
    const xs = sizes;
    const ys = sizes.map((s) => results[s].cpuMsPerCall);
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const my = ys.reduce((a, b) => a + b, 0) / ys.length;
    const slope = xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
    console.log(JSON.stringify({ sql: process.env.BENCH_SQL ?? null, results, fit: { fixedMs: Number((my - slope * mx).toFixed(3)), perSignalMs: Number((slope).toFixed(3)) }, machine: `${os.cpus().length} cores, ${os.cpus()[0].model.trim()}`, date: new Date().toISOString().slice(0, 10) }));
  } finally {
    await db.destroy();
    await client.query(`drop database if exists ${name} with (force)`);
    await client.end();
  }
}

await main();
