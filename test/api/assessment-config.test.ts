import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stableStringify } from '../../src/shared/assessment/instrument.json.js';
import { scenarios } from '../fixtures/assessment/scenarios.js';
import { ApiClient } from '../helpers/client.js';
import { addSmsNumber, messageSid, postSms } from '../helpers/intake.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let number: string;
let admin: ApiClient;
let advocate: ApiClient;
let supervisor: ApiClient;
let outsiderAdmin: ApiClient;
let outsiderAdvocate: ApiClient;

const MINOR = scenarios.find((s) => s.id === 'minor_commercial_sex_without_means')!;
const RULE_TEXT = 'EDITED: a minor in commercial sex is always trafficking';

beforeAll(async () => {
  server = await startTestServer();
  number = await addSmsNumber(server);
  admin = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['admin'] }));
  advocate = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['advocate'] }));
  supervisor = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['supervisor'] }));
  const other = await server.addHotline(`o${Date.now().toString(36)}`);
  outsiderAdmin = await new ApiClient(server.app).signIn(await other.createUser({ roles: ['admin'] }));
  outsiderAdvocate = await new ApiClient(server.app).signIn(await other.createUser({ roles: ['advocate'] }));
});
afterAll(() => server?.close());

let phone = 5550700;
async function newContact() {
  const response = await postSms(server.url, { MessageSid: messageSid(), AccountSid: 'AC' + '0'.repeat(32), From: `+1514${phone++}`, To: number, Body: 'help', NumMedia: '0' });
  expect(response.status).toBe(200);
  const { id } = await server.db.selectFrom('contact').select('id').where('hotline_id', '=', server.hotline.id).orderBy('number', 'desc').limit(1).executeTakeFirstOrThrow();
  expect((await advocate.post(`/api/queue/${id}/claim`)).status).toBe(200);
  await server.db.updateTable('contact').set({ request_type: 'tip' }).where('id', '=', id).execute();
  return id;
}
const assess = (contactId: string) => advocate.post(`/api/contacts/${contactId}/assessment`, { answers: MINOR.answers, person: MINOR.person });
const audits = (action: string) =>
  server.db.selectFrom('audit_log').select(['record_id', 'hotline_id', 'actor_id']).where('action', '=', action).where('hotline_id', '=', server.hotline.id).orderBy('at').execute();

type Instrument = { id: string; version: number; items: { id: string; text: { en: string; es: string; fr: string }; showIf?: unknown }[]; rules: { id: string; text: { en: string } }[] };

