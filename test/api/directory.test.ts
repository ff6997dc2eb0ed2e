import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { ApiClient } from '../helpers/client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { configureNeed, exportServices, importDirectory, readImportSource, setPartnerProfile, tagServiceNeeds, listNeeds } from '../../src/server/directory/directory.service.js';
import { collectJson } from '../../src/server/directory/hsds-import.js';
import { DEFAULT_NEEDS } from '../../src/shared/directory/needs.js';
import { matchServices } from '../../src/server/directory/match.js';

// The upstream Open Referral HSDS 3.0 files (CC BY-SA 4.0), read at run time: ../shared/standards/hsds/SOURCE.md
const HSDS = fileURLToPath(new URL('../../../shared/standards/hsds/3.0/', import.meta.url));
const example = (name: string) => path.join(HSDS, 'examples', name);
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

const SERVICE_ID = 'ac148810-d857-441c-9679-408f346de14b';
const ORG_ID = 'd9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610';
const cli = { id: null, label: 'test' };

/** ajv over the upstream schemas, each added under its file name so the relative $refs resolve (as SOURCE.md says). */
function upstreamValidator() {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  const dir = path.join(HSDS, 'schema');
  for (const file of fs.readdirSync(dir)) if (file.endsWith('.json') && file !== 'openapi.json') ajv.addSchema(readJson(path.join(dir, file)), file);
  return (entity: string, value: unknown) => {
    const validate = ajv.getSchema(`${entity}.json`)!;
    const valid = validate(value);
    return { valid, errors: JSON.stringify(validate.errors?.slice(0, 5) ?? null) };
  };
}

let server: TestServer;
const validate = upstreamValidator();

beforeAll(async () => {
  server = await startTestServer({ listen: false });
});
afterAll(() => server?.close());

async function exportAll(hotlineId: string) {
  const all: Record<string, unknown>[] = [];
  for await (const batch of exportServices(server.db, hotlineId, 2)) all.push(...batch);
  return all;
}

