import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishConfig } from '../../src/server/config-store.js';
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

  it('searches the free-text answers of the contact form (a name the caller gave), not its choice codes', async () => {
    await publishConfig(server.db, server.hotline.id, 'contact_form', { fields: [
      { id: 'caller_name', type: 'text', required: false, label: { en: 'Name the caller gave', es: 'Nombre que dio', fr: 'Nom donné' } },
      { id: 'mood', type: 'select', required: false, label: { en: 'Mood', es: 'Ánimo', fr: 'Humeur' }, options: [{ value: 'worried', label: { en: 'Worried', es: 'Preocupada', fr: 'Inquiète' } }] },
    ] }, null);
    const contactId = await newContact('hola');
    const { version } = await server.db.selectFrom('contact').select('version').where('id', '=', contactId).executeTakeFirstOrThrow();
    expect((await supervisor.patch(`/api/contacts/${contactId}`, { version, formData: { caller_name: 'Wilmer Huaranga', mood: 'worried' } })).status).toBe(200);
    const found = await search(advocate, { q: 'Huaranga', types: 'contact' });
    expect(found.items.map((h) => h.id)).toContain(contactId);
    expect((await search(advocate, { q: 'worried', types: 'contact' })).items.map((h) => h.id)).not.toContain(contactId);
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

  it('pages through the cases by filter alone, newest first, each case once', async () => {
    const all = await advocate.get('/api/search?limit=100');
    expect(all.body.next).toBeNull();
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 50; page++) {
      const got = await advocate.get(`/api/search?limit=1${after ? `&after=${encodeURIComponent(after)}` : ''}`);
      expect(got.status).toBe(200);
      seen.push(...got.body.items.map((h: { id: string }) => h.id));
      if (!got.body.next) break;
      expect(got.body.items).toHaveLength(1);
      after = got.body.next;
    }
    expect(all.body.items.length).toBeGreaterThan(1);
    expect(seen).toEqual(all.body.items.map((h: { id: string }) => h.id));
    expect((await advocate.get('/api/search?after=not-a-cursor')).status).toBe(400);
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

  it('lists the contacts I opened beside the cases, without personal data', async () => {
    const contactId = await newContact('Mi hermana trabaja en un restaurante');
    expect((await supervisor.get(`/api/contacts/${contactId}`)).status).toBe(200);
    const recent = (await supervisor.get('/api/search/recent')).body.items;
    expect(recent[0]).toMatchObject({ type: 'contact', id: contactId, reference: expect.stringMatching(/^C-\d+$/), label: null, channel: 'sms' });
    expect(JSON.stringify(recent[0])).not.toContain('hermana');
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

describe('organisations and places', () => {
  let lotus: string;
  let farmCase: string;

  beforeAll(async () => {
    const added = await advocate.post(`/api/cases/${lopezCase}/entities`, { kind: 'organisation', name: 'Golden Lotus Spa', aliases: ['Lotus Massage'], industry: 'massage parlour', isicSection: 'S', address: { street: '12 Avenida Reforma', city: 'Ciudad de México', postcode: '06600', country: 'MX' }, adminArea: 'MX-CMX', description: 'Women sleep in the back rooms' });
    expect(added.status).toBe(201);
    lotus = added.body.case.entities.find((e: { name: string }) => e.name === 'Golden Lotus Spa').id;
    expect(added.body.case.entities[0]).toMatchObject({ kind: 'organisation', isicSection: 'S', adminArea: 'MX-CMX', normalisedAddress: expect.stringContaining('reforma') });
    expect(added.body.case.timeline.some((e: { kind: string }) => e.kind === 'entity_added')).toBe(true);
    farmCase = await openCase(advocate, 'Seasonal crew', [], { sensitivity: 'restricted' });
    expect((await advocate.post(`/api/cases/${farmCase}/entities`, { kind: 'place', name: 'Finca El Olivar', address: { city: 'Lleida' } })).status).toBe(201);
  });

  it('finds an organisation by a misspelt name or an alias and points at its case', async () => {
    for (const q of ['Golden Lotsu', 'lotus massage', 'GOLDEN LOTUS']) {
      const { items } = await search(advocate, { q });
      const hit = items.find((h) => h.type === 'organisation');
      expect({ q, id: hit?.id, caseId: hit?.caseId }).toEqual({ q, id: lotus, caseId: lopezCase });
      expect(hit!.reasons[0].code).toBe('name_similar');
    }
  });

  it('finds an organisation by the words of its address or description, and its case from the case list', async () => {
    expect((await search(advocate, { q: 'reforma', types: 'organisation,place' })).items.map((h) => h.id)).toContain(lotus);
    expect((await search(advocate, { q: 'back rooms', types: 'organisation' })).items.map((h) => h.id)).toEqual([lotus]);
    expect((await search(advocate, { q: 'Golden Lotus', types: 'case' })).items.map((h) => h.id)).toContain(lopezCase);
  });

  it('shows a place on a restricted case only to the people named on it', async () => {
    expect((await search(advocate, { q: 'Finca Olivar' })).items.some((h) => h.type === 'place' && h.caseId === farmCase)).toBe(true);
    expect((await search(colleague, { q: 'Finca Olivar' })).items).toHaveLength(0);
    expect((await search(colleague, { q: 'Lleida', types: 'place' })).items).toHaveLength(0);
    expect((await colleague.post(`/api/cases/${farmCase}/entities`, { kind: 'place', name: 'x' })).status).toBe(404);
  });

  it('keeps the name and address only encrypted, and refuses bad input', async () => {
    const raw = await server.db.selectFrom('case_entity').select('details').where('id', '=', lotus).executeTakeFirstOrThrow();
    expect(raw.details.toString('latin1')).not.toMatch(/Lotus|Reforma/);
    expect((await advocate.post(`/api/cases/${lopezCase}/entities`, { kind: 'organisation', name: 'X', isicSection: 'Z' })).status).toBe(400);
    expect((await advocate.post(`/api/cases/${lopezCase}/entities`, { kind: 'shop', name: 'X' })).status).toBe(400);
  });
});

describe('names in other scripts', () => {
  it('finds names written in Arabic, Chinese and Amharic script when typed in Latin letters', async () => {
    const caseId = await openCase(advocate, 'Domestic workers, Gulf recruitment agency', [
      { role: 'potential_victim', details: { givenNames: 'فاطمة', familyNames: 'الزهراء' } },
      { role: 'witness', details: { givenNames: 'محمد', familyNames: 'إبراهيم' } },
      { role: 'witness', details: { givenNames: '小明', familyNames: '王' } },
      { role: 'signaler', details: { givenNames: 'ታደሰ', familyNames: 'በቀለ' } },
    ]);
    const labelsFor = async (q: string) => (await search(advocate, { q })).items.filter((h) => h.caseId === caseId).map((h) => h.label);
    expect(await labelsFor('Mohammed Ibrahim')).toContain('محمد إبراهيم');
    expect(await labelsFor('Fatima')).toContain('فاطمة الزهراء');
    expect(await labelsFor('Wang Xiaoming')).toContain('小明 王');
    expect(await labelsFor('Tadese Bekele')).toContain('ታደሰ በቀለ');
    expect(await labelsFor('Hartley')).toHaveLength(0);
  });
});

describe('bounds and roles', () => {
  it('says whether the answer is complete', async () => {
    const body = await search(advocate, { q: 'Hartley' }) as unknown as { complete: boolean };
    expect(body.complete).toBe(true);
    for (let i = 0; i < 3; i++) await openCase(advocate, `Hartley follow-up ${i}`, []);
    const short = await search(advocate, { q: 'Hartley', limit: '2' }) as unknown as { items: unknown[]; complete: boolean };
    expect(short.items).toHaveLength(2);
    expect(short.complete).toBe(false);
  });

  it('lets a QA reviewer search the contacts they may read, and nothing reached through cases', async () => {
    const qa = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['qa_reviewer'] }));
    const contactId = await newContact('hello');
    const { version } = await server.db.selectFrom('contact').select('version').where('id', '=', contactId).executeTakeFirstOrThrow();
    expect((await supervisor.patch(`/api/contacts/${contactId}`, { version, summary: 'Worker at a tannery asks about back pay' })).status).toBe(200);
    expect((await search(qa, { q: 'tannery' })).items.map((h) => `${h.type}:${h.id}`)).toEqual([`contact:${contactId}`]);
    const byName = await search(qa, { q: 'Maria Lopez' });
    expect(byName.items.filter((h) => h.type !== 'contact')).toHaveLength(0);
    // case.read lets anyone named on a case read it (isNamed), so the box is open to every role; what comes back is
    // only what the compiled rules allow: an analyst named on no case and reading no contact finds nothing.
    const analyst = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['analyst'] }));
    expect((await search(analyst, { q: 'Maria Lopez' })).items).toHaveLength(0);
    expect((await search(analyst, { q: 'tannery' })).items).toHaveLength(0);
  });
});
