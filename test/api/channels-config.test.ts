import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/client.js';
import { messageSid, postSms } from '../helpers/intake.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Channel configuration (issue 3) through the admin API the Channels page uses: phone numbers and their channel,
 * Twilio account SID and auth token (encrypted, shown again only as its last 4), SMTP settings, chat allowed origins,
 * greetings and hours per language, routing team — and that each setting is what the channel then does.
 */
let server: TestServer;
let admin: ApiClient;
const TOKEN = 'twilio-auth-token-abcdef0123456789';
const SID = `AC${'0123456789abcdef'.repeat(2)}`;

beforeAll(async () => {
  server = await startTestServer();
  admin = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['admin'] }));
});
afterAll(() => server?.close());

const create = (body: Record<string, unknown>) => admin.post('/api/admin/access-points', body);

describe('access points', () => {
  it('stores a Twilio auth token encrypted, never returns it, shows its last 4, and the webhook then checks it', async () => {
    const created = await create({ channel: 'sms', name: 'Main text line', address: '+1 (555) 010-2030', team: 'texts', settings: { twilioAccountSid: SID, languages: ['en', 'es'] }, secret: TOKEN });
    expect(created.status).toBe(201);
    const point = created.body.accessPoint;
    expect(point).toMatchObject({ channel: 'sms', address: '+15550102030', team: 'texts', secretHint: '…6789', settings: { twilioAccountSid: SID } });
    expect(JSON.stringify(created.body)).not.toContain(TOKEN);
    const list = await admin.get('/api/admin/access-points');
    expect(JSON.stringify(list.body)).not.toContain(TOKEN);
    const row = await server.db.selectFrom('access_point').select(['secret']).where('id', '=', point.id).executeTakeFirstOrThrow();
    expect(row.secret!.toString('latin1')).not.toContain('abcdef0123456789');
    const audit = await server.db.selectFrom('audit_log').select(['action', 'details']).where('record_id', '=', point.id).execute();
    expect(audit).toEqual([{ action: 'channel.create', details: { channel: 'sms', secretSet: true } }]);

    // The webhook accepts Twilio's signature with this token, routes to the team, and refuses the old one after a change.
    const sms = (body: string) => ({ MessageSid: messageSid(), From: '+15145550123', To: '+15550102030', Body: body });
    expect((await postSms(server.url, sms('hello'), { token: TOKEN })).status).toBe(200);
    const contact = await server.db.selectFrom('contact').select(['team', 'access_point_id']).where('access_point_id', '=', point.id).executeTakeFirstOrThrow();
    expect(contact.team).toBe('texts');
    const changed = await admin.patch(`/api/admin/access-points/${point.id}`, { secret: 'new-token-0000000000000000wxyz', version: point.version });
    expect(changed.body.accessPoint.secretHint).toBe('…wxyz');
    expect((await postSms(server.url, sms('old token'), { token: TOKEN })).status).toBe(403);
    expect((await postSms(server.url, sms('new token'), { token: 'new-token-0000000000000000wxyz' })).status).toBe(200);
    // Deactivated: the number no longer receives.
    await admin.patch(`/api/admin/access-points/${point.id}`, { isActive: false, version: changed.body.accessPoint.version });
    expect((await postSms(server.url, sms('closed'), { token: 'new-token-0000000000000000wxyz' })).status).toBe(403);
  });

  it('keeps SMTP settings and the SMTP password apart: settings shown, password only as its last 4', async () => {
    const created = await create({ channel: 'email', name: 'Tips inbox', address: 'Tips@Example.org', settings: { smtpHost: 'smtp.example.org', smtpPort: 587, smtpUser: 'tips' }, secret: 'smtp-password-9876' });
    expect(created.body.accessPoint).toMatchObject({ address: 'tips@example.org', settings: { smtpHost: 'smtp.example.org', smtpPort: 587, smtpUser: 'tips' }, secretHint: '…9876' });
    // Changing the settings without a secret keeps the stored one.
    const updated = await admin.patch(`/api/admin/access-points/${created.body.accessPoint.id}`, { settings: { smtpHost: 'relay.example.org', smtpPort: 465, smtpUser: 'tips' }, version: 1 });
    expect(updated.body.accessPoint).toMatchObject({ settings: { smtpHost: 'relay.example.org', smtpPort: 465 }, secretHint: '…9876', version: 2 });
    expect((await admin.patch(`/api/admin/access-points/${created.body.accessPoint.id}`, { name: 'Stale', version: 1 })).status).toBe(409);
  });

  it('serves the chat widget with its greetings only to the allowed websites', async () => {
    const created = await create({ channel: 'chat', name: 'Website chat', address: 'website', settings: { allowedOrigins: ['https://www.example.org'], languages: ['en', 'fr'], greetings: { en: 'Hello, you are safe here.', fr: 'Bonjour, vous êtes en sécurité ici.' } } });
    expect(created.status).toBe(201);
    const embed = await fetch(`${server.url}/chat/website/embed?lang=fr`);
    expect(embed.status).toBe(200);
    expect(embed.headers.get('content-security-policy')).toContain('frame-ancestors https://www.example.org');
    expect(await embed.text()).toContain('Bonjour, vous êtes en sécurité ici.');
    const handshake = (origin: string) => server.app.inject({ method: 'GET', url: '/api/chat/visitor?hotline=website', headers: { origin, connection: 'upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' } });
    expect((await handshake('https://evil.example')).statusCode).toBe(403);
  });

  it('keeps hours and after-hours messages per language, and refuses malformed settings naming the field', async () => {
    const hours = [{ day: 'mon', open: '09:00', close: '17:00' }, { day: 'sat', open: '10:00', close: '14:00' }];
    const created = await create({ channel: 'phone', name: 'Helpline', address: '+15550109999', settings: { hours, afterHoursMessage: { en: 'We are closed.', es: 'Estamos cerrados.' }, greetings: { es: 'Hola.' } }, secret: TOKEN });
    expect(created.body.accessPoint.settings).toEqual({ hours, afterHoursMessage: { en: 'We are closed.', es: 'Estamos cerrados.' }, greetings: { es: 'Hola.' } });
    for (const [settings, field] of [
      [{ twilioAccountSid: 'AC123' }, 'twilioAccountSid'],
      [{ allowedOrigins: ['not a url'] }, 'allowedOrigins'],
      [{ hours: [{ day: 'someday', open: '09:00', close: '17:00' }] }, 'hours'],
      [{ greetings: { de: 'Hallo' } }, 'greetings'],
      [{ smtpPort: 70000 }, 'smtpPort'],
    ] as const) {
      const refused = await create({ channel: 'sms', name: 'Bad', address: '+15550100000', settings });
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toContain(field);
    }
    expect((await create({ channel: 'phone', name: 'Again', address: '+15550109999' })).status).toBe(409);
  });

  it('is for admins only, and one hotline never sees or changes another’s', async () => {
    const advocate = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['advocate'] }));
    expect((await advocate.get('/api/admin/access-points')).status).toBe(403);
    const other = await server.addHotline(`c${server.hotline.slug}`);
    const otherAdmin = await new ApiClient(server.app).signIn(await other.createUser({ roles: ['admin'] }));
    expect((await otherAdmin.get('/api/admin/access-points')).body.items).toEqual([]);
    const mine = (await admin.get('/api/admin/access-points')).body.items[0];
    expect((await otherAdmin.patch(`/api/admin/access-points/${mine.id}`, { name: 'Taken', version: mine.version })).status).toBe(404);
  });
});
