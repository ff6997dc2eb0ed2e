import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/client.js';
import { addSmsNumber, messageSid, postSms } from '../helpers/intake.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let advocate: ApiClient;
let colleague: ApiClient;
let colleagueId: string;
let supervisor: ApiClient;
let smsNumber: string;
let lopezCase: string;
let restrictedCase: string;

async function newContact(body: string, from = '+15145550' + Math.floor(100 + Math.random() * 899)) {
  const sid = messageSid();
  await postSms(server.url, { MessageSid: sid, From: from, To: smsNumber, Body: body });
  return (await server.db.selectFrom('contact_message').select('contact_id').where('external_id', '=', sid).executeTakeFirstOrThrow()).contact_id;
}

async function openCase(client: ApiClient, title: string, people: object[], extra: object = {}) {
  const created = await client.post('/api/cases', { title, ...extra });
  expect(created.status).toBe(201);
  for (const person of people) expect((await client.post(`/api/cases/${created.body.case.id}/people`, person)).status).toBe(201);
  return created.body.case.id as string;
}

const search = async (client: ApiClient, params: Record<string, string>) => {
  const response = await client.get(`/api/search?${new URLSearchParams(params)}`);
  expect(response.status).toBe(200);
  return response.body as { kind: string; items: { type: string; id: string; label: string; caseId: string; cases: { id: string }[]; reasons: { code: string; percent?: number; field?: string }[] }[] };
};

beforeAll(async () => {
  server = await startTestServer();
  advocate = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['advocate'] }));
  const colleagueUser = await server.createUser({ roles: ['advocate'] });
  colleagueId = colleagueUser.id;
  colleague = await new ApiClient(server.app).signIn(colleagueUser);
  supervisor = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['supervisor'] }));
  smsNumber = await addSmsNumber(server);
  lopezCase = await openCase(advocate, 'Restaurant kitchen, Plaza Mayor', [
    { role: 'potential_victim', details: { givenNames: 'María José', familyNames: 'López García', phones: ['+1 (514) 555-0142'], emails: ['mj.lopez@example.org'], dateOfBirth: '1999-04-02' } },
    { role: 'suspected_trafficker', details: { givenNames: 'William', familyNames: 'Hartley' } },
    { role: 'witness', details: { givenNames: 'Наталья', familyNames: 'Иванова' } },
  ], { traffickingTypes: ['labour'] });
  await advocate.post(`/api/cases/${lopezCase}/notes`, { body: 'Las niñas trabajaban en la cocina del restaurante sin pasaporte.' });
  await advocate.post(`/api/cases/${lopezCase}/notes`, { body: 'Le patron garde les passeports dans un coffre.' });
  restrictedCase = await openCase(advocate, 'Officer involved, motel on Route 9', [{ role: 'potential_victim', details: { givenNames: 'Kateryna', familyNames: 'Bondarenko' } }], { sensitivity: 'restricted' });
});
afterAll(() => server?.close());