describe('HSDS import and export', () => {
  it('accepts the upstream examples as valid (sanity check of the validator)', () => {
    expect(validate('service', readJson(example('service_full.json'))).valid).toBe(true);
  });

  it('imports the upstream service_full.json, exports it back valid against the upstream schemas with the same key fields', async () => {
    const source = await readImportSource(example('service_full.json'));
    expect(source.ok).toBe(true);
    if (!source.ok) return;
    const report = await importDirectory(server.db, server.hotline.id, source.value, cli);
    expect(report.rejected).toEqual([]);
    expect(report.imported).toMatchObject({ service: 1, organization: 1, location: 1, service_at_location: 1, phone: 1, contact: 1, schedule: 1, language: 1, service_area: 1, address: 1, attribute: 1, taxonomy_term: 1 });

    const exported = await exportAll(server.hotline.id);
    expect(exported).toHaveLength(1);
    const [service] = exported as any[];
    const result = validate('service', service);
    expect(result.errors).toBe('null');
    expect(result.valid).toBe(true);

    const original = readJson(example('service_full.json'));
    for (const key of ['id', 'name', 'alternate_name', 'description', 'url', 'email', 'status', 'minimum_age', 'maximum_age', 'last_modified', 'fees_description']) expect(service[key]).toEqual(original[key]);
    expect(service.organization.id).toBe(original.organization.id);
    expect(service.organization.name).toBe(original.organization.name);
    expect(service.organization.funding).toEqual(original.organization.funding);
    expect(service.cost_options).toEqual(original.cost_options);
    expect(service.phones.map((p: any) => [p.id, p.number, p.extension])).toEqual(original.phones.map((p: any) => [p.id, p.number, p.extension]));
    expect(service.phones[0].languages.map((l: any) => l.code)).toEqual(['ur']);
    expect(service.schedules[0]).toMatchObject({ id: original.schedules[0].id, opens_at: '10:00:00', closes_at: '18:00:00', byday: 'TH,FR', freq: 'WEEKLY' });
    expect(service.service_areas.map((a: any) => a.id)).toEqual(original.service_areas.map((a: any) => a.id));
    const [sal] = service.service_at_locations;
    expect(sal.id).toBe(original.service_at_locations[0].id);
    expect(sal.location).toMatchObject({ id: original.service_at_locations[0].location.id, name: 'MyCity Civic Center', latitude: 100, longitude: 101 });
    expect(sal.location.addresses[0]).toMatchObject(original.service_at_locations[0].location.addresses[0]);
    expect(sal.location.accessibility).toEqual(original.service_at_locations[0].location.accessibility);
    expect(service.attributes[0].taxonomy_term.taxonomy_detail).toEqual(original.attributes[0].taxonomy_term.taxonomy_detail);
    expect(service.contacts.map((c: any) => c.id)).toEqual(original.contacts.map((c: any) => c.id));
  });

  it('imports every upstream JSON example shape (organization, service_at_location, location, lists) without rejections', async () => {
    const other = await server.addHotline('all-shapes');
    for (const file of ['organization_full.json', 'service_at_location_full.json', 'location.json', 'service_list.json', 'organization_list.json', 'service_at_location_list.json', 'taxonomy_term.json']) {
      const source = await readImportSource(example(file));
      if (!source.ok) throw new Error(file);
      const report = await importDirectory(server.db, other.id, source.value, cli);
      expect({ file, rejected: report.rejected }).toEqual({ file, rejected: [] });
    }
    const exported = (await exportAll(other.id)) as any[];
    expect(exported.length).toBeGreaterThan(0);
    for (const s of exported) expect({ id: s.id, errors: validate('service', s).errors }).toEqual({ id: s.id, errors: 'null' });
  });

  it('is idempotent: importing the same file again changes no counts and duplicates nothing', async () => {
    const source = await readImportSource(example('service_full.json'));
    if (!source.ok) throw new Error('unreadable');
    const before = await server.db.selectFrom('hsds_phone').select((eb) => eb.fn.countAll<number>().as('n')).where('hotline_id', '=', server.hotline.id).executeTakeFirstOrThrow();
    await importDirectory(server.db, server.hotline.id, source.value, cli);
    const after = await server.db.selectFrom('hsds_phone').select((eb) => eb.fn.countAll<number>().as('n')).where('hotline_id', '=', server.hotline.id).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect(await exportAll(server.hotline.id)).toHaveLength(1);
    const audits = await server.db.selectFrom('audit_log').select('details').where('hotline_id', '=', server.hotline.id).where('action', '=', 'directory.import').execute();
    expect(audits.length).toBe(2);
  });

  it('imports the upstream CSV datapackage, reports each rejected row with its reason, and exports valid HSDS', async () => {
    const other = await server.addHotline('csv-hotline');
    const source = await readImportSource(path.join(HSDS, 'examples', 'csv'));
    expect(source.ok).toBe(true);
    if (!source.ok) return;
    const report = await importDirectory(server.db, other.id, source.value, cli);
    expect(report.imported).toMatchObject({ organization: 1, service: 1, location: 1, service_at_location: 1, phone: 1, contact: 1, schedule: 1, language: 1, service_area: 1, address: 1, taxonomy_term: 1 });
    // The upstream attribute row links to a record that is in no table of the package.
    expect(report.rejected).toEqual(expect.arrayContaining([
      expect.objectContaining({ source: 'attributes.csv line 2', entity: 'attribute', reason: expect.stringContaining('link_id') }),
    ]));
    // The upstream location names an organization that is not in organizations.csv: kept, link dropped, reported.
    expect(report.warnings).toEqual(expect.arrayContaining([
      expect.objectContaining({ source: 'locations.csv line 2', entity: 'location', reason: expect.stringContaining('organization_id 985e4a42-bd9f-4edc-911d-0243a4640aca matches no organization') }),
    ]));
    expect(report.notices.join('\n')).toContain('metadata.csv');

    const exported = (await exportAll(other.id)) as any[];
    expect(exported).toHaveLength(1);
    const result = validate('service', exported[0]);
    expect(result.errors).toBe('null');
    const csvService = exported[0];
    expect(csvService).toMatchObject({ id: SERVICE_ID, name: 'Community Counselling', status: 'active', minimum_age: 12, organization_id: ORG_ID });
    expect(csvService.program.id).toBe('e7ec2e57-4540-43fa-b2c7-6be5a0ef7f42');
    expect(csvService.required_documents[0].id).toBe('f6ad7e69-b9c8-42ce-92db-92cedb4c05c0');
    expect(csvService.organization.organization_identifiers[0].identifier).toBe('1234567');
    expect(csvService.service_at_locations[0].location.accessibility[0].id).toBe('afcf296e-1cb2-4139-9c88-33d587d1a50b');
    expect(csvService.phones[0]).toMatchObject({ id: '1554f2e2-a373-45db-a3fa-9fc48a61c15e', number: '"+44 1234 234567"', extension: 100 });
  });

  it('rejects bad rows one by one with the reason, and imports the rest', async () => {
    const other = await server.addHotline('bad-rows');
    const base = readJson(example('service_full.json'));
    const good = { id: '11111111-1111-4111-8111-111111111111', name: 'Safe House North', status: 'active', organization: { id: '22222222-2222-4222-8222-222222222222', name: 'North Shelter Society', description: 'Shelter' } };
    const document = [
      base,
      good,
      { id: 'not-a-uuid', name: 'X', status: 'active' },
      { id: '33333333-3333-4333-8333-333333333333', name: 'No status' },
      { id: '44444444-4444-4444-8444-444444444444', name: 'Bad status', status: 'open', email: 'nope' },
      { ...good, id: '55555555-5555-4555-8555-555555555555', phones: [{ id: '66666666-6666-4666-8666-666666666666' }] },
      42,
    ];
    const report = await importDirectory(server.db, other.id, collectJson({ services: document }), cli);
    const reasons = Object.fromEntries(report.rejected.map((r) => [r.source, r.reason]));
    expect(reasons['$.services[2]']).toBe('id: must be a UUID');
    expect(reasons['$.services[3]']).toMatch(/status/);
    expect(reasons['$.services[4]']).toMatch(/status/);
    expect(reasons['$.services[4]']).toMatch(/email/);
    expect(reasons['$.services[5].phones[0]']).toMatch(/number/);
    expect(reasons['$.services[6]']).toBe('not a JSON object');
    expect(report.imported.service).toBe(3);
    const exported = (await exportAll(other.id)) as any[];
    expect(exported.map((s) => s.name).sort()).toEqual(['Community Counselling', 'Safe House North', 'Safe House North']);
    for (const s of exported) expect(validate('service', s).valid).toBe(true);
  });

  it('reports a datapackage row by row: bad values, broken links, unreadable files', async () => {
    const other = await server.addHotline('csv-bad');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hsds-bad-'));
    const org = '70000000-0000-4000-8000-000000000001';
    fs.writeFileSync(path.join(dir, 'organizations.csv'), `id,name,description\n${org},Shelter Org,Shelter\n`);
    fs.writeFileSync(path.join(dir, 'services.csv'), [
      'id,organization_id,name,status,minimum_age',
      `70000000-0000-4000-8000-000000000011,${org},Good service,active,12`,
      `70000000-0000-4000-8000-000000000012,${org},,active,`,
      `70000000-0000-4000-8000-000000000013,${org},Old service,active,twelve`,
      `70000000-0000-4000-8000-000000000014,70000000-0000-4000-8000-0000000000ff,Orphan service,active,`,
    ].join('\n') + '\n');
    fs.writeFileSync(path.join(dir, 'service_at_location.csv'), `id,service_id,location_id\n70000000-0000-4000-8000-000000000021,70000000-0000-4000-8000-000000000099,70000000-0000-4000-8000-000000000098\n`);
    fs.writeFileSync(path.join(dir, 'phones.csv'), 'id,service_id,number\n"70000000-0000-4000-8000-000000000031,oops\n');
    const source = await readImportSource(dir);
    if (!source.ok) throw new Error('unreadable');
    const report = await importDirectory(server.db, other.id, source.value, cli);
    const reasons = Object.fromEntries(report.rejected.map((r) => [r.source, r.reason]));
    expect(reasons['services.csv line 3']).toMatch(/^name:/);
    expect(reasons['services.csv line 4']).toMatch(/^minimum_age:/);
    expect(reasons['service_at_location.csv line 2']).toBe('needs service_id and location_id matching an imported record');
    expect(reasons['phones.csv']).toMatch(/not readable as CSV/);
    expect(report.warnings).toContainEqual(expect.objectContaining({ source: 'services.csv line 5', reason: expect.stringContaining('matches no organization; link dropped') }));
    expect(report.imported).toMatchObject({ organization: 1, service: 2, service_at_location: 0, phone: 0 });
    expect(report.notices.join(' ')).toMatch(/datapackage.json is missing/);
    fs.rmSync(dir, { recursive: true, force: true });

    expect(await readImportSource(path.join(os.tmpdir(), 'no-such-file.json'))).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const badJson = path.join(os.tmpdir(), `bad-${process.pid}.json`);
    fs.writeFileSync(badJson, '{ not json');
    expect(await readImportSource(badJson)).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    fs.rmSync(badJson);
  });

  it('ships the default need taxonomy with English, Spanish and French labels, and tags services with it', async () => {
    const needs = await listNeeds(server.db, server.hotline.id);
    expect(needs.map((n) => n.key).sort()).toEqual(DEFAULT_NEEDS.map((n) => n.key).sort());
    for (const n of needs) expect(Object.keys(n.labels).sort()).toEqual(['en', 'es', 'fr']);
    const tagged = await server.db.transaction().execute((tx) => tagServiceNeeds(tx, server.hotline.id, SERVICE_ID, ['mental_health', 'interpretation']));
    expect(tagged).toEqual({ ok: true, value: { tagged: 2 } });
    const bad = await server.db.transaction().execute((tx) => tagServiceNeeds(tx, server.hotline.id, SERVICE_ID, ['astrology']));
    expect(bad.ok).toBe(false);
    const [service] = (await exportAll(server.hotline.id)) as any[];
    expect(validate('service', service).valid).toBe(true);
    expect(service.attributes.map((a: any) => a.taxonomy_term?.code).sort()).toEqual(['code', 'interpretation', 'mental_health']);
  });
});

