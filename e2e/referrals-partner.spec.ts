import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer, type TestUser } from '../test/helpers/server.js';
import { ApiClient } from '../test/helpers/client.js';
import { addSmsNumber, messageSid, postSms } from '../test/helpers/intake.js';
import { importDirectory, setPartnerProfile, tagServiceNeeds } from '../src/server/directory/directory.service.js';
import { collectJson } from '../src/server/directory/hsds-import.js';
import { field, launchBrowser, shot, signIn, visible } from './helpers.js';

// Partner staff sign in (role `partner`): they see only "Referrals to us", only their organisation's referrals, and
// accept and report an outcome there; the supervisor then sees the referral metrics as charts with table views.
// Needs a web build: `npx vite build --outDir /tmp/web-x` and CATALYST_WEB_ROOT=/tmp/web-x.

const SHELTER = { org: 'a3000000-0000-4000-8000-000000000001', svc: 'b3000000-0000-4000-8000-000000000001' };

describe('partner staff answer referrals in Catalyst; metrics as charts', () => {
  let server: TestServer;
  let browser: Browser;
  let partnerStaff: TestUser;
  let supervisor: TestUser;
  let referralId = '';

  beforeAll(async () => {
    server = await startTestServer();
    const smsNumber = await addSmsNumber(server);
    const advocate = await server.createUser({ roles: ['advocate'], displayName: 'Ana Advocate' });
    supervisor = await server.createUser({ roles: ['supervisor'], displayName: 'Sam Supervisor' });
    const admin = await server.createUser({ roles: ['admin'], displayName: 'Ada Admin' });
    const cli = { id: null, label: 'e2e' };
    const services = [{ id: SHELTER.svc, name: 'Casa Segura Shelter', status: 'active', organization: { id: SHELTER.org, name: 'Casa Segura', description: 'Shelter' },
      service_areas: [{ id: 'e3000000-0000-4000-8000-000000000001', name: 'CA-ON', extent: 'CA-ON' }] }];
    expect((await importDirectory(server.db, server.hotline.id, collectJson({ services }), cli)).rejected).toEqual([]);
    await server.db.transaction().execute((tx) => tagServiceNeeds(tx, server.hotline.id, SHELTER.svc, ['shelter']));
    await setPartnerProfile(server.db, server.hotline.id, SHELTER.org, { vettingStatus: 'vetted' }, cli);
    const adminApi = await new ApiClient(server.app).signIn(admin, Date.now() - 30_000);
    const linked = await adminApi.post(`/api/directory/organizations/${SHELTER.org}/account`, {});
    expect(linked.status).toBe(200);
    partnerStaff = await server.createUser({ roles: ['partner'], displayName: 'Paula Partner', organisationId: linked.body.organisationId });

    const api = await new ApiClient(server.app).signIn(advocate, Date.now() - 30_000);
    await postSms(server.url, { MessageSid: messageSid(), From: '+15145550177', To: smsNumber, Body: 'Necesito ayuda' });
    const { id: contactId } = await server.db.selectFrom('contact').select('id').orderBy('number', 'desc').limit(1).executeTakeFirstOrThrow();
    expect((await api.post(`/api/queue/${contactId}/claim`)).status).toBe(200);
    const caseId = (await api.post('/api/cases', { title: 'Trabajadora doméstica', traffickingTypes: ['labour'], fromContactId: contactId })).body.case.id;
    const person = await api.post(`/api/cases/${caseId}/people`, { role: 'potential_victim', details: { givenNames: 'Marisol', familyNames: 'Quispe Huamán', phones: ['+1 416 555 0199'] }, ageRange: '25_34' });
    const consent = await api.post(`/api/contacts/${contactId}/consents`, { givenBy: 'victim', disclosure: 'referral_to_services', recipients: 'any_designated_agency', method: 'verbal' });
    const sent = await api.post(`/api/cases/${caseId}/referrals`, { serviceIds: [SHELTER.svc], needs: ['shelter'], consentId: consent.body.consent.id, personId: person.body.case.people[0].id, fields: ['given_names', 'phone'], areaCode: 'CA-ON' });
    expect(sent.status).toBe(201);
    referralId = sent.body.referrals[0].id;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows partner staff only their referrals, with no queue or cases, and lets them accept and report an outcome', async () => {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(10_000);
    const p = await context.newPage();
    await signIn(p, server.url, partnerStaff);
    await visible(p.getByRole('heading', { level: 1, name: 'Referrals to your organisation' }));
    const nav = p.getByRole('navigation', { name: 'Main' });
    const navText = (await nav.textContent())!;
    expect(navText).toContain('Referrals to us');
    for (const hidden of ['Queue', 'Contacts', 'Cases', 'Directory']) expect(navText).not.toContain(hidden);
    // A staff-only address sends them back to their referrals.
    await p.goto(`${server.url}/queue`);
    await visible(p.getByRole('heading', { level: 1, name: 'Referrals to your organisation' }));
    const row = await visible(p.getByTestId('partner-referrals-table').locator(`[data-referral-id="${referralId}"]`));
    expect(await row.textContent()).toContain('Sent');
    expect(await p.content()).not.toContain('Marisol');
    await shot(p, 'referrals-partner-01-list-en');

    await row.getByRole('link', { name: 'Casa Segura Shelter' }).click();
    const shared = (await (await visible(p.getByTestId('partner-shared'))).textContent())!;
    for (const value of ['Marisol', '+1 416 555 0199']) expect(shared).toContain(value);
    expect(await p.content()).not.toContain('Quispe');
    await shot(p, 'referrals-partner-02-detail-en');
    await field(p, 'Note to the hotline (optional)').fill('Bed reserved.');
    await p.getByRole('button', { name: 'Accept', exact: true }).click();
    await visible(p.getByText('Report what happened:'));
    await p.getByRole('button', { name: 'Services provided' }).click();
    await expect.poll(async () => (await p.getByTestId('partner-referrals-table').locator(`[data-referral-id="${referralId}"]`).textContent()) ?? '').toContain('Services provided');
    await shot(p, 'referrals-partner-03-closed-en');
    await context.close();
  });

  it('shows the supervisor referral metrics as bar charts, each with a table view', async () => {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 900 } });
    context.setDefaultTimeout(10_000);
    const s = await context.newPage();
    await signIn(s, `${server.url}/referrals`, supervisor);
    const card = await visible(s.getByTestId('chart-by-partner'));
    await visible(card.getByRole('img', { name: /Referrals by partner/ }));
    await visible(s.getByTestId('chart-by-need'));
    await shot(s, 'referrals-partner-04-charts-en');
    await card.getByText('Table', { exact: true }).click();
    const table = (await (await visible(s.getByTestId('chart-by-partner-table'))).textContent())!;
    expect(table).toContain('Casa Segura');
    await context.close();
  });
});
