import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, totpCode } from '../helpers/client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let admin: ApiClient;
beforeAll(async () => {
  server = await startTestServer({ listen: false });
  admin = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['admin'] }));
});
afterAll(() => server?.close());

describe('user administration', () => {
  it('creates a user with a temporary password that must be changed, then enrolment, then access', async () => {
    const created = await admin.post('/api/admin/users', { email: 'New.Advocate@Example.org', displayName: 'Inès Núñez', roles: ['advocate'] });
    expect(created.status).toBe(201);
    expect(created.body.user).toMatchObject({ email: 'new.advocate@example.org', displayName: 'Inès Núñez', roles: ['advocate'], mfaEnrolled: false, mustChangePassword: true });
    expect(created.body.user).not.toHaveProperty('password_hash');
    const temporary = created.body.temporaryPassword as string;
    expect(temporary).toMatch(/^\w{4}-\w{4}-\w{4}-\w{4}$/);

    const client = new ApiClient(server.app);
    expect((await client.post('/api/auth/login', { email: 'new.advocate@example.org', password: temporary })).body.state).toBe('mfa_enrol_required');
    const enrol = await client.post('/api/auth/mfa/enrol/start');
    await client.post('/api/auth/mfa/enrol/confirm', { code: totpCode(enrol.body.secret) });
    const blocked = await client.get('/api/admin/users');
    expect(blocked.status).toBe(403);
    expect((await client.post('/api/auth/password', { currentPassword: temporary, newPassword: 'my own long passphrase' })).status).toBe(204);
    expect((await client.get('/api/auth/session')).body.user.mustChangePassword).toBe(false);
  });

  it('refuses to let an admin deactivate their own account', async () => {
    const me = (await admin.get('/api/auth/session')).body.user.id;
    const res = await admin.post(`/api/admin/users/${me}/deactivate`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
  });

  it('refuses a duplicate email with email_taken', async () => {
    await admin.post('/api/admin/users', { email: 'dup@example.org', displayName: 'A', roles: ['analyst'] });
    const again = await admin.post('/api/admin/users', { email: 'DUP@example.org', displayName: 'B', roles: ['analyst'] });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('email_taken');
  });

  it('names the bad field when input is invalid', async () => {
    const bad = await admin.post('/api/admin/users', { email: 'x@example.org', displayName: 'X', roles: ['wizard'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect(bad.body.error.message).toContain('roles');
  });

  it('changes roles, resets the password, resets MFA, deactivates and reactivates — each audited', async () => {
    const user = await server.createUser({ roles: ['advocate'] });
    const session = await new ApiClient(server.app).signIn(user);
    const updated = await admin.patch(`/api/admin/users/${user.id}`, { roles: ['advocate', 'supervisor'] });
    expect(updated.body.user.roles).toEqual(['advocate', 'supervisor']);
    // A role change ends the user's sessions, so the new rights apply from a fresh sign-in.
    expect((await session.get('/api/auth/session')).body.state).toBe('anonymous');

    const reset = await admin.post(`/api/admin/users/${user.id}/reset-password`);
    expect(reset.body.temporaryPassword).toBeTypeOf('string');
    expect((await admin.post(`/api/admin/users/${user.id}/reset-mfa`)).status).toBe(204);
    const deactivated = await admin.post(`/api/admin/users/${user.id}/deactivate`);
    expect(deactivated.body.user.isActive).toBe(false);
    expect((await new ApiClient(server.app).post('/api/auth/login', { email: user.email, password: reset.body.temporaryPassword })).status).toBe(401);
    expect((await admin.post(`/api/admin/users/${user.id}/reactivate`)).body.user.isActive).toBe(true);

    const actions = (await server.db.selectFrom('audit_log').select('action').where('record_id', '=', user.id).orderBy('seq').execute()).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['user.create', 'user.roles_change', 'user.reset_password', 'user.reset_mfa', 'user.deactivate', 'user.reactivate']));
  });

  it('refuses to deactivate or demote the last active admin', async () => {
    const solo = await startTestServer({ listen: false });
    try {
      const only = await solo.createUser({ roles: ['admin'] });
      const client = await new ApiClient(solo.app).signIn(only);
      expect((await client.post(`/api/admin/users/${only.id}/deactivate`)).body.error.code).toBe('conflict');
      expect((await client.patch(`/api/admin/users/${only.id}`, { roles: ['advocate'] })).body.error.code).toBe('conflict');
    } finally {
      await solo.close();
    }
  });
});

describe('tenant isolation', () => {
  it('answers 404 for a user of another hotline, for every verb', async () => {
    const other = await server.addHotline('other-hotline');
    const stranger = await other.createUser({ roles: ['advocate'] });
    expect((await admin.patch(`/api/admin/users/${stranger.id}`, { displayName: 'hijacked' })).status).toBe(404);
    expect((await admin.post(`/api/admin/users/${stranger.id}/reset-password`)).status).toBe(404);
    expect((await admin.post(`/api/admin/users/${stranger.id}/deactivate`)).status).toBe(404);
    expect((await admin.post(`/api/admin/users/${stranger.id}/reset-mfa`)).status).toBe(404);
    expect((await admin.get(`/api/admin/users/${stranger.id}`)).status).toBe(404);
    const missing = await admin.get('/api/admin/users/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    const list = await admin.get('/api/admin/users');
    expect(list.body.items.map((u: { id: string }) => u.id)).not.toContain(stranger.id);
    const row = await server.db.selectFrom('app_user').select('display_name').where('id', '=', stranger.id).executeTakeFirstOrThrow();
    expect(row.display_name).not.toBe('hijacked');
  });

  it('shows an admin only their own hotline’s audit log', async () => {
    const other = await server.addHotline('other-audit');
    const otherAdmin = await other.createUser({ roles: ['admin'] });
    const otherClient = await new ApiClient(server.app).signIn(otherAdmin);
    const log = await otherClient.get('/api/admin/audit?limit=500');
    expect(log.status).toBe(200);
    const actorIds = new Set(log.body.items.map((e: { actorId: string }) => e.actorId));
    const mainUsers = await server.db.selectFrom('app_user').select('id').where('hotline_id', '=', server.hotline.id).execute();
    for (const { id } of mainUsers) expect(actorIds.has(id)).toBe(false);
  });
});
