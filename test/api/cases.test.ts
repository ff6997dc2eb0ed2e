import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/client.js';
import { addSmsNumber, messageSid, postSms } from '../helpers/intake.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let advocate: ApiClient;
let colleague: ApiClient;
let supervisor: ApiClient;
let admin: ApiClient;
let partner: ApiClient;
let smsNumber: string;

beforeAll(async () => {
  server = await startTestServer();
  advocate = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['advocate'] }));
  colleague = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['advocate'] }));
  supervisor = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['supervisor'] }));
  admin = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['admin'] }));
  partner = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['partner'] }));
  smsNumber = await addSmsNumber(server);
});
afterAll(() => server?.close());

async function newContact(body: string) {
  const sid = messageSid();
  await postSms(server.url, { MessageSid: sid, From: '+15145550' + Math.floor(100 + Math.random() * 899), To: smsNumber, Body: body });
  return (await server.db.selectFrom('contact_message').select('contact_id').where('external_id', '=', sid).executeTakeFirstOrThrow()).contact_id;
}

describe('cases', () => {
  it('opens a case from a contact, adds people and notes, links a second contact, and shows one timeline', async () => {
    const first = await newContact('Tip about a massage parlour on Rue Sainte-Catherine');
    const created = await advocate.post('/api/cases', { title: 'Salon de massage, rue Sainte-Catherine', traffickingTypes: ['sex'], fromContactId: first });
    expect(created.status).toBe(201);
    const id = created.body.case.id;
    expect(created.body.case).toMatchObject({ status: 'open', traffickingTypes: ['sex'], title: 'Salon de massage, rue Sainte-Catherine' });
    const person = await advocate.post(`/api/cases/${id}/people`, { role: 'potential_victim', details: { givenNames: 'Anaïs', familyNames: 'Lefèvre', phones: ['+1 (514) 555-0177'] }, ageRange: '18_24' });
    expect(person.status).toBe(201);
    await advocate.post(`/api/cases/${id}/notes`, { body: 'Follow up with the caller tomorrow, safe number only.' });
    const second = await newContact('Same address, new girls this week');
    await advocate.post(`/api/cases/${id}/contacts`, { contactId: second });
    const read = (await advocate.get(`/api/cases/${id}`)).body.case;
    expect(read.people[0].details.givenNames).toBe('Anaïs');
    expect(read.contacts).toHaveLength(2);
    const kinds = read.timeline.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['contact', 'status', 'person_added', 'note', 'contact_linked']));
    const times = read.timeline.map((e: { at: string }) => e.at);
    expect([...times].sort()).toEqual(times);
    // Encrypted at rest: title, person details and notes.
    const raw = await server.db.selectFrom('hotline_case').select('title').where('id', '=', id).executeTakeFirstOrThrow();
    expect(raw.title.toString('latin1')).not.toContain('massage');
    const rawPerson = await server.db.selectFrom('person').select('details').executeTakeFirstOrThrow();
    expect(rawPerson.details.toString('latin1')).not.toContain('Lef');
  });

  it('finds cases by exact phone in any format through the blind index', async () => {
    const found = await advocate.get(`/api/cases?phone=${encodeURIComponent('514-555-0177')}`);
    expect(found.body.items).toHaveLength(0); // no country code: a different number
    const exact = await advocate.get(`/api/cases?phone=${encodeURIComponent('+1 514 555 0177')}`);
    expect(exact.body.items.map((c: { title: string }) => c.title)).toContain('Salon de massage, rue Sainte-Catherine');
  });

  it('refuses a stale write with 409 and the current case', async () => {
    const { id, version } = (await advocate.post('/api/cases', { title: 'Versioned' })).body.case;
    expect((await advocate.patch(`/api/cases/${id}`, { version, status: 'active' })).status).toBe(200);
    const stale = await supervisor.patch(`/api/cases/${id}`, { version, status: 'closed' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('stale_version');
    expect(stale.body.error.current.status).toBe('active');
  });

  it('keeps restricted cases to named people; a supervisor breaks the glass with a reason that admins see', async () => {
    const { id } = (await advocate.post('/api/cases', { title: 'Involves a police officer', sensitivity: 'restricted' })).body.case;
    expect((await advocate.get(`/api/cases/${id}`)).status).toBe(200);
    expect((await colleague.get(`/api/cases/${id}`)).status).toBe(404);
    expect((await supervisor.get(`/api/cases/${id}`)).status).toBe(404);
    expect((await supervisor.get('/api/cases')).body.items.map((c: { id: string }) => c.id)).not.toContain(id);
    expect((await supervisor.post(`/api/cases/${id}/break-glass`, { reason: 'short' })).status).toBe(400);
    expect((await colleague.post(`/api/cases/${id}/break-glass`, { reason: 'I want to see it please' })).status).toBe(403);
    const glass = await supervisor.post(`/api/cases/${id}/break-glass`, { reason: 'Caller says the child is in danger tonight' });
    expect(glass.status).toBe(200);
    expect((await supervisor.get(`/api/cases/${id}`)).status).toBe(200);
    const seen = await admin.get('/api/admin/break-glass');
    expect(seen.body.items[0]).toMatchObject({ caseId: id, reason: 'Caller says the child is in danger tonight' });
    const audit = await server.db.selectFrom('audit_log').select(['action', 'reason']).where('record_id', '=', id).execute();
    expect(audit).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'case.break_glass', reason: 'Caller says the child is in danger tonight' })]));
  });

  it('shows partners and other hotlines nothing', async () => {
    const { id } = (await advocate.post('/api/cases', { title: 'Not for partners' })).body.case;
    // A partner could only ever be named on a restricted case; otherwise cases do not exist for them.
    expect((await partner.get(`/api/cases/${id}`)).status).toBe(404);
    expect((await partner.get('/api/cases')).body.items).toEqual([]);
    expect((await partner.post('/api/cases', { title: 'x' })).status).toBe(403);
    const other = await server.addHotline('other-cases');
    const stranger = await new ApiClient(server.app).signIn(await other.createUser({ roles: ['supervisor'] }));
    expect((await stranger.get(`/api/cases/${id}`)).status).toBe(404);
    expect((await stranger.post(`/api/cases/${id}/notes`, { body: 'x' })).status).toBe(404);
    expect((await stranger.get('/api/cases')).body.items).toEqual([]);
  });

  it('lets a colleague read but not change a case assigned to someone else', async () => {
    const { id, version } = (await advocate.post('/api/cases', { title: 'Mine' })).body.case;
    expect((await colleague.get(`/api/cases/${id}`)).status).toBe(200);
    expect((await colleague.patch(`/api/cases/${id}`, { version, status: 'active' })).status).toBe(403);
  });
});