describe('HSDS read API', () => {
  const api = () => new ApiClient(server.app);

  it('publishes nothing until the partner is vetted', async () => {
    const response = await api().get(`/hsds/${server.hotline.slug}/services`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ total_items: 0, total_pages: 1, page_number: 1, size: 0, first_page: true, last_page: true, empty: true, contents: [] });
    expect((await api().get(`/hsds/${server.hotline.slug}/services/${SERVICE_ID}`)).status).toBe(404);
    expect((await api().get(`/hsds/${server.hotline.slug}/organizations/${ORG_ID}`)).status).toBe(404);
  });

  it('serves vetted partners with the HSDS paging shape, without staff contacts', async () => {
    expect((await setPartnerProfile(server.db, server.hotline.id, ORG_ID, { vettingStatus: 'vetted', reviewDueOn: '2027-06-01', accepts: { men: true, minors: false } }, cli)).ok).toBe(true);
    const list = await api().get(`/hsds/${server.hotline.slug}/services?per_page=10`);
    expect(list.status).toBe(200);
    expect(list.headers['access-control-allow-origin']).toBe('*');
    expect(list.body).toMatchObject({ total_items: 1, total_pages: 1, page_number: 1, size: 1, first_page: true, last_page: true, empty: false });
    expect(list.body.contents[0]).toMatchObject({ id: SERVICE_ID, name: 'Community Counselling', organization: { id: ORG_ID } });

    const one = await api().get(`/hsds/${server.hotline.slug}/services/${SERVICE_ID}`);
    expect(one.status).toBe(200);
    expect(validate('service', one.body).valid).toBe(true);
    expect(JSON.stringify(one.body)).not.toContain('Ann Persona');
    expect(one.body.contacts).toBeUndefined();

    const orgs = await api().get(`/hsds/${server.hotline.slug}/organizations`);
    expect(orgs.body).toMatchObject({ total_items: 1, size: 1, contents: [{ id: ORG_ID, name: 'Example Organization Inc.' }] });
    const org = await api().get(`/hsds/${server.hotline.slug}/organizations/${ORG_ID}`);
    expect(org.status).toBe(200);
    expect(validate('organization', org.body).valid).toBe(true);
    expect(org.body.services.map((s: any) => s.id)).toEqual([SERVICE_ID]);

    expect((await api().get(`/hsds/${server.hotline.slug}`)).body).toMatchObject({ version: '3.0' });
  });

  it('pages through many services', async () => {
    const services = Array.from({ length: 23 }, (_, i) => ({ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, name: `Service ${String(i).padStart(2, '0')}`, status: 'active', organization_id: ORG_ID }));
    const report = await importDirectory(server.db, server.hotline.id, collectJson({ contents: services }), cli);
    expect(report.rejected).toEqual([]);
    const first = await api().get(`/hsds/${server.hotline.slug}/services?per_page=10&page=1`);
    expect(first.body).toMatchObject({ total_items: 24, total_pages: 3, page_number: 1, size: 10, first_page: true, last_page: false, empty: false });
    const last = await api().get(`/hsds/${server.hotline.slug}/services?per_page=10&page=3`);
    expect(last.body).toMatchObject({ total_items: 24, total_pages: 3, page_number: 3, size: 4, first_page: false, last_page: true, empty: false });
    const beyond = await api().get(`/hsds/${server.hotline.slug}/services?per_page=10&page=4`);
    expect(beyond.body).toMatchObject({ page_number: 4, size: 0, empty: true, last_page: true, contents: [] });
    const seen = new Set([...first.body.contents, ...(await api().get(`/hsds/${server.hotline.slug}/services?per_page=10&page=2`)).body.contents, ...last.body.contents].map((s: any) => s.id));
    expect(seen.size).toBe(24);
    const search = await api().get(`/hsds/${server.hotline.slug}/services?search=${encodeURIComponent('service 1')}`);
    expect(search.body.total_items).toBe(10);
    const bad = await api().get(`/hsds/${server.hotline.slug}/services?per_page=1000`);
    expect(bad.status).toBe(400);
    expect((await api().get(`/hsds/${server.hotline.slug}/services?modified_after=yesterday`)).status).toBe(400);
  });

  it('keeps tenants apart: another hotline publishes only its own vetted partners', async () => {
    const other = await server.addHotline('tenant-b');
    // The same upstream example, vetted nowhere in tenant-b.
    const source = await readImportSource(example('service_full.json'));
    if (!source.ok) throw new Error('unreadable');
    await importDirectory(server.db, other.id, source.value, cli);
    expect((await api().get(`/hsds/tenant-b/services`)).body.total_items).toBe(0);
    expect((await api().get(`/hsds/tenant-b/services/${SERVICE_ID}`)).status).toBe(404);
    expect((await api().get(`/hsds/${server.hotline.slug}/services/${SERVICE_ID}`)).status).toBe(200);
    // Vetting in tenant-b does not touch the first hotline, and unknown directories are 404.
    await setPartnerProfile(server.db, other.id, ORG_ID, { vettingStatus: 'suspended' }, cli);
    expect((await api().get(`/hsds/${server.hotline.slug}/services/${SERVICE_ID}`)).status).toBe(200);
    expect((await api().get('/hsds/no-such-hotline/services')).status).toBe(404);
    expect((await api().get(`/hsds/${server.hotline.slug}/services/not-a-uuid`)).status).toBe(404);
  });
});

