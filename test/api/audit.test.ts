import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/server/audit/audit.js';
import { sealEverything } from '../helpers/audit.js';
import { ApiClient } from '../helpers/client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let admin: ApiClient;
beforeAll(async () => {
  server = await startTestServer({ listen: false });
  admin = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['admin'] }));
  for (let i = 0; i < 5; i++) await admin.post('/api/admin/users', { email: `audit${i}@example.org`, displayName: `Audit ${i}`, roles: ['advocate'] });
});
afterAll(() => server?.close());

/** Tampering needs the append-only trigger off: what an attacker with database superuser rights would do. */
async function tamper(statement: ReturnType<typeof sql>) {
  await server.db.transaction().execute(async (tx) => {
    await sql`alter table audit_log disable trigger audit_log_no_update`.execute(tx);
    await statement.execute(tx);
    await sql`alter table audit_log enable trigger audit_log_no_update`.execute(tx);
  });
}

describe('audit log', () => {
  it('records sign-ins and writes, filters them, and audits the reading of the log itself', async () => {
    const all = await admin.get('/api/admin/audit?limit=200');
    const actions = all.body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['auth.sign_in', 'user.create']));
    const creates = await admin.get('/api/admin/audit?action=user.create');
    expect(creates.body.items.length).toBe(6);
    expect(creates.body.items.every((e: { action: string }) => e.action === 'user.create')).toBe(true);
    const auth = await admin.get('/api/admin/audit?action=auth.*');
    expect(auth.body.items.every((e: { action: string }) => e.action.startsWith('auth.'))).toBe(true);
    const page = await admin.get('/api/admin/audit?limit=2');
    expect(page.body.nextBefore).toBe(page.body.items[1].id);
    const next = await admin.get(`/api/admin/audit?limit=2&before=${page.body.nextBefore}`);
    expect(next.body.items[0].id).toBeLessThan(page.body.items[1].id);
    expect((await admin.get('/api/admin/audit?action=audit.read')).body.items.length).toBeGreaterThan(0);
  });

  it('seals rows into a gap-free chain per hotline, in commit order', async () => {
    await sealEverything(server.db);
    const rows = await server.db.selectFrom('audit_log').select(['seq', 'prev_hash', 'hash']).where('chain', '=', server.hotline.id).orderBy('seq').execute();
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash!.equals(rows[i - 1].hash!)).toBe(true);
    await expect(sql`update audit_log set seq = seq + 100 where chain = ${server.hotline.id} and seq = 1`.execute(server.db)).rejects.toThrow(/append-only/);
  });

  it('refuses to update or delete audit rows', async () => {
    await expect(sql`update audit_log set action = 'x'`.execute(server.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(server.db)).rejects.toThrow(/append-only/);
  });

  it('verifies an intact chain', async () => {
    const result = await verifyAudit(server.db, { hotlineId: server.hotline.id });
    expect(result.ok).toBe(true);
    expect(result.checked).toBeGreaterThan(8);
    expect((await admin.get('/api/admin/audit/verify')).body.ok).toBe(true);
  });

  it('names an edited row, a deleted row in the middle and a deleted last row', async () => {
    const isolated = await startTestServer({ listen: false });
    try {
      const client = await new ApiClient(isolated.app).signIn(await isolated.createUser({ roles: ['admin'] }));
      for (let i = 0; i < 4; i++) await client.post('/api/admin/users', { email: `t${i}@example.org`, displayName: `T ${i}`, roles: ['advocate'] });
      const chain = isolated.hotline.id;
      await sealEverything(isolated.db);
      const rows = await isolated.db.selectFrom('audit_log').select('seq').where('chain', '=', chain).orderBy('seq').execute();
      const last = rows[rows.length - 1].seq;
      const run = async (s: ReturnType<typeof sql>) =>
        isolated.db.transaction().execute(async (tx) => {
          await sql`alter table audit_log disable trigger audit_log_no_update`.execute(tx);
          await s.execute(tx);
          await sql`alter table audit_log enable trigger audit_log_no_update`.execute(tx);
        });
      await run(sql`update audit_log set details = '{"roles":["admin"]}' where chain = ${chain} and seq = 3`);
      await run(sql`delete from audit_log where chain = ${chain} and seq = 5`);
      await run(sql`delete from audit_log where chain = ${chain} and seq = ${last}`);
      const result = await verifyAudit(isolated.db, { hotlineId: chain });
      expect(result.ok).toBe(false);
      expect(result.problems).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ seq: 3, kind: 'edited' }),
          expect.objectContaining({ seq: 5, kind: 'missing' }),
          expect.objectContaining({ seq: last, kind: 'missing' }),
        ]),
      );
      const viaApi = await client.get('/api/admin/audit/verify');
      expect(viaApi.body.ok).toBe(false);
      expect(viaApi.body.problems.map((p: { seq: number }) => p.seq)).toEqual(expect.arrayContaining([3, 5, last]));
    } finally {
      await isolated.close();
    }
  });

  it('detects a row whose hash was recomputed to hide an edit (the next row no longer links)', async () => {
    await sealEverything(server.db);
    const rows = await server.db.selectFrom('audit_log').select(['seq']).where('chain', '=', server.hotline.id).orderBy('seq').execute();
    const target = rows[2].seq!;
    await tamper(sql`update audit_log set action = 'user.list', hash = sha256(hash) where chain = ${server.hotline.id} and seq = ${target}`);
    const result = await verifyAudit(server.db, { hotlineId: server.hotline.id });
    expect(result.problems.map((p) => `${p.seq}:${p.kind}`)).toEqual(expect.arrayContaining([`${target}:edited`, `${target + 1}:broken_link`]));
  });
});