describe('one search box', () => {
  it('finds a person by a misspelt, unaccented name and points at their case', async () => {
    for (const q of ['Maria Lopez', 'Mraia Lopes', 'lopez garcia maria jose', 'MARIA-JOSE LÓPEZ']) {
      const { items } = await search(advocate, { q });
      const hit = items.find((h) => h.type === 'person');
      expect({ q, label: hit?.label }).toEqual({ q, label: 'María José López García' });
      expect(hit!.caseId).toBe(lopezCase);
      expect(hit!.reasons[0].code).toBe('name_similar');
    }
  });

  it('matches swapped given and family names, nicknames and Cyrillic names typed in Latin letters', async () => {
    expect((await search(advocate, { q: 'Hartley William' })).items.map((h) => h.label)).toContain('William Hartley');
    expect((await search(advocate, { q: 'Bill Hartly' })).items.map((h) => h.label)).toContain('William Hartley');
    expect((await search(advocate, { q: 'Natalia Ivanova' })).items.map((h) => h.label)).toContain('Наталья Иванова');
  });

  it('does not return unrelated people for a name', async () => {
    const { items } = await search(advocate, { q: 'Bondarenko' });
    expect(items.map((h) => h.label)).not.toContain('María José López García');
    expect(items.some((h) => h.label === 'Kateryna Bondarenko')).toBe(true); // the advocate is named on it
  });

  it('finds people and contacts by exact phone in any format, and by email, through the blind index', async () => {
    const contactId = await newContact('Calling about my cousin', '+15145550142');
    const byPhone = await search(advocate, { q: '+1 514-555-0142' });
    expect(byPhone.kind).toBe('phone');
    expect(byPhone.items.find((h) => h.type === 'person')?.caseId).toBe(lopezCase);
    expect(byPhone.items.some((h) => h.type === 'contact' && h.id === contactId)).toBe(true);
    expect((await search(advocate, { q: '514 555 0142' })).items.filter((h) => h.type === 'person')).toHaveLength(0); // no country code: another number
    const byEmail = await search(advocate, { q: 'MJ.Lopez@Example.org' });
    expect(byEmail.items.find((h) => h.type === 'person')?.caseId).toBe(lopezCase);
  });

  it('searches notes and titles in Spanish, French and English with stemming and without accents', async () => {
    const spanish = await search(advocate, { q: 'restaurantes ninas', types: 'case' });
    expect(spanish.items.map((h) => h.id)).toContain(lopezCase);
    expect(spanish.items.find((h) => h.id === lopezCase)!.reasons.map((r) => r.field)).toContain('note');
    expect((await search(advocate, { q: 'passeport coffre', types: 'case' })).items.map((h) => h.id)).toContain(lopezCase);
    expect((await search(advocate, { q: 'kitchens', types: 'case' })).items.map((h) => h.id)).toContain(lopezCase);
    expect((await search(advocate, { q: 'restaurante motel', types: 'case' })).items.map((h) => h.id)).not.toContain(lopezCase); // every word must match
  });

  it('searches contact summaries written after the contact arrived', async () => {
    const contactId = await newContact('hello');
    const { version } = await server.db.selectFrom('contact').select('version').where('id', '=', contactId).executeTakeFirstOrThrow();
    expect((await supervisor.patch(`/api/contacts/${contactId}`, { version, summary: 'Caller describes a nail salon where workers sleep on site' })).status).toBe(200);
    const { items } = await search(advocate, { q: 'salon sleeping', types: 'contact' });
    expect(items.map((h) => h.id)).toContain(contactId);
  });

  it('shows a restricted case only to the people named on it, and after a break-glass', async () => {
    expect((await search(advocate, { q: 'Kateryna Bondarenko' })).items.some((h) => h.caseId === restrictedCase)).toBe(true);
    expect((await search(colleague, { q: 'Kateryna Bondarenko' })).items).toHaveLength(0);
    expect((await search(supervisor, { q: 'motel route', types: 'case' })).items).toHaveLength(0);
    expect((await search(colleague, { q: 'motel', types: 'case' })).items).toHaveLength(0);
    expect((await supervisor.post(`/api/cases/${restrictedCase}/break-glass`, { reason: 'Victim called back in danger, need history now' })).status).toBe(200);
    expect((await search(supervisor, { q: 'Kateryna Bondarenko' })).items.some((h) => h.caseId === restrictedCase)).toBe(true);
  });

  it('never shows another hotline’s records', async () => {
    const other = await server.addHotline('search-other');
    const otherAdvocate = await new ApiClient(server.app).signIn(await other.createUser({ roles: ['advocate'] }));
    expect((await search(otherAdvocate, { q: 'Maria Lopez' })).items).toHaveLength(0);
    expect((await search(otherAdvocate, { q: '+1 514 555 0142' })).items).toHaveLength(0);
    expect((await search(otherAdvocate, { q: '' })).items).toHaveLength(0);
  });

  it('filters by status and trafficking type, and lists cases by filter alone', async () => {
    expect((await search(advocate, { q: '', type: 'labour' })).items.map((h) => h.id)).toEqual([lopezCase]);
    expect((await search(advocate, { q: 'Maria Lopez', status: 'closed' })).items).toHaveLength(0);
    expect((await search(advocate, { q: 'Maria Lopez', types: 'case', status: 'open' })).items.map((h) => h.id)).toEqual([lopezCase]);
    expect((await advocate.get('/api/search?status=nonsense')).status).toBe(400);
  });

  it('finds a case by its reference', async () => {
    const read = (await advocate.get(`/api/cases/${lopezCase}`)).body.case;
    expect((await search(advocate, { q: read.reference.toLowerCase() })).items.map((h) => h.id)).toEqual([lopezCase]);
  });

  it('audits every search with a keyed hash of the query, never the query itself', async () => {
    await search(advocate, { q: 'Hartley' });
    const rows = await server.db.selectFrom('audit_log').select(['details']).where('action', '=', 'search').orderBy('id').execute();
    expect(rows.length).toBeGreaterThan(5);
    const text = JSON.stringify(rows);
    expect(text).not.toMatch(/hartley|lopez|restaurante/i);
    expect(rows.at(-1)!.details).toMatchObject({ kind: 'words', queryIndex: expect.stringMatching(/^[0-9a-f]{32}$/) });
  });

  it('stores names and notes only as keyed hashes in the search index', async () => {
    const docs = await server.db.selectFrom('search_doc').selectAll().execute();
    expect(docs.length).toBeGreaterThan(4);
    for (const d of docs) for (const t of [...d.name_tokens, ...d.text_tokens]) expect(Number.isInteger(t)).toBe(true);
    // The same word in two hotlines gives different tokens (the key is per hotline).
    const other = await server.addHotline('search-keys');
    const otherAdvocate = await new ApiClient(server.app).signIn(await other.createUser({ roles: ['advocate'] }));
    const otherCase = await openCase(otherAdvocate, 'x', [{ role: 'other', details: { givenNames: 'William', familyNames: 'Hartley' } }]);
    const mine = docs.find((d) => d.record_type === 'person' && d.case_id === null && d.name_tokens.length > 0)!;
    const theirs = await server.db.selectFrom('search_doc').select('name_tokens').where('hotline_id', '=', other.id).where('record_type', '=', 'person').executeTakeFirstOrThrow();
    expect(otherCase).toBeTruthy();
    expect(theirs.name_tokens.filter((t) => mine.name_tokens.includes(t))).toHaveLength(0);
  });
});

