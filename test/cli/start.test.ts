import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LISTEN_BACKLOG } from '../../src/server/main.js';
import { freeLoopbackPort } from '../helpers/port.js';
import { BIN } from './run.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalyst-start-'));
const pgPort = await freeLoopbackPort();
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** Starts `catalyst start` on the embedded database, as `npm start` does, and waits for its banner. */
function start(): Promise<{ child: ChildProcess; url: string; banner: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, CATALYST_DATA_DIR: dataDir, CATALYST_PG_PORT: String(pgPort), PORT: '0', LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  delete env.CATALYST_MASTER_KEY;
  const child = spawn(process.execPath, [BIN, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (d: Buffer) => {
      output += d;
      const match = output.match(/Catalyst is ready at (http:\/\/\S+)/);
      if (match && output.includes('Press Ctrl-C')) resolve({ child, url: match[1], banner: output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`catalyst exited early (${code}): ${output}`)));
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', (code) => resolve(code));
    child.kill('SIGINT');
  });
}

describe('catalyst start on the embedded database', () => {
  it('initialises, migrates, seeds and prints the demo logins; Ctrl-C stops PostgreSQL too; a second start reuses the data', async () => {
    const first = await start();
    expect(first.banner).toContain('Demo logins');
    expect(first.banner).toContain('admin@demo.example.org');
    expect(first.banner).toMatch(/master key file/i);
    expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
    // A deep accept queue (main.ts LISTEN_BACKLOG): `ss` shows a listening socket's backlog as its Send-Q.
    const somaxconn = Number(fs.readFileSync('/proc/sys/net/core/somaxconn', 'utf8'));
    const listening = execFileSync('ss', ['-ltnH', `sport = :${new URL(first.url).port}`], { encoding: 'utf8' }).trim().split(/\s+/);
    expect(Number(listening[2])).toBe(Math.min(LISTEN_BACKLOG, somaxconn));
    expect(Number(listening[2])).toBeGreaterThan(511); // Node's default
    const session = await (await fetch(`${first.url}/api/auth/session`)).json();
    expect(session.state).toBe('anonymous');
    expect(fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(true);
    expect(fs.statSync(path.join(dataDir, 'master.key')).mode & 0o077).toBe(0);

    expect(await stop(first.child)).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);

    const second = await start();
    expect(second.banner).not.toContain('Demo logins');
    const login = await fetch(`${second.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@demo.example.org', password: 'demo-password-catalyst' }) });
    expect((await login.json()).state).toBe('mfa_enrol_required');
    expect(await stop(second.child)).toBe(0);
  }, 90_000);
});

describe('catalyst start when the embedded PostgreSQL cannot start', () => {
  it('says that its port is taken and which setting changes it, without a stack trace', async () => {
    const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalyst-start-busy-'));
    const port = await freeLoopbackPort();
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, CATALYST_DATA_DIR: otherDir, CATALYST_PG_PORT: String(port), PORT: '0', LOG_LEVEL: 'warn' };
      delete env.DATABASE_URL;
      delete env.CATALYST_MASTER_KEY;
      const child = spawn(process.execPath, [BIN, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d));
      child.stdout!.resume();
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(1);
      expect(stderr).toContain(`could not listen on 127.0.0.1:${port}: the port is in use`);
      expect(stderr).toContain('CATALYST_PG_PORT');
      expect(stderr).not.toMatch(/TypeError|unexpected failure|\n\s+at /);
      expect(fs.existsSync(path.join(otherDir, 'pg', 'postmaster.pid'))).toBe(false);
    } finally {
      squatter.close();
      fs.rmSync(otherDir, { recursive: true, force: true });
    }
  }, 90_000);
});
