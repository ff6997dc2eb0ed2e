import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIntakeRequest } from '../../src/server/channels/api/signing.js';
import { ApiClient } from '../helpers/client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { intakeRequest } from '../reliability/helpers.js';

let server: TestServer;
let admin: ApiClient;
let key: { id: string; keyId: string; secret: string };

beforeAll(async () => {
  server = await startTestServer();
  admin = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['admin'] }));
  const created = await admin.post('/api/admin/api-keys', { name: 'Partner PBX', scopes: ['intake:write', 'intake:read-own'] });
  key = { id: created.body.apiKey.id, keyId: created.body.apiKey.keyId, secret: created.body.secret };
});
afterAll(() => server?.close());

const PATH = '/api/intake/v1/contacts';
const tip = (extra: Record<string, unknown> = {}) => ({ channel: 'phone', correspondent: { phone: '+1 416 555 0199' }, body: 'Caller reports workers kept in a motel on Route 7', language: 'en', requestType: 'tip', flags: { minor: true }, ...extra });

describe('API keys', () => {
  it('are created by admins with the secret shown once, listed without it, audited, and refused to others', async () => {
    expect(key.keyId).toMatch(/^ck_[0-9a-f]{16}$/);
    expect(key.secret).toMatch(/^cks_/);
    const list = await admin.get('/api/admin/api-keys');
    expect(list.body.items[0]).toMatchObject({ keyId: key.keyId, name: 'Partner PBX', scopes: ['intake:write', 'intake:read-own'], revokedAt: null });
    expect(JSON.stringify(list.body)).not.toContain(key.secret);
    const stored = await server.db.selectFrom('api_key').select('secret').where('key_id', '=', key.keyId).executeTakeFirstOrThrow();
    expect(stored.secret.toString('latin1')).not.toContain(key.secret.slice(4, 20));
    const audit = await server.db.selectFrom('audit_log').select('action').where('record_id', '=', key.id).execute();
    expect(audit.map((a) => a.action)).toContain('apikey.create');
    const supervisor = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['supervisor'] }));
    expect((await supervisor.get('/api/admin/api-keys')).status).toBe(403);
    expect((await admin.post('/api/admin/api-keys', { name: 'x', scopes: ['intake:everything'] })).status).toBe(400);
  });
});

