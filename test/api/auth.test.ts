import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, totpCode } from '../helpers/client.js';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/server.js';
import { LOCKOUT_ATTEMPTS } from '../../src/server/auth/auth.service.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ listen: false });
});
afterAll(() => server?.close());

describe('sign-in', () => {
  it('signs in with password then TOTP, and the session reports the user and permissions', async () => {
    const user = await server.createUser({ roles: ['admin'] });
    const client = new ApiClient(server.app);
    const login = await client.post('/api/auth/login', { email: user.email, password: user.password });
    expect(login.status).toBe(200);
    expect(login.body.state).toBe('mfa_required');
    expect(login.headers['set-cookie']).toMatch(/HttpOnly/i);
    expect(login.headers['set-cookie']).toMatch(/SameSite=Strict/i);

    // Half-signed-in sessions cannot reach protected routes.
    expect((await client.get('/api/admin/users')).status).toBe(401);

    const mfa = await client.post('/api/auth/mfa/verify', { code: totpCode(user.totpSecret!) });
    expect(mfa.status).toBe(200);
    const session = await client.get('/api/auth/session');
    expect(session.body).toMatchObject({ state: 'signed_in', user: { email: user.email, roles: ['admin'] } });
    expect(session.body.permissions).toContain('user.create');
    expect((await client.get('/api/admin/users')).status).toBe(200);
  });

  it('refuses a wrong password and an unknown email with the same error', async () => {
    const user = await server.createUser({ roles: ['advocate'] });
    const wrong = await new ApiClient(server.app).post('/api/auth/login', { email: user.email, password: 'not-the-password' });
    const unknown = await new ApiClient(server.app).post('/api/auth/login', { email: 'nobody@example.org', password: 'whatever-password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_credentials');
    expect(unknown.body.error.code).toBe('invalid_credentials');
  });

  it('refuses a wrong TOTP code and a replayed one', async () => {
    const user = await server.createUser({ roles: ['advocate'] });
    const client = new ApiClient(server.app);
    await client.post('/api/auth/login', { email: user.email, password: user.password });
    expect((await client.post('/api/auth/mfa/verify', { code: '000000' === totpCode(user.totpSecret!) ? '111111' : '000000' })).body.error.code).toBe('invalid_code');
    const code = totpCode(user.totpSecret!);
    expect((await client.post('/api/auth/mfa/verify', { code })).status).toBe(200);

    const again = new ApiClient(server.app);
    await again.post('/api/auth/login', { email: user.email, password: user.password });
    const replay = await again.post('/api/auth/mfa/verify', { code });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('invalid_code');
  });

  it('locks the account after repeated failures, even for the right password, and says until when', async () => {
    const user = await server.createUser({ roles: ['advocate'] });
    const client = new ApiClient(server.app);
    let last;
    for (let i = 0; i < LOCKOUT_ATTEMPTS; i++) last = await client.post('/api/auth/login', { email: user.email, password: 'wrong-password-' + i });
    expect(last!.status).toBe(423);
    expect(last!.body.error.code).toBe('account_locked');
    expect(Date.parse(last!.body.error.lockedUntil)).toBeGreaterThan(Date.now());
    const right = await client.post('/api/auth/login', { email: user.email, password: user.password });
    expect(right.status).toBe(423);
    const audit = await server.db.selectFrom('audit_log').select('action').where('record_id', '=', user.id).execute();
    expect(audit.map((a) => a.action)).toContain('auth.locked');
  });

  it('enrols a new user by secret, then signs them in', async () => {
    const user = await server.createUser({ roles: ['advocate'], totpSecret: null });
    const client = new ApiClient(server.app);
    const login = await client.post('/api/auth/login', { email: user.email, password: user.password });
    expect(login.body.state).toBe('mfa_enrol_required');
    const start = await client.post('/api/auth/mfa/enrol/start');
    expect(start.status).toBe(200);
    expect(start.body.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    expect(start.body.otpauthUrl).toContain(`secret=${start.body.secret}`);
    expect((await client.post('/api/auth/mfa/enrol/confirm', { code: '12345' })).status).toBe(400);
    const confirm = await client.post('/api/auth/mfa/enrol/confirm', { code: totpCode(start.body.secret) });
    expect(confirm.status).toBe(200);
    expect((await client.get('/api/auth/session')).body.state).toBe('signed_in');
    const stored = await server.db.selectFrom('app_user').select('totp_secret').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(stored.totp_secret!.toString('latin1')).not.toContain(start.body.secret);
  });

  it('requires the CSRF token on writes made with the session cookie', async () => {
    const user = await server.createUser({ roles: ['admin'] });
    const client = await new ApiClient(server.app).signIn(user);
    const csrf = client.csrf;
    client.csrf = '';
    const refused = await client.patch('/api/me', { locale: 'es' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('csrf_failed');
    client.csrf = csrf;
    const accepted = await client.patch('/api/me', { locale: 'es' });
    expect(accepted.status).toBe(200);
    expect(accepted.body.user.locale).toBe('es');
  });

  it('changes the password: the old one stops working, other sessions end', async () => {
    const user = await server.createUser({ roles: ['advocate'] });
    const first = await new ApiClient(server.app).signIn(user, Date.now() - 30_000);
    const second = await new ApiClient(server.app).signIn(user);
    const weak = await first.post('/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'short' });
    expect(weak.body.error.code).toBe('weak_password');
    expect((await first.post('/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'a much longer new passphrase' })).status).toBe(204);
    expect((await second.get('/api/auth/session')).body.state).toBe('anonymous');
    expect((await first.get('/api/auth/session')).body.state).toBe('signed_in');
    expect((await new ApiClient(server.app).post('/api/auth/login', { email: user.email, password: TEST_PASSWORD })).status).toBe(401);
    expect((await new ApiClient(server.app).post('/api/auth/login', { email: user.email, password: 'a much longer new passphrase' })).status).toBe(200);
  });

  it('signs out: the cookie no longer opens anything', async () => {
    const user = await server.createUser({ roles: ['admin'] });
    const client = await new ApiClient(server.app).signIn(user);
    expect((await client.post('/api/auth/logout')).status).toBe(204);
    const cookieBefore = client.cookie;
    expect(cookieBefore).toBeTruthy();
    expect((await client.get('/api/admin/users')).status).toBe(401);
  });

  it('rate-limits sign-in attempts per client address', async () => {
    const limited = await startTestServer({ listen: false, signInRatePerMinute: 3 });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await new ApiClient(limited.app).post('/api/auth/login', { email: 'a@example.org', password: 'whatever-password' })).status);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await limited.close();
    }
  });

  it('answers bad input with a stable validation error, never a 500', async () => {
    const client = new ApiClient(server.app);
    const cases = [
      await client.post('/api/auth/login', { email: 'not-an-email', password: 'x' }),
      await client.post('/api/auth/login', {}),
      await client.request('POST', '/api/auth/login', undefined, { 'content-type': 'application/json', 'content-length': '5' }),
      await client.request('POST', '/api/auth/login', '{bad json', {}),
    ];
    for (const c of cases) {
      expect(c.status).toBeGreaterThanOrEqual(400);
      expect(c.status).toBeLessThan(500);
      expect(c.body.error.code).toBeTypeOf('string');
    }
  });
});