describe('instrument versions', () => {
  let draft: number;
  let instrument: Instrument;
  let contactBefore: string;

  it('lists the shipped default as the current version before anything is edited', async () => {
    const list = await admin.get('/api/admin/config/instrument/versions');
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ current: 1, draft: null });
    expect(list.body.items).toEqual([expect.objectContaining({ version: 1, status: 'shipped', isCurrent: true })]);
    contactBefore = await newContact();
    const before = await assess(contactBefore);
    expect(before.body.assessment.instrument).toEqual({ id: 'catalyst-default', version: 1 });
  });

  it('starts a draft from the shipped default, numbered after it, and allows only one draft at a time', async () => {
    const created = await admin.post('/api/admin/config/instrument/drafts', { from: 1 });
    expect(created.status).toBe(201);
    draft = created.body.version;
    expect(draft).toBe(2);
    expect((await admin.post('/api/admin/config/instrument/drafts', { from: 1 })).body.error.code).toBe('conflict');
    const read = await admin.get(`/api/admin/config/instrument/versions/${draft}`);
    expect(read.body.version).toMatchObject({ version: 2, status: 'draft', basedOn: 1, isCurrent: false, createdBy: { name: expect.any(String) } });
    instrument = read.body.data;
    expect(instrument.version).toBe(2);
    expect((await audits('config.draft.create')).map((a) => a.record_id)).toEqual(['instrument:2']);
  });

  it('refuses a bad instrument with issues naming the item, and keeps the draft as it was', async () => {
    const broken = structuredClone(instrument);
    broken.items[3].showIf = { op: 'yes', item: 'no_such_item' };
    broken.items[5].text.es = ' ';
    const response = await admin.put(`/api/admin/config/instrument/drafts/${draft}`, { data: broken });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
    const issues = response.body.error.issues as { subject: string; path: string; message: string }[];
    expect(issues).toContainEqual(expect.objectContaining({ subject: `item '${instrument.items[5].id}'`, path: 'items[5].text.es' }));
    expect(response.body.error.message).toContain('item ');

    const broken2 = structuredClone(instrument);
    broken2.items[3].showIf = { op: 'yes', item: 'no_such_item' };
    const second = await admin.put(`/api/admin/config/instrument/drafts/${draft}`, { data: broken2 });
    expect(second.body.error.issues).toEqual([expect.objectContaining({ code: 'unknown_item', subject: `item '${instrument.items[3].id}'`, path: 'items[3].showIf.item' })]);
    expect((await admin.get(`/api/admin/config/instrument/versions/${draft}`)).body.data).toEqual(instrument);
  });

  it('saves a valid edit (Spanish text, rule wording) and refuses a save over a newer one', async () => {
    const edited = structuredClone(instrument);
    edited.items[0].text.es = 'Texto revisado en español';
    edited.rules.find((rule) => rule.id === 'minor_in_commercial_sex')!.text.en = RULE_TEXT;
    edited.version = 99; // the version is the store's, not the editor's
    const saved = await admin.put(`/api/admin/config/instrument/drafts/${draft}`, { data: edited });
    expect(saved.status).toBe(200);
    expect(saved.body.data.version).toBe(draft);
    expect(saved.body.data.items[0].text.es).toBe('Texto revisado en español');
    const stale = await admin.put(`/api/admin/config/instrument/drafts/${draft}`, { data: edited, ifUpdatedAt: '2020-01-01T00:00:00.000Z' });
    expect(stale.body.error.code).toBe('stale_version');
    expect((await audits('config.draft.update')).length).toBe(1);
  });

  it('leaves assessments on the published version while the draft is unpublished', async () => {
    const response = await assess(await newContact());
    expect(response.body.assessment.instrument.version).toBe(1);
  });

  it('publishes: new assessments use the new version, past results keep theirs', async () => {
    const published = await admin.post(`/api/admin/config/instrument/drafts/${draft}/publish`);
    expect(published.status).toBe(200);
    const list = await admin.get('/api/admin/config/instrument/versions');
    expect(list.body).toMatchObject({ current: 2, draft: null });
    expect(list.body.items[0]).toMatchObject({ version: 2, status: 'published', isCurrent: true, publishedBy: { name: expect.any(String) } });
    expect(list.body.items[1]).toMatchObject({ version: 1, status: 'shipped', isCurrent: false });

    const contactAfter = await newContact();
    const after = await assess(contactAfter);
    expect(after.body.assessment.instrument).toEqual({ id: 'catalyst-default', version: 2 });
    const decisive = after.body.assessment.explanation.find((e: { ruleId: string }) => e.ruleId === 'minor_in_commercial_sex');
    expect(decisive.ruleText.en).toBe(RULE_TEXT);
    expect((await advocate.get('/api/assessment/instrument')).body.instrument.items[0].text.es).toBe('Texto revisado en español');

    const old = await advocate.get(`/api/contacts/${contactBefore}/assessment`);
    expect(old.body.latest.instrument).toEqual({ id: 'catalyst-default', version: 1 });
    expect(old.body.latest.explanation.find((e: { ruleId: string }) => e.ruleId === 'minor_in_commercial_sex').ruleText.en).not.toBe(RULE_TEXT);
    const stored = await server.db.selectFrom('assessment').select(['contact_id', 'instrument_version']).where('contact_id', 'in', [contactBefore, contactAfter]).execute();
    expect(Object.fromEntries(stored.map((row) => [row.contact_id, row.instrument_version]))).toEqual({ [contactBefore]: 1, [contactAfter]: 2 });
    expect((await audits('config.publish')).map((a) => a.record_id)).toEqual(['instrument:2']);
  });

  it('never changes a published version, through the API or directly in the database', async () => {
    const response = await admin.put(`/api/admin/config/instrument/drafts/${draft}`, { data: instrument });
    expect(response.body.error.code).toBe('conflict');
    expect((await admin.post(`/api/admin/config/instrument/drafts/${draft}/publish`)).body.error.code).toBe('conflict');
    expect((await admin.request('DELETE', `/api/admin/config/instrument/drafts/${draft}`)).body.error.code).toBe('conflict');
    await expect(
      server.db.updateTable('hotline_config').set({ data: '{}' }).where('hotline_id', '=', server.hotline.id).where('kind', '=', 'instrument').where('version', '=', draft).execute(),
    ).rejects.toThrow(/cannot be changed/);
  });

  it('exports stable JSON and imports it back as a new draft that exports the same', async () => {
    const exported = await admin.get(`/api/admin/config/instrument/versions/${draft}/export`);
    expect(exported.status).toBe(200);
    expect(exported.headers['content-disposition']).toBe('attachment; filename="catalyst-default-v2.json"');
    const text = exported.raw.body;
    expect(text).toBe(stableStringify(JSON.parse(text)) + '\n');
    expect(JSON.parse(text).items[0].text.es).toBe('Texto revisado en español');

    const imported = await admin.post('/api/admin/config/instrument/import', { json: text });
    expect(imported.status).toBe(201);
    expect(imported.body.version).toBe(3);
    const again = await admin.get('/api/admin/config/instrument/versions/3/export');
    expect(again.raw.body).toBe(text.replace('"version": 2', '"version": 3'));
    const list = await admin.get('/api/admin/config/instrument/versions');
    expect(list.body.items[0]).toMatchObject({ version: 3, status: 'draft', source: 'import', basedOn: null });
    expect((await audits('config.import')).map((a) => a.record_id)).toEqual(['instrument:3']);
    expect((await audits('config.export')).map((a) => a.record_id)).toEqual(['instrument:2', 'instrument:3']);
  });

  it('refuses an import that is not JSON or not a valid instrument, writing nothing', async () => {
    expect((await admin.request('DELETE', '/api/admin/config/instrument/drafts/3')).status).toBe(200);
    const notJson = await admin.post('/api/admin/config/instrument/import', { json: '{"id": ' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.issues[0]).toMatchObject({ code: 'invalid_json' });
    const bad = structuredClone(instrument);
    bad.items.push({ ...bad.items[0] });
    const duplicate = await admin.post('/api/admin/config/instrument/import', { json: JSON.stringify(bad) });
    expect(duplicate.body.error.issues).toContainEqual(expect.objectContaining({ code: 'duplicate_item_id', subject: `item '${bad.items[0].id}'` }));
    const list = await admin.get('/api/admin/config/instrument/versions');
    expect(list.body.draft).toBeNull();
    expect((await audits('config.draft.discard')).map((a) => a.record_id)).toEqual(['instrument:3']);
  });

  it('starts a new draft from an older version (the shipped default)', async () => {
    const created = await admin.post('/api/admin/config/instrument/drafts', { from: 1 });
    expect(created.body.version).toBe(3); // a discarded draft's number is free again: it was never published
    expect(created.body.data.version).toBe(3);
    const data = (await admin.get('/api/admin/config/instrument/versions/3')).body.data as Instrument;
    expect(data.items[0].text.es).not.toBe('Texto revisado en español');
    expect((await admin.request('DELETE', '/api/admin/config/instrument/drafts/3')).status).toBe(200);
  });
});