describe('matching services to needs', () => {
  const ON_POLYGON = JSON.stringify({ type: 'Polygon', coordinates: [[[-80, 43], [-79, 43], [-79, 44], [-80, 44], [-80, 43]]] });
  const ids = (n: number) => ({ org: `a0000000-0000-4000-8000-00000000000${n}`, svc: `b0000000-0000-4000-8000-00000000000${n}`, loc: `c0000000-0000-4000-8000-00000000000${n}`, sal: `d0000000-0000-4000-8000-00000000000${n}` });
  const svc = (n: number, name: string, lat: number, lon: number, area: { extent: string; extent_type?: string }, languages: { code?: string; name: string }[], schedules: Record<string, unknown>[]) => ({
    id: ids(n).svc, name, status: 'active',
    organization: { id: ids(n).org, name: `${name} Society`, description: name },
    service_areas: [{ id: `e0000000-0000-4000-8000-00000000000${n}`, name: area.extent_type === 'geojson' ? 'Greater Toronto' : area.extent, ...area }],
    languages: languages.map((l, i) => ({ id: `f000000${i}-0000-4000-8000-00000000000${n}`, ...l })),
    schedules: schedules.map((s, i) => ({ id: `9000000${i}-0000-4000-8000-00000000000${n}`, ...s })),
    service_at_locations: [{ id: ids(n).sal, location: { id: ids(n).loc, location_type: 'physical', name, latitude: lat, longitude: lon } }],
  });
  const always = { opens_at: '00:00', closes_at: '23:59' };
  const office = { freq: 'WEEKLY', byday: 'MO,TU,WE,TH,FR', opens_at: '09:00', closes_at: '17:00' };
  let hotline: { id: string; slug: string };
  const A = ids(1).svc, B = ids(2).svc, C = ids(3).svc, D = ids(4).svc, E = ids(5).svc, F = ids(6).svc;

  beforeAll(async () => {
    hotline = await server.addHotline('matching');
    const services = [
      svc(1, 'Toronto Shelter', 43.65, -79.38, { extent: 'CA-ON' }, [{ code: 'ti', name: 'Tigrinya' }, { code: 'en', name: 'English' }], [always]),
      svc(2, 'Ottawa Legal Aid', 45.42, -75.69, { extent: 'CA-ON' }, [{ code: 'fr-CA', name: 'French' }], [office]),
      svc(3, 'Vancouver Safe House', 49.28, -123.12, { extent: 'CA-BC' }, [], [always]),
      svc(4, 'Unvetted Shelter', 43.7, -79.4, { extent: 'CA-ON' }, [], [always]),
      svc(5, 'Women Only Shelter', 43.66, -79.39, { extent: 'CA-ON' }, [], [always]),
      svc(6, 'GTA Shelter', 43.8, -79.5, { extent: ON_POLYGON, extent_type: 'geojson' }, [], []),
    ];
    const report = await importDirectory(server.db, hotline.id, collectJson({ services }), cli);
    expect(report.rejected).toEqual([]);
    const tag = (id: string, needs: string[]) => server.db.transaction().execute((tx) => tagServiceNeeds(tx, hotline.id, id, needs));
    await tag(A, ['emergency_shelter']);
    await tag(B, ['legal', 'immigration']);
    for (const id of [C, D, E, F]) await tag(id, ['shelter']);
    const vet = (n: number, extra: Parameters<typeof setPartnerProfile>[3] = {}) => setPartnerProfile(server.db, hotline.id, ids(n).org, { vettingStatus: 'vetted', ...extra }, cli);
    await vet(1, { accepts: { men: true, minors: false, lgbtq: true }, timeZone: 'America/Toronto' });
    await vet(2, { timeZone: 'America/Toronto' });
    await vet(3, { timeZone: 'America/Vancouver' });
    await vet(5, { accepts: { men: false } });
    await vet(6);
  });

  const MONDAY_10_TORONTO = new Date('2026-01-05T15:00:00Z');
  const SATURDAY_10_TORONTO = new Date('2026-01-10T15:00:00Z');
  const TORONTO = { lat: 43.65, lon: -79.38 };

  // [case, request, expected service ids in rank order (prefix), ids that must be absent, reasons expected on the first]
  const CASES: [string, Parameters<typeof matchServices>[2], string[], string[], string[]][] = [
    ['a shelter in Ontario for a man: narrower needs match, BC and women-only and unvetted are left out', { needs: ['shelter'], areaCode: 'CA-ON-TOR', population: { men: true }, at: MONDAY_10_TORONTO }, [A, F], [C, D, E, B], ['need', 'covers_area', 'open_now', 'accepts', 'vetted']],
    ['legal help in French on a Monday morning', { needs: ['legal'], language: 'fr', at: MONDAY_10_TORONTO }, [B], [A, C], ['need', 'open_now', 'speaks_language', 'vetted']],
    ['immigration help on a Saturday: still listed, closed now', { needs: ['immigration'], at: SATURDAY_10_TORONTO }, [B], [], ['need', 'closed_now', 'vetted']],
    ['a Tigrinya speaker near Toronto (language by name, distance)', { needs: ['shelter'], point: TORONTO, language: 'Tigrinya', at: MONDAY_10_TORONTO }, [A], [], ['need', 'area_unknown', 'distance', 'open_now', 'speaks_language', 'vetted']],
    ['a point inside the GeoJSON area is covered; BC ranks last by distance', { needs: ['shelter'], point: { lat: 43.7, lon: -79.4 }, at: MONDAY_10_TORONTO }, [], [D], []],
    ['prospective partners when asked, never ahead of vetted ones', { needs: ['shelter'], areaCode: 'CA-ON', includeUnvetted: true, at: MONDAY_10_TORONTO }, [A], [], ['need', 'covers_area', 'open_now', 'vetted']],
    ['a need nobody meets', { needs: ['repatriation'], at: MONDAY_10_TORONTO }, [], [A, B, C, D, E, F], []],
    ['an unknown need', { needs: ['astrology'] }, [], [A, B, C, D, E, F], []],
    ['minors: a partner that refuses minors is left out', { needs: ['shelter'], areaCode: 'CA-ON', population: { minors: true }, at: MONDAY_10_TORONTO }, [], [A], []],
  ];

  it.each(CASES)('%s', async (_name, request, expectedPrefix, absent, firstReasons) => {
    const matches = await matchServices(server.db, hotline.id, request);
    const got = matches.map((m) => m.serviceId);
    expect(got.slice(0, expectedPrefix.length)).toEqual(expectedPrefix);
    for (const id of absent) expect(got).not.toContain(id);
    if (firstReasons.length) expect(matches[0].reasons.map((r) => r.code)).toEqual(firstReasons);
  });

  it('explains distance and coverage', async () => {
    const matches = await matchServices(server.db, hotline.id, { needs: ['shelter'], point: { lat: 43.7, lon: -79.4 }, at: MONDAY_10_TORONTO });
    const gta = matches.find((m) => m.serviceId === F)!;
    expect(gta.reasons).toEqual(expect.arrayContaining([{ code: 'covers_area', area: 'Greater Toronto' }, { code: 'hours_unknown' }]));
    expect(matches.at(-1)!.serviceId).toBe(C);
    expect(matches.at(-1)!.distanceKm).toBeGreaterThan(3000);
    const unvetted = await matchServices(server.db, hotline.id, { needs: ['shelter'], areaCode: 'CA-ON', includeUnvetted: true });
    expect(unvetted.find((m) => m.serviceId === D)!.reasons).toContainEqual({ code: 'not_vetted' });
  });

  it('sees a partner change at once (the index is rebuilt when the directory version moves)', async () => {
    const before = await matchServices(server.db, hotline.id, { needs: ['legal'] });
    expect(before.map((m) => m.serviceId)).toEqual([B]);
    await setPartnerProfile(server.db, hotline.id, ids(2).org, { vettingStatus: 'suspended' }, cli);
    expect(await matchServices(server.db, hotline.id, { needs: ['legal'] })).toEqual([]);
    await setPartnerProfile(server.db, hotline.id, ids(2).org, { vettingStatus: 'vetted' }, cli);
    expect((await matchServices(server.db, hotline.id, { needs: ['legal'] })).map((m) => m.serviceId)).toEqual([B]);
  });

  it('lets a hotline rename, retire, restore and add needs (audited)', async () => {
    const renamed = await configureNeed(server.db, hotline.id, { key: 'legal', labels: { en: 'Legal aid', es: 'Ayuda legal', fr: 'Aide juridique' } }, cli);
    expect(renamed).toMatchObject({ ok: true, value: { key: 'legal', labels: { es: 'Ayuda legal' }, isActive: true } });
    await configureNeed(server.db, hotline.id, { key: 'legal', isActive: false }, cli);
    expect(await matchServices(server.db, hotline.id, { needs: ['legal'] })).toEqual([]);
    await configureNeed(server.db, hotline.id, { key: 'legal', isActive: true }, cli);
    expect((await matchServices(server.db, hotline.id, { needs: ['legal'] })).map((m) => m.serviceId)).toEqual([B]);
    expect(await configureNeed(server.db, hotline.id, { key: 'debt_advice' }, cli)).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    expect(await configureNeed(server.db, hotline.id, { key: 'Bad Key!' }, cli)).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    const added = await configureNeed(server.db, hotline.id, { key: 'debt_advice', labels: { en: 'Debt advice', es: 'Asesoría sobre deudas', fr: 'Conseil en endettement' } }, cli);
    expect(added.ok).toBe(true);
    await server.db.transaction().execute((tx) => tagServiceNeeds(tx, hotline.id, B, ['debt_advice']));
    expect((await matchServices(server.db, hotline.id, { needs: ['debt_advice'] })).map((m) => m.serviceId)).toEqual([B]);
    const audits = await server.db.selectFrom('audit_log').select('action').where('hotline_id', '=', hotline.id).where('action', '=', 'directory.need.configure').execute();
    expect(audits).toHaveLength(4);
  });

  it('matches only within the hotline', async () => {
    expect(await matchServices(server.db, server.hotline.id, { needs: ['shelter'] })).toEqual([]);
  });
});

