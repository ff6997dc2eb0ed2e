import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/db.js';
import { runCli } from './run.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let env: Record<string, string>;
const masterKey = randomBytes(32).toString('base64');

beforeAll(async () => {
  database = await createTestDatabase();
  env = { DATABASE_URL: database.url, CATALYST_MASTER_KEY: masterKey };
});
afterAll(() => database?.drop());

describe('catalyst CLI', () => {
  // Nine processes at once, not one after another: each start of Node takes seconds when the whole suite runs on two cores.
  it('prints help for every command', async () => {
    const commands = [['--help'], ['start', '--help'], ['migrate', '--help'], ['seed', '--help'], ['user', 'create', '--help'], ['user', 'reset-password', '--help'], ['user', 'deactivate', '--help'], ['audit', 'verify', '--help'], ['keys', 'rotate', '--help']];
    const results = await Promise.all(commands.map((args) => runCli(args, env)));
    results.forEach((result, i) => {
      expect({ args: commands[i], code: result.code }).toEqual({ args: commands[i], code: 0 });
      expect(result.stdout).toMatch(/Usage: catalyst/);
    });
  }, 60_000);

  it('fails clearly on a mistake: unknown command, bad option value, missing hotline', async () => {
    const unknown = await runCli(['frobnicate'], env);
    expect(unknown.code).toBe(2);
    const badSize = await runCli(['seed', '--demo', '--size', 'lots'], env);
    expect(badSize.code).toBe(2);
    expect(badSize.stderr).toContain('--size must be an integer');
    const noHotline = await runCli(['user', 'create', '--email', 'a@example.org', '--name', 'A', '--role', 'advocate', '--hotline', 'nowhere'], env);
    expect(noHotline.code).toBe(4);
    expect(noHotline.stderr).toContain('No hotline with slug "nowhere"');
  });

  it('migrates, seeds the demo reproducibly, and refuses to seed twice', async () => {
    expect((await runCli(['migrate', '--json'], env)).json).toEqual({ applied: [] });
    const seeded = await runCli(['seed', '--demo', '--size', '200', '--json'], env);
    expect(seeded.code).toBe(0);
    expect(seeded.json.hotlines).toEqual(['demo', 'demo-mx']);
    expect(seeded.json.staff).toBe(2 * (6 + 4));
    expect(seeded.json.contacts).toBe(200 + 50);
    const names = await database.db.selectFrom('app_user').select('display_name').orderBy('email').execute();
    expect(names.some((n) => /[áéíóúñçèêëïôû]/i.test(n.display_name))).toBe(true);
    const again = await runCli(['seed', '--demo'], env);
    expect(again.code).toBe(5);
    expect(again.stderr).toContain('already exists');
  });

  it('creates, resets and deactivates a user', async () => {
    const created = await runCli(['user', 'create', '--hotline', 'demo', '--email', 'cli.user@example.org', '--name', 'Cli User', '--role', 'advocate,qa_reviewer', '--json'], env);
    expect(created.code).toBe(0);
    expect(created.json.user.roles).toEqual(['advocate', 'qa_reviewer']);
    expect(created.json.temporaryPassword).toMatch(/^\w{4}-/);
    const duplicate = await runCli(['user', 'create', '--hotline', 'demo', '--email', 'cli.user@example.org', '--name', 'X', '--role', 'advocate'], env);
    expect(duplicate.code).toBe(5);
    expect(duplicate.stderr).toContain('already exists');
    const badRole = await runCli(['user', 'create', '--hotline', 'demo', '--email', 'x@example.org', '--name', 'X', '--role', 'wizard'], env);
    expect(badRole.code).toBe(2);
    const reset = await runCli(['user', 'reset-password', '--email', 'cli.user@example.org', '--json'], env);
    expect(reset.json.temporaryPassword).not.toBe(created.json.temporaryPassword);
    const deactivated = await runCli(['user', 'deactivate', '--email', 'cli.user@example.org', '--json'], env);
    expect(deactivated.json.user.isActive).toBe(false);
    expect((await runCli(['user', 'deactivate', '--email', 'nobody@example.org'], env)).code).toBe(4);
  });

  it('rotates data keys with re-encryption, then the master key, without losing readability', async () => {
    const rotated = await runCli(['keys', 'rotate', '--reencrypt', '--json'], env);
    expect(rotated.code).toBe(0);
    expect(rotated.json.rotated).toHaveLength(2);
    expect(rotated.json.rotated.every((r: { version: number }) => r.version === 2)).toBe(true);

    const newKey = randomBytes(32).toString('base64');
    const master = await runCli(['keys', 'rotate', '--master', '--json'], { ...env, CATALYST_NEW_MASTER_KEY: newKey });
    expect(master.code).toBe(0);
    expect(master.json.rewrapped).toBe(2 * 3);
    // The old master key alone no longer opens the keys; the new one does.
    expect((await runCli(['keys', 'rotate', '--json'], env)).code).not.toBe(0);
    expect((await runCli(['keys', 'rotate', '--reencrypt', '--json'], { ...env, CATALYST_MASTER_KEY: newKey })).code).toBe(0);
  });

  it('verifies the audit log, and exits 6 naming the row after tampering', async () => {
    const ok = await runCli(['audit', 'verify', '--json'], env);
    expect(ok.code).toBe(0);
    expect(ok.json.ok).toBe(true);
    expect(ok.json.checked).toBeGreaterThan(5);
    const demo = await database.db.selectFrom('hotline').select('id').where('slug', '=', 'demo').executeTakeFirstOrThrow();
    await database.db.transaction().execute(async (tx) => {
      await sql`alter table audit_log disable trigger audit_log_no_update`.execute(tx);
      await sql`update audit_log set actor_label = 'someone else' where chain = ${demo.id} and seq = 2`.execute(tx);
      await sql`alter table audit_log enable trigger audit_log_no_update`.execute(tx);
    });
    const bad = await runCli(['audit', 'verify', '--hotline', 'demo'], env);
    expect(bad.code).toBe(6);
    expect(bad.stdout).toContain(`audit row ${demo.id}#2 was edited`);
  });
});
