import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestServer, type TestServer, type TestUser } from '../test/helpers/server.js';
import { ApiClient } from '../test/helpers/client.js';
import { addSmsNumber, messageSid, postSms } from '../test/helpers/intake.js';
import { importDirectory, setPartnerProfile, tagServiceNeeds } from '../src/server/directory/directory.service.js';
import { collectJson } from '../src/server/directory/hsds-import.js';
import { field, launchBrowser, shot, signIn, visible } from './helpers.js';

// Closed-loop referral in a real browser: an advocate refers a case to a shelter (needs -> ranked matches with
// reasons -> consent -> minimum fields -> link), the partner opens the link in another browser context with no
// account, accepts and reports an outcome, and the advocate sees it on the referrals list and the timeline.
// Needs a web build: `npx vite build --outDir /tmp/web-x` and CATALYST_WEB_ROOT=/tmp/web-x.

const SHELTER = { org: 'a2000000-0000-4000-8000-000000000001', svc: 'b2000000-0000-4000-8000-000000000001' };

describe('closed-loop referral: advocate refers, partner answers through a link', () => {
  let server: TestServer;
  let browser: Browser;
  let advocate: TestUser;
  let advocateContext: BrowserContext;
  let partnerContext: BrowserContext;
  let a: Page;
  let p: Page;
  let caseId = '';
  let caseReference = '';
  let partnerUrl = '';

  beforeAll(async () => {
    server = await startTestServer();
    const smsNumber = await addSmsNumber(server);
    advocate = await server.createUser({ roles: ['advocate'], displayName: 'Ana Advocate' });
    const supervisor = await server.createUser({ roles: ['supervisor'], displayName: 'Sam Supervisor' });

    // The directory: one vetted shelter covering Toronto that speaks Spanish, one legal service.
    const cli = { id: null, label: 'e2e' };
    const services = [
      { id: SHELTER.svc, name: 'Casa Segura Shelter', status: 'active', organization: { id: SHELTER.org, name: 'Casa Segura', description: 'Emergency and longer-term shelter for survivors' },
        service_areas: [{ id: 'e2000000-0000-4000-8000-000000000001', name: 'CA-ON', extent: 'CA-ON' }], languages: [{ id: 'f2000000-0000-4000-8000-000000000001', code: 'es', name: 'Spanish' }],
        schedules: [{ id: '92000000-0000-4000-8000-000000000001', opens_at: '00:00', closes_at: '23:59' }],
        service_at_locations: [{ id: 'd2000000-0000-4000-8000-000000000001', location: { id: 'c2000000-0000-4000-8000-000000000001', location_type: 'physical', name: 'Casa Segura', latitude: 43.65, longitude: -79.38 } }] },
    ];
    expect((await importDirectory(server.db, server.hotline.id, collectJson({ services }), cli)).rejected).toEqual([]);
    await server.db.transaction().execute((tx) => tagServiceNeeds(tx, server.hotline.id, SHELTER.svc, ['shelter']));
    await setPartnerProfile(server.db, server.hotline.id, SHELTER.org, { vettingStatus: 'vetted', reviewDueOn: '2027-03-31', accepts: { men: false, minors: false, lgbtq: true, warm_transfers: true }, referralProtocol: 'Call the intake desk first; bring no documents.', timeZone: 'America/Toronto' }, cli);

    // A case from an SMS contact, with the person and their consent to a referral (the case screens are another feature).
    // The previous time step's code, so the browser's sign-in with the current code is not a replay.
    const api = await new ApiClient(server.app).signIn(advocate, Date.now() - 30_000);
    await postSms(server.url, { MessageSid: messageSid(), From: '+15145550111', To: smsNumber, Body: 'Necesito un lugar seguro esta noche' });
    const { id: contactId } = await server.db.selectFrom('contact').select('id').orderBy('number', 'desc').limit(1).executeTakeFirstOrThrow();
    expect((await api.post(`/api/queue/${contactId}/claim`)).status).toBe(200);
    const created = await api.post('/api/cases', { title: 'Trabajadora doméstica sin pasaporte', traffickingTypes: ['labour'], fromContactId: contactId });
    caseId = created.body.case.id;
    caseReference = created.body.case.reference;
    await api.post(`/api/cases/${caseId}/people`, { role: 'potential_victim', details: { givenNames: 'Marisol', familyNames: 'Quispe Huamán', phones: ['+1 416 555 0199'], languages: ['es'] }, ageRange: '25_34' });
    expect((await api.post(`/api/contacts/${contactId}/consents`, { givenBy: 'victim', disclosure: 'referral_to_services', recipients: 'any_designated_agency', method: 'verbal', scopeNote: 'first name and phone for a shelter' })).status).toBe(201);
    void supervisor;

    browser = await launchBrowser();
    advocateContext = await browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 900 } });
    partnerContext = await browser.newContext({ locale: 'en-GB', viewport: { width: 1024, height: 900 } });
    advocateContext.setDefaultTimeout(10_000);
    partnerContext.setDefaultTimeout(10_000);
    a = await advocateContext.newPage();
    p = await partnerContext.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('searches the directory and opens a partner profile with its vetting status and review date', async () => {
    await signIn(a, server.url, advocate);
    await a.goto(`${server.url}/directory`);
    await visible(a.getByRole('heading', { level: 1, name: 'Directory' }));
    await field(a, 'Needs').first().click();
    await a.getByRole('option', { name: 'Shelter', exact: true }).click();
    await a.keyboard.press('Escape');
    await field(a, 'Area code').fill('CA-ON-TOR');
    await field(a, 'Spoken language').fill('es');
    await a.getByRole('button', { name: 'Search', exact: true }).click();
    const row = await visible(a.getByTestId('match-table').getByRole('row').filter({ hasText: 'Casa Segura Shelter' }));
    for (const reason of ['Meets: Shelter', 'Covers CA-ON', 'Open now', 'Speaks Spanish', 'Vetted']) expect(await row.textContent()).toContain(reason);
    // The map of the matches, without tiles: the shelter is marker 1.
    await visible(a.getByTestId('directory-map').locator('.directory-map-marker[aria-label^="1. Casa Segura Shelter"]'));
    await shot(a, 'referrals-01-directory-search-en');

    await row.getByRole('link', { name: 'Casa Segura' }).click();
    await visible(a.getByRole('heading', { level: 1, name: 'Casa Segura' }));
    expect(await a.getByTestId('vetting-status').textContent()).toBe('Vetted');
    await visible(a.getByText('Review due 2027-03-31'));
    await visible(a.getByText('Call the intake desk first; bring no documents.'));
    await shot(a, 'referrals-02-partner-profile-en');
  });

  it('refers the case to the shelter, sharing only the chosen fields, and gets a partner link', async () => {
    await a.goto(`${server.url}/referrals`);
    await visible(a.getByRole('heading', { level: 1, name: 'Referrals' }));
    await field(a, 'Refer a case').first().click();
    await a.getByRole('option', { name: new RegExp(caseReference) }).click();
    await visible(a.getByRole('heading', { level: 1, name: `Referrals for ${caseReference}` }));
    await a.getByRole('button', { name: 'New referral' }).click();
    const form = await visible(a.getByRole('region', { name: 'New referral' }));
    await field(form, 'Needs').first().click();
    await a.getByRole('option', { name: 'Shelter', exact: true }).click();
    await a.keyboard.press('Escape');
    await field(form, 'Area code').fill('CA-ON-TOR');
    await form.getByRole('button', { name: 'Find partners' }).click();
    await (await visible(form.getByRole('checkbox', { name: 'Choose Casa Segura Shelter' }))).check();
    await field(form, 'Consent for this disclosure').first().click();
    await a.getByRole('option', { name: /any partner/ }).click();
    for (const name of ['Given names', 'Phone', 'A message']) await form.getByRole('checkbox', { name, exact: true }).check();
    await field(form, 'Message to the partner').fill('Needs a bed tonight; call after 6 pm.');
    await shot(a, 'referrals-03-new-referral-en');
    await form.getByRole('button', { name: 'Send the referral' }).click();
    const link = await visible(a.getByTestId('partner-link'));
    partnerUrl = (await link.textContent())!.trim();
    expect(partnerUrl).toMatch(/\/partner\/referral#[A-Za-z0-9_-]{43}$/);
    await shot(a, 'referrals-04-partner-link-en');
    await a.getByRole('button', { name: 'Done' }).click();
    const row = await visible(a.getByTestId('case-referrals').getByRole('row').filter({ hasText: 'Casa Segura' }));
    expect(await row.textContent()).toContain('Sent');
  });

  it('lets the partner open the link without signing in, see only what was shared, accept and report an outcome', async () => {
    await p.goto(partnerUrl);
    await visible(p.getByRole('heading', { level: 1, name: /Referral from/ }));
    const shared = await visible(p.getByTestId('partner-shared'));
    const text = (await shared.textContent())!;
    for (const value of ['Marisol', '+1 416 555 0199', 'Needs a bed tonight']) expect(text).toContain(value);
    const page = (await p.content())!;
    for (const secret of ['Quispe', 'Trabajadora', '25_34']) expect(page).not.toContain(secret);
    expect(await p.getByTestId('partner-status').textContent()).toBe('Waiting for your answer');
    await shot(p, 'referrals-05-partner-page-en');

    await field(p, 'Note to the hotline (optional)').fill('Bed reserved, come to the side door.');
    await p.getByRole('button', { name: 'Accept the referral' }).click();
    await visible(p.getByText('Thank you: the referral is accepted.', { exact: false }));
    expect(await p.getByTestId('partner-status').textContent()).toBe('Accepted');
    await p.getByRole('radio', { name: 'Services provided' }).check();
    await p.getByRole('button', { name: 'Send the outcome' }).click();
    await visible(p.getByText('Thank you: the outcome was sent to the hotline.'));
    expect(await p.getByTestId('partner-status').textContent()).toBe('Closed');
    await shot(p, 'referrals-06-partner-outcome-en');

    // The loop is closed: the same link no longer opens anything, in any language.
    await p.goto(partnerUrl.replace('/partner/referral#', '/partner/referral?lang=fr#'));
    await visible(p.getByText('Ce lien n’est pas valide', { exact: false }));
    await shot(p, 'referrals-07-partner-spent-fr');
  });

  it('shows the advocate the accepted referral and its outcome on the referrals list and the timeline', async () => {
    await a.goto(`${server.url}/referrals`);
    const row = await visible(a.getByTestId('referrals-table').getByRole('row').filter({ hasText: caseReference }));
    await expect.poll(async () => row.textContent()).toContain('Closed');
    expect(await row.textContent()).toContain('Services provided');
    await shot(a, 'referrals-08-list-en');
    await row.getByRole('link', { name: caseReference }).click();
    const timeline = await visible(a.getByTestId('referral-timeline'));
    const events = (await timeline.textContent())!;
    for (const e of ['Referred to Casa Segura', 'Casa Segura accepted', 'Casa Segura reported: Services provided']) expect(events).toContain(e);
    await shot(a, 'referrals-09-timeline-en');
  });
});
