/**
 * Directory budgets (issue 6): importing a 20,000-service HSDS tabular datapackage in under 30 s, and matching over a
 * directory of 20,000 services with a p95 under 50 ms.
 * Run: npx tsx bench/directory.bench.ts [services, default 20000] [match queries, default 300]
 * Uses PostgreSQL at BENCH_DATABASE_URL (an admin URL; default postgres://postgres@127.0.0.1:5432/postgres), in a
 * throw-away database. Figures go to docs/benchmarks.md with the machine and date.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { createDb } from '../src/server/db/db.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { KeyStore } from '../src/server/crypto/keystore.js';
import { buildKeyring } from '../src/server/crypto/master-key.js';
import { createHotline } from '../src/server/hotlines/hotlines.repo.js';
import { importDirectory, readImportSource } from '../src/server/directory/directory.service.js';
import { bumpDirectoryVersion, matchServices } from '../src/server/directory/match.js';
import { DEFAULT_NEEDS, ACCEPTS_FLAGS } from '../src/shared/directory/needs.js';

const SERVICES = Number(process.argv[2] ?? 20_000);
const QUERIES = Number(process.argv[3] ?? 300);
const IMPORT_BUDGET_S = 30;
const MATCH_BUDGET_MS = 50;

/** A small deterministic generator (mulberry32) so runs are comparable. */
function seeded(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const uuid = (kind: number, n: number) => `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const csv = (rows: (string | number)[][]) => rows.map((r) => r.map((v) => (typeof v === 'string' && /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : String(v))).join(',')).join('\n') + '\n';

const AREAS = ['CA-ON', 'CA-QC', 'CA-BC', 'CA-AB', 'CA-MB', 'CA-NS', 'CA-SK', 'CA-NB'];
const LANGS = [['en', 'English'], ['fr', 'French'], ['es', 'Spanish'], ['ti', 'Tigrinya'], ['tl', 'Tagalog'], ['uk', 'Ukrainian'], ['zh', 'Chinese'], ['ar', 'Arabic']];

async function writeDatapackage(dir: string, services: number) {
  const random = seeded(6);
  const orgCount = Math.ceil(services / 4);
  const orgs: (string | number)[][] = [['id', 'name', 'description']];
  for (let o = 0; o < orgCount; o++) orgs.push([uuid(1, o), `Partner ${o}`, `Partner organisation ${o}`]);
  const svc: (string | number)[][] = [['id', 'organization_id', 'name', 'status', 'description']];
  const loc: (string | number)[][] = [['id', 'organization_id', 'location_type', 'name', 'latitude', 'longitude']];
  const sal: (string | number)[][] = [['id', 'service_id', 'location_id']];
  const areas: (string | number)[][] = [['id', 'service_id', 'name', 'extent', 'extent_type']];
  const langs: (string | number)[][] = [['id', 'service_id', 'code', 'name']];
  const sched: (string | number)[][] = [['id', 'service_id', 'freq', 'byday', 'opens_at', 'closes_at']];
  const phones: (string | number)[][] = [['id', 'service_id', 'number']];
  const attrs: (string | number)[][] = [['id', 'link_id', 'link_entity', 'taxonomy_term_id', 'link_type']];
  let lang = 0;
  let attr = 0;
  for (let s = 0; s < services; s++) {
    const org = Math.floor(s / 4);
    svc.push([uuid(2, s), uuid(1, org), `Service ${s}`, 'active', 'Support for people affected by trafficking']);
    loc.push([uuid(3, s), uuid(1, org), 'physical', `Site ${s}`, (42 + random() * 12).toFixed(5), (-123 + random() * 60).toFixed(5)]);
    sal.push([uuid(4, s), uuid(2, s), uuid(3, s)]);
    areas.push([uuid(5, s), uuid(2, s), AREAS[s % AREAS.length], AREAS[s % AREAS.length], 'text']);
    for (let k = 0; k < 2; k++) { const [code, name] = LANGS[Math.floor(random() * LANGS.length)]; langs.push([uuid(6, lang++), uuid(2, s), code, name]); }
    sched.push([uuid(7, s), uuid(2, s), 'WEEKLY', random() < 0.2 ? 'MO,TU,WE,TH,FR,SA,SU' : 'MO,TU,WE,TH,FR', random() < 0.2 ? '00:00' : '09:00', random() < 0.2 ? '23:59' : '17:00']);
    phones.push([uuid(8, s), uuid(2, s), `+1 555 ${String(s).padStart(7, '0')}`]);
    for (let k = 0; k < 2; k++) attrs.push([uuid(9, attr++), uuid(2, s), 'service', DEFAULT_NEEDS[Math.floor(random() * DEFAULT_NEEDS.length)].id, 'need']);
  }
  const files: Record<string, (string | number)[][]> = {
    'organizations.csv': orgs, 'services.csv': svc, 'locations.csv': loc, 'service_at_location.csv': sal, 'service_areas.csv': areas,
    'languages.csv': langs, 'schedules.csv': sched, 'phones.csv': phones, 'attributes.csv': attrs,
  };
  for (const [file, rows] of Object.entries(files)) await fs.writeFile(path.join(dir, file), csv(rows));
  return orgCount;
}

async function main() {
  console.log(`directory bench · ${new Date().toISOString()} · node ${process.version} · ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'} · ${SERVICES} services`);
  const admin = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `catalyst_bench_dir_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client(admin);
  await client.connect();
  await client.query(`create database ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), { max: 4 });
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hsds-bench-'));
  let ok = true;
  try {
    await migrateToLatest(db);
    const keys = new KeyStore(db, buildKeyring(randomBytes(32).toString('base64')));
    const hotline = await db.transaction().execute((tx) => createHotline(tx, keys, { slug: 'bench', name: 'Bench', country: 'CA', timezone: 'America/Toronto' }));
    const orgCount = await writeDatapackage(dir, SERVICES);

    const t0 = performance.now();
    const source = await readImportSource(dir);
    if (!source.ok) throw new Error(source.error.message);
    const report = await importDirectory(db, hotline.id, source.value, { id: null, label: 'bench' });
    const importSeconds = (performance.now() - t0) / 1000;
    const importOk = importSeconds < IMPORT_BUDGET_S && report.rejected.length === 0;
    ok &&= importOk;
    console.log(`import: ${SERVICES} services, ${source.value.candidates.length} rows in ${importSeconds.toFixed(1)} s (rejected ${report.rejected.length}) | budget < ${IMPORT_BUDGET_S} s: ${importOk ? 'OK' : 'OVER'}`);

    await db.updateTable('directory_partner').set({ vetting_status: 'vetted', accepts: JSON.stringify({ men: true, minors: false }) }).where('hotline_id', '=', hotline.id).execute();
    await bumpDirectoryVersion(db, hotline.id);
    await sql`analyze`.execute(db);

    const random = seeded(11);
    const t1 = performance.now();
    await matchServices(db, hotline.id, { needs: ['shelter'] });
    console.log(`index build after a change (first match): ${(performance.now() - t1).toFixed(0)} ms`);
    const samples: number[] = [];
    let results = 0;
    for (let i = 0; i < QUERIES + 20; i++) {
      const needs = [DEFAULT_NEEDS[Math.floor(random() * DEFAULT_NEEDS.length)].key];
      const request = {
        needs,
        ...(i % 2 ? { areaCode: `${AREAS[i % AREAS.length]}-X` } : { point: { lat: 42 + random() * 12, lon: -123 + random() * 60 } }),
        language: LANGS[i % LANGS.length][0],
        population: i % 3 === 0 ? { [ACCEPTS_FLAGS[i % ACCEPTS_FLAGS.length]]: true } : {},
        at: new Date(Date.UTC(2026, 0, 5 + (i % 7), i % 24)),
        limit: 20,
      };
      const start = performance.now();
      const matches = await matchServices(db, hotline.id, request);
      if (i >= 20) samples.push(performance.now() - start); // the first 20 warm up
      results += matches.length;
    }
    samples.sort((a, b) => a - b);
    const q = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))];
    const matchOk = q(0.95) < MATCH_BUDGET_MS;
    ok &&= matchOk;
    console.log(`match: ${QUERIES} queries over ${SERVICES} services (${orgCount} partners) | p50 ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, max ${samples[samples.length - 1].toFixed(1)} ms | budget p95 < ${MATCH_BUDGET_MS} ms: ${matchOk ? 'OK' : 'OVER'} (mean results ${(results / (QUERIES + 20)).toFixed(1)})`);
  } finally {
    await db.destroy();
    await client.query(`drop database if exists ${name} with (force)`);
    await client.end();
    await fs.rm(dir, { recursive: true, force: true });
  }
  process.exitCode = ok ? 0 : 1;
}

await main();