describe('protocol set versions', () => {
  type ProtocolSet = { protocols: { id: string; version: number; steps: { id: string; kind: string; next?: string; script?: { en: string; es: string; fr: string } }[] }[] };
  let set: ProtocolSet;

  it('edits a step script, refuses a broken flow naming the protocol and step, and publishes with a new protocol version', async () => {
    const created = await admin.post('/api/admin/config/protocols/drafts', { from: 0 });
    expect(created.status).toBe(201);
    expect(created.body.version).toBe(1);
    set = created.body.data;
    const protocol = set.protocols[0];

    const broken = structuredClone(set);
    const plain = protocol.steps.findIndex((s) => s.kind !== 'decision');
    broken.protocols[0].steps[plain].next = 'nowhere';
    const refused = await admin.put('/api/admin/config/protocols/drafts/1', { data: broken });
    expect(refused.status).toBe(400);
    expect(refused.body.error.issues[0]).toMatchObject({ code: 'unknown_step', subject: `protocol '${protocol.id}', step '${protocol.steps[plain].id}'`, path: `protocols[0].steps[${plain}].next` });

    const edited = structuredClone(set);
    const step = edited.protocols[0].steps.find((s) => s.script)!;
    step.script!.es = 'Guion revisado';
    expect((await admin.put('/api/admin/config/protocols/drafts/1', { data: edited })).status).toBe(200);
    const published = await admin.post('/api/admin/config/protocols/drafts/1/publish');
    expect(published.status).toBe(200);
    expect(published.body.bumped).toEqual([`${protocol.id}@${protocol.version + 1}`]);
    expect(published.body.data.protocols[0].version).toBe(protocol.version + 1);
    expect(published.body.data.protocols[1].version).toBe(set.protocols[1].version);
  });

  it('makes new previews run the published protocols', async () => {
    const preview = await advocate.post('/api/assessment/preview', { answers: {}, flags: ['imminent_danger'], requestType: 'crisis' });
    expect(preview.status).toBe(200);
    const first = preview.body.protocols.find((p: { id: string }) => p.id === set.protocols[0].id);
    expect(first.version).toBe(set.protocols[0].version + 1);
    expect(first.steps.some((s: { script?: { es: string } }) => s.script?.es === 'Guion revisado')).toBe(true);
  });
});

