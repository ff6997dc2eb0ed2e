import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONTACT_FORM } from '../../src/shared/contact-form.js';
import { ApiClient } from '../helpers/client.js';
import { addSmsNumber, messageSid, postSms } from '../helpers/intake.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let admin: ApiClient;
let advocate: ApiClient;
beforeAll(async () => {
  server = await startTestServer();
  admin = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['admin'] }));
  advocate = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['advocate'] }));
});
afterAll(() => server?.close());

describe('per-hotline intake configuration', () => {
  it('serves the default contact form and the country’s admin areas', async () => {
    const res = await advocate.get('/api/contact-form');
    expect(res.body.version).toBe(0);
    expect(res.body.form.fields.map((f: { id: string }) => f.id)).toContain('age_group');
    expect(res.body.form.fields[0].label.es).toBeTruthy();
    expect(res.body.areas.map((a: { code: string }) => a.code)).toContain('CA-QC');
  });

  it('refuses an invalid form naming the bad field, and publishes a valid one as a new version', async () => {
    const bad = await admin.put('/api/admin/contact-form', { data: { fields: [{ id: 'x', type: 'select', label: { en: 'X' } }] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('field x: a select needs options');
    const dangling = await admin.put('/api/admin/contact-form', { data: { fields: [{ id: 'y', type: 'text', label: { en: 'Y' }, showIf: { field: 'nope', equals: ['a'] } }] } });
    expect(dangling.body.error.message).toContain('unknown field nope');
    const form = { fields: [...DEFAULT_CONTACT_FORM.fields, { id: 'workplace_type', type: 'text', label: { en: 'Workplace', es: 'Lugar de trabajo', fr: 'Lieu de travail' }, required: false }] };
    const ok = await admin.put('/api/admin/contact-form', { data: form });
    expect(ok.status).toBe(200);
    expect(ok.body.version).toBe(1);
    expect((await advocate.get('/api/contact-form')).body.version).toBe(1);
    expect((await advocate.put('/api/admin/contact-form', { data: form })).status).toBe(403);
  });

  it('validates a contact’s answers against the current form and stores them encrypted with the form version', async () => {
    await addSmsNumber(server);
    const numbers = await server.db.selectFrom('access_point').select('address').executeTakeFirstOrThrow();
    const sid = messageSid();
    await postSms(server.url, { MessageSid: sid, From: '+15145550909', To: numbers.address, Body: 'form test' });
    const { contact_id: id } = await server.db.selectFrom('contact_message').select('contact_id').where('external_id', '=', sid).executeTakeFirstOrThrow();
    await advocate.post(`/api/queue/${id}/claim`);
    const contact = (await advocate.get(`/api/contacts/${id}`)).body.contact;
    const wrong = await advocate.patch(`/api/contacts/${id}`, { version: contact.version, formData: { age_group: 'ancient' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toContain('formData.age_group');
    const unknown = await advocate.patch(`/api/contacts/${id}`, { version: contact.version, formData: { not_a_field: 1 } });
    expect(unknown.status).toBe(400);
    const saved = await advocate.patch(`/api/contacts/${id}`, { version: contact.version, formData: { age_group: '12_17', workplace_type: 'Taller de costura' } });
    expect(saved.status).toBe(200);
    expect(saved.body.contact.formData).toEqual({ age_group: '12_17', workplace_type: 'Taller de costura' });
    expect(saved.body.contact.formVersion).toBe(1);
    const row = await server.db.selectFrom('contact').select('form_data').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.form_data!.toString('latin1')).not.toContain('costura');
  });

  it('changes SLA targets per hotline', async () => {
    const current = (await admin.get('/api/admin/sla')).body;
    expect(current.data.channels.chat.answerSeconds).toBe(60);
    const res = await admin.put('/api/admin/sla', { data: { ...current.data, channels: { ...current.data.channels, chat: { answerSeconds: 30 } } } });
    expect(res.status).toBe(200);
    expect((await admin.put('/api/admin/sla', { data: { channels: { chat: { answerSeconds: -1 } } } })).status).toBe(400);
  });
});