describe('saved searches and recent items', () => {
  it('saves, lists and deletes a search per user, encrypted at rest', async () => {
    const saved = await advocate.post('/api/search/saved', { name: 'López family', params: { q: 'Maria Lopez', types: 'person' } });
    expect(saved.status).toBe(201);
    const list = (await advocate.get('/api/search/saved')).body.items;
    expect(list).toEqual([expect.objectContaining({ name: 'López family', params: { q: 'Maria Lopez', types: 'person' } })]);
    expect((await colleague.get('/api/search/saved')).body.items).toHaveLength(0);
    expect((await colleague.request('DELETE', `/api/search/saved/${saved.body.id}`)).status).toBe(404);
    const raw = await server.db.selectFrom('saved_search').select(['name', 'params']).executeTakeFirstOrThrow();
    expect(raw.params.toString('latin1')).not.toContain('Lopez');
    expect((await advocate.request('DELETE', `/api/search/saved/${saved.body.id}`)).status).toBe(200);
    expect((await advocate.get('/api/search/saved')).body.items).toHaveLength(0);
  });

  it('lists the cases I opened, newest first, only while I may read them', async () => {
    await colleague.get(`/api/cases/${lopezCase}`);
    const recent = (await colleague.get('/api/search/recent')).body.items;
    expect(recent[0]).toMatchObject({ id: lopezCase, label: 'Restaurant kitchen, Plaza Mayor' });
    await server.db.insertInto('recent_item').values({ hotline_id: server.hotline.id, user_id: colleagueId, record_type: 'case', record_id: restrictedCase }).execute();
    expect((await colleague.get('/api/search/recent')).body.items.map((i: { id: string }) => i.id)).not.toContain(restrictedCase);
  });
});

describe('suggestions while typing on a contact', () => {
  it('suggests the person and case for a misspelt name with the similarity and case reference', async () => {
    const contactId = await newContact('I think my friend is being held');
    const response = await advocate.post(`/api/contacts/${contactId}/suggestions`, { givenNames: 'Maria Jose', familyNames: 'Lopes', dateOfBirth: '1999-04-02' });
    expect(response.status).toBe(200);
    const top = response.body.items[0];
    const reference = (await advocate.get(`/api/cases/${lopezCase}`)).body.case.reference;
    expect(top).toMatchObject({ type: 'person', label: 'María José López García', cases: [{ id: lopezCase, reference }] });
    expect(top.reasons).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'name_similar', on: reference }), expect.objectContaining({ code: 'same_birth_date' })]));
    expect(top.reasons.find((r: { code: string }) => r.code === 'name_similar').percent).toBeGreaterThanOrEqual(85);
  });

  it('suggests the case of a person with the same phone as the caller, with nothing typed', async () => {
    const contactId = await newContact('It is me again', '+15145550142');
    const items = (await advocate.post(`/api/contacts/${contactId}/suggestions`, {})).body.items;
    expect(items.some((s: { cases: { id: string }[]; reasons: { code: string }[] }) => s.cases.some((k) => k.id === lopezCase) && s.reasons.some((r) => r.code === 'same_phone'))).toBe(true);
  });

  it('does not suggest a restricted case to someone not named on it', async () => {
    const contactId = await newContact('question');
    const items = (await colleague.post(`/api/contacts/${contactId}/suggestions`, { givenNames: 'Kateryna', familyNames: 'Bondarenko' })).body.items;
    expect(items).toHaveLength(0);
    const mine = (await advocate.post(`/api/contacts/${contactId}/suggestions`, { givenNames: 'Katerina', familyNames: 'Bondarenko' })).body.items;
    expect(mine[0].cases[0].id).toBe(restrictedCase);
  });

  it('answers 404 for a contact of another hotline', async () => {
    const other = await server.addHotline('search-sugg');
    const otherAdvocate = await new ApiClient(server.app).signIn(await other.createUser({ roles: ['advocate'] }));
    const contactId = await newContact('hello');
    expect((await otherAdvocate.post(`/api/contacts/${contactId}/suggestions`, {})).status).toBe(404);
  });
});