describe('access', () => {
  it('refuses supervisors and advocates (config.manage is for admins)', async () => {
    for (const client of [supervisor, advocate]) {
      expect((await client.get('/api/admin/config/instrument/versions')).status).toBe(403);
      expect((await client.post('/api/admin/config/instrument/drafts', { from: 1 })).status).toBe(403);
      expect((await client.post('/api/admin/config/instrument/drafts/2/publish')).status).toBe(403);
    }
  });

  it('keeps hotlines apart: another hotline sees only the shipped default and cannot touch our versions', async () => {
    const list = await outsiderAdmin.get('/api/admin/config/instrument/versions');
    expect(list.body.items).toEqual([expect.objectContaining({ version: 1, status: 'shipped', isCurrent: true })]);
    expect((await outsiderAdmin.get('/api/admin/config/instrument/versions/2')).status).toBe(404);
    expect((await outsiderAdmin.get('/api/admin/config/instrument/versions/2/export')).status).toBe(404);
    const ours = await admin.post('/api/admin/config/instrument/drafts', { from: 2 });
    expect(ours.status).toBe(201);
    expect((await outsiderAdmin.post(`/api/admin/config/instrument/drafts/${ours.body.version}/publish`)).status).toBe(404);
    expect((await outsiderAdmin.put(`/api/admin/config/instrument/drafts/${ours.body.version}`, { data: ours.body.data })).status).toBe(404);
    expect((await outsiderAdmin.request('DELETE', `/api/admin/config/instrument/drafts/${ours.body.version}`)).status).toBe(404);
    // Their own draft is independent of ours.
    expect((await outsiderAdmin.post('/api/admin/config/instrument/drafts', { from: 1 })).body.version).toBe(2);
    const instrument = await outsiderAdvocate.get('/api/assessment/instrument');
    expect(instrument.body.instrument.version).toBe(1);
  });
});