describe('the signed intake API', () => {
  it('records a contact through the intake door and returns its reference', async () => {
    const response = await intakeRequest(server.url, key, 'POST', PATH, tip({ externalId: 'pbx-call-0001' }));
    expect(response.status).toBe(201);
    expect(response.body.contact).toMatchObject({ isNewContact: true, isDuplicate: false });
    expect(response.body.contact.reference).toBe(`C-${response.body.contact.number}`);
    const contact = await server.db.selectFrom('contact').selectAll().where('id', '=', response.body.contact.id).executeTakeFirstOrThrow();
    expect(contact).toMatchObject({ hotline_id: server.hotline.id, channel: 'phone', status: 'waiting', request_type: 'tip', language: 'en', flags: { minor: true } });
    const message = await server.db.selectFrom('contact_message').select(['body', 'external_id']).where('contact_id', '=', contact.id).executeTakeFirstOrThrow();
    expect(message.body!.toString('latin1')).not.toContain('motel');
    expect(message.external_id).toBe(`api:${key.keyId}:pbx-call-0001`);
    const audit = await server.db.selectFrom('audit_log').select(['action', 'actor_label']).where('record_id', '=', contact.id).execute();
    expect(audit).toContainEqual({ action: 'contact.create', actor_label: `apikey:${key.keyId}` });
  });

  it('is idempotent on externalId, and a replayed signed request returns the same contact', async () => {
    const first = await intakeRequest(server.url, key, 'POST', PATH, tip({ externalId: 'pbx-call-0002', correspondent: { email: 'someone@example.org' } }));
    const again = await intakeRequest(server.url, key, 'POST', PATH, tip({ externalId: 'pbx-call-0002', correspondent: { email: 'someone@example.org' } }));
    expect(again.status).toBe(200);
    expect(again.body.contact).toMatchObject({ id: first.body.contact.id, isDuplicate: true });
    const timestamp = Math.floor(Date.now() / 1000);
    const body = tip({ correspondent: undefined, channel: 'other' });
    const once = await intakeRequest(server.url, key, 'POST', PATH, body, { timestamp });
    const replay = await intakeRequest(server.url, key, 'POST', PATH, body, { timestamp });
    expect(once.status).toBe(201);
    expect(replay.status).toBe(200);
    expect(replay.body.contact.id).toBe(once.body.contact.id);
    expect(await server.db.selectFrom('contact_message').select('id').where('contact_id', '=', once.body.contact.id).execute()).toHaveLength(1);
  });

  it('refuses bad signatures, stale timestamps, unknown keys and missing headers with 401, storing nothing', async () => {
    const before = (await server.db.selectFrom('contact_message').select('id').execute()).length;
    const body = tip();
    expect((await intakeRequest(server.url, key, 'POST', PATH, body, { signature: 'ab'.repeat(32) })).status).toBe(401);
    expect((await intakeRequest(server.url, { ...key, secret: 'cks_wrong' }, 'POST', PATH, body)).status).toBe(401);
    expect((await intakeRequest(server.url, key, 'POST', PATH, body, { timestamp: Math.floor(Date.now() / 1000) - 301 })).status).toBe(401);
    expect((await intakeRequest(server.url, key, 'POST', PATH, body, { timestamp: Math.floor(Date.now() / 1000) + 400 })).status).toBe(401);
    expect((await intakeRequest(server.url, { ...key, keyId: 'ck_0000000000000000' }, 'POST', PATH, body)).status).toBe(401);
    // The signature covers the body: the same headers with another body fail.
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = signIntakeRequest(key.secret, 'POST', PATH, timestamp, JSON.stringify(body));
    const tampered = await fetch(server.url + PATH, { method: 'POST', headers: { 'content-type': 'application/json', 'x-catalyst-key': key.keyId, 'x-catalyst-timestamp': timestamp, 'x-catalyst-signature': signature }, body: JSON.stringify({ ...body, requestType: 'test' }) });
    expect(tampered.status).toBe(401);
    const bare = await fetch(server.url + PATH, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(bare.status).toBe(401);
    expect((await bare.json()).error.code).toBe('invalid_credentials');
    expect((await server.db.selectFrom('contact_message').select('id').execute()).length).toBe(before);
  });

  it('validates a signed body (400), refuses other content types (415) and invalid JSON (400)', async () => {
    expect((await intakeRequest(server.url, key, 'POST', PATH, { ...tip(), body: '' })).status).toBe(400);
    expect((await intakeRequest(server.url, key, 'POST', PATH, { ...tip(), channel: 'pigeon' })).status).toBe(400);
    expect((await intakeRequest(server.url, key, 'POST', PATH, { ...tip(), correspondent: { phone: '+15550100', email: 'a@b.c' } })).status).toBe(400);
    expect((await intakeRequest(server.url, key, 'POST', PATH, { ...tip(), surprise: true })).status).toBe(400);
    expect((await intakeRequest(server.url, key, 'POST', PATH, undefined, { raw: '{"body":', contentType: 'application/json' })).status).toBe(400);
    expect((await intakeRequest(server.url, key, 'POST', PATH, undefined, { raw: 'body=x', contentType: 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await intakeRequest(server.url, key, 'POST', PATH, { ...tip(), body: 'x'.repeat(300 * 1024) })).status).toBe(413);
  });

  it('reads the status of its own contacts only (intake:read-own)', async () => {
    const created = await intakeRequest(server.url, key, 'POST', PATH, tip({ externalId: 'pbx-call-0003' }));
    const id = created.body.contact.id;
    const read = await intakeRequest(server.url, key, 'GET', `${PATH}/${id}`);
    expect(read.status).toBe(200);
    expect(read.body.contact).toMatchObject({ id, reference: created.body.contact.reference, status: 'waiting', answeredAt: null });
    expect(JSON.stringify(read.body)).not.toContain('motel');
    const other = await admin.post('/api/admin/api-keys', { name: 'Partner app', scopes: ['intake:write', 'intake:read-own'] });
    const otherKey = { keyId: other.body.apiKey.keyId, secret: other.body.secret };
    expect((await intakeRequest(server.url, otherKey, 'GET', `${PATH}/${id}`)).status).toBe(404);
    // The same external id under another key is another signal: keys never swallow each other's contacts.
    const same = await intakeRequest(server.url, otherKey, 'POST', PATH, tip({ externalId: 'pbx-call-0003', correspondent: { phone: '+1 416 555 0777' } }));
    expect(same.status).toBe(201);
    expect(same.body.contact.id).not.toBe(id);
  });

  it('enforces scopes, and a revoked key stops working at once on this server', async () => {
    const writeOnly = await admin.post('/api/admin/api-keys', { name: 'Write only', scopes: ['intake:write'] });
    const k = { keyId: writeOnly.body.apiKey.keyId, secret: writeOnly.body.secret };
    const created = await intakeRequest(server.url, k, 'POST', PATH, tip({ externalId: 'w-1' }));
    expect(created.status).toBe(201);
    expect((await intakeRequest(server.url, k, 'GET', `${PATH}/${created.body.contact.id}`)).status).toBe(403);
    const revoked = await admin.post(`/api/admin/api-keys/${writeOnly.body.apiKey.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.apiKey.revokedAt).not.toBeNull();
    expect((await admin.post(`/api/admin/api-keys/${writeOnly.body.apiKey.id}/revoke`)).status).toBe(200);
    expect((await server.db.selectFrom('audit_log').select('id').where('action', '=', 'apikey.revoke').where('record_id', '=', writeOnly.body.apiKey.id).execute()).length).toBe(1);
    expect((await intakeRequest(server.url, k, 'POST', PATH, tip({ externalId: 'w-2' }))).status).toBe(401);
  });

  it('keeps keys per hotline: another hotline’s admin cannot see or revoke them', async () => {
    const other = await server.addHotline(`k${Date.now().toString(36)}`);
    const otherAdmin = await new ApiClient(server.app).signIn(await other.createUser({ roles: ['admin'] }));
    expect((await otherAdmin.get('/api/admin/api-keys')).body.items).toEqual([]);
    expect((await otherAdmin.post(`/api/admin/api-keys/${key.id}/revoke`)).status).toBe(404);
  });

  it('appears in the OpenAPI document with its schemas', async () => {
    const doc = (await new ApiClient(server.app).get('/api/openapi.json')).body;
    const post = doc.paths['/api/intake/v1/contacts'].post;
    const schema = post.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(expect.arrayContaining(['body']));
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['channel', 'correspondent', 'body', 'externalId', 'language', 'requestType', 'flags']));
    expect(post.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(expect.arrayContaining(['header:x-catalyst-key', 'header:x-catalyst-timestamp', 'header:x-catalyst-signature']));
    expect(doc.paths['/api/intake/v1/contacts/{id}'].get).toBeTruthy();
    expect(doc.paths['/api/admin/api-keys'].post.requestBody.content['application/json'].schema.properties.scopes).toBeTruthy();
    expect(doc.paths['/api/webhooks/twilio/voice'].post).toBeTruthy();
    expect(doc.paths['/api/contacts/{id}/sms-reply'].post.requestBody.content['application/json'].schema.required).toEqual(['body']);
  });
});
