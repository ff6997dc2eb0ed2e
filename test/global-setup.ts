import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs/promises';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createDb } from '../src/server/db/db.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { startEmbeddedPostgres } from '../src/server/db/embedded.js';
import { createLogger } from '../src/server/log.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    templateDatabase: string;
  }
}

const TEMPLATE = `catalyst_template_${process.pid}`;

/**
 * One PostgreSQL for the whole run: CATALYST_TEST_DATABASE_URL, else the server at 127.0.0.1:5432 when it answers,
 * else an embedded cluster. A migrated template database is made once; each test file clones it (fast and isolated).
 */
export default async function setup(project: TestProject) {
  let adminUrl = process.env.CATALYST_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!(await answers(adminUrl))) {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'catalyst-test-pg-'));
    const embedded = await startEmbeddedPostgres(dir, 54330 + (process.pid % 500), createLogger('warn'));
    adminUrl = embedded.url.replace(/\/catalyst$/, '/postgres');
    stopEmbedded = async () => {
      await embedded.stop();
      await fs.rm(dir, { recursive: true, force: true });
    };
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${TEMPLATE}`);
  await admin.query(`create database ${TEMPLATE}`);
  const db = createDb(withDatabase(adminUrl, TEMPLATE), { max: 2 });
  await migrateToLatest(db);
  await db.destroy();
  project.provide('pgAdminUrl', adminUrl);
  project.provide('templateDatabase', TEMPLATE);

  return async () => {
    // Drop databases the test files left behind (a crashed file cannot drop its own).
    const { rows } = await admin.query(`select datname from pg_database where datname like $1 or datname = $2`, [`catalyst_t_${process.pid}_%`, TEMPLATE]);
    for (const { datname } of rows) await admin.query(`drop database if exists "${datname}" with (force)`);
    await admin.end();
    await stopEmbedded?.();
  };
}

async function answers(url: string) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

export function withDatabase(url: string, database: string) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