describe('catalyst directory (CLI)', () => {
  async function run(args: string[]) {
    const { Command } = await import('commander');
    const { register } = await import('../../src/cli/commands/directory.js');
    const program = new Command('catalyst').option('--database-url <url>').option('--data-dir <dir>').option('--log-level <level>').exitOverride();
    register(program);
    let stdout = '';
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => ((stdout += chunk), true)) as typeof process.stdout.write;
    const previousKey = process.env.CATALYST_MASTER_KEY;
    process.env.CATALYST_MASTER_KEY = Buffer.alloc(32, 7).toString('base64');
    const exitCode = process.exitCode;
    try {
      await program.parseAsync(['--database-url', server.ctx.databaseUrl!, '--log-level', 'error', ...args], { from: 'user' });
    } finally {
      process.stdout.write = write;
      process.env.CATALYST_MASTER_KEY = previousKey;
    }
    const code = process.exitCode;
    process.exitCode = exitCode;
    return { json: JSON.parse(stdout), code };
  }

  it('imports a datapackage and exports one valid HSDS file per service, audited', async () => {
    const target = await server.addHotline('cli-dir');
    const imported = await run(['directory', 'import', path.join(HSDS, 'examples', 'csv'), '--hotline', 'cli-dir', '--json']);
    expect(imported.json.imported.service).toBe(1);
    expect(imported.json.rejected.length).toBeGreaterThan(0);
    expect(imported.code).toBe(1); // rejected rows make the exit code non-zero, the rest is imported
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'hsds-export-'));
    const exported = await run(['directory', 'export', '--hotline', 'cli-dir', '--format', 'hsds-json', '--out', out, '--json']);
    expect(exported.json).toMatchObject({ services: 1, format: 'hsds-json' });
    const files = fs.readdirSync(out);
    expect(files).toEqual([`${SERVICE_ID}.json`]);
    for (const f of files) expect(validate('service', readJson(path.join(out, f))).valid).toBe(true);
    const partner = await run(['directory', 'partner', '--hotline', 'cli-dir', '--organization', ORG_ID, '--status', 'vetted', '--accepts', 'men=yes,minors=no', '--time-zone', 'Europe/London', '--json']);
    expect(partner.json.organizationId).toBe(ORG_ID);
    const needs = await run(['directory', 'needs', '--hotline', 'cli-dir', '--json']);
    expect(needs.json.needs.find((n: any) => n.key === 'shelter').labels).toEqual({ en: 'Shelter', es: 'Albergue', fr: 'Hébergement' });
    const retired = await run(['directory', 'needs', 'transport', '--retire', '--hotline', 'cli-dir', '--json']);
    expect(retired.json.needs.find((n: any) => n.key === 'transport').isActive).toBe(false);
    const actions = (await server.db.selectFrom('audit_log').select('action').where('hotline_id', '=', target.id).execute()).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['directory.import', 'directory.export', 'directory.partner.update']));
    expect((await new ApiClient(server.app).get(`/hsds/cli-dir/services/${SERVICE_ID}`)).status).toBe(200);
    fs.rmSync(out, { recursive: true, force: true });
  });
});
