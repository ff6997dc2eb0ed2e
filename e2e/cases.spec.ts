import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ApiClient } from '../test/helpers/client.js';
import { startTestServer, type TestServer, type TestUser } from '../test/helpers/server.js';
import { addSmsNumber, messageSid, postSms } from '../test/helpers/intake.js';
import { field, launchBrowser, shot, signIn, visible } from './helpers.js';

// Case work in a real browser against a real server: an advocate searches a misspelt name, finds the case, links a
// new contact to it from the contact page (through the suggestions shown while typing), and sees the timeline; then
// the same screens in Spanish. Needs the web app built (CATALYST_WEB_ROOT for a private build).

describe('cases: search a misspelt name, link a contact, read the timeline', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let advocate: TestUser;
  let caseId = '';
  let caseReference = '';
  let contactId = '';
  let api: ApiClient;
  let supervisor: TestUser;
  let restrictedId = '';

  beforeAll(async () => {
    server = await startTestServer();
    const smsNumber = await addSmsNumber(server);
    advocate = await server.createUser({ roles: ['advocate'], displayName: 'Ana Advocate' });
    // The case was opened by this advocate last week (through the API, as the console would).
    supervisor = await server.createUser({ roles: ['supervisor'], displayName: 'Sam Supervisor' });
    // Setup goes through the API as colleagues (a second sign-in of the browser's own accounts would reuse their TOTP
    // code within the same 30 seconds, which the server rightly refuses).
    const colleague = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['advocate'], displayName: 'Colleague' }));
    api = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['supervisor'], displayName: 'Lead' }));
    const created = await colleague.post('/api/cases', { title: 'Restaurant kitchen, passports held by the owner', traffickingTypes: ['labour'], typologyCode: '9' });
    caseId = created.body.case.id;
    caseReference = created.body.case.reference;
    await colleague.post(`/api/cases/${caseId}/people`, { role: 'potential_victim', details: { givenNames: 'María José', familyNames: 'López García', phones: ['+1 514 555 0142'] }, ageRange: '18_24' });
    await colleague.post(`/api/cases/${caseId}/notes`, { body: 'Las trabajadoras duermen en el almacén del restaurante.' });
    // Handed over to the advocate who will work it in the browser.
    const { version } = (await colleague.get(`/api/cases/${caseId}`)).body.case;
    expect((await colleague.patch(`/api/cases/${caseId}`, { version, assigneeId: advocate.id })).status).toBe(200);
    restrictedId = (await colleague.post('/api/cases', { title: 'Staff member involved', sensitivity: 'restricted' })).body.case.id;
    // A new SMS from someone else arrives today.
    const sid = messageSid();
    await postSms(server.url, { MessageSid: sid, From: '+15145550999', To: smsNumber, Body: 'My cousin Maria works in that kitchen, they took her passport' });
    contactId = (await server.db.selectFrom('contact_message').select('contact_id').where('external_id', '=', sid).executeTakeFirstOrThrow()).contact_id;
    browser = await launchBrowser();
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 900 } });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('finds the case by a misspelt name from the case list', async () => {
    await signIn(page, server.url, advocate);
    await page.goto(`${server.url}/cases`);
    await visible(page.getByRole('heading', { level: 1, name: 'Cases' }));
    await page.getByTestId('search-box').fill('Mraia Lopes');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const hit = await visible(page.getByTestId('search-hit').filter({ hasText: 'María José López García' }));
    expect(await hit.textContent()).toMatch(/Name \d+% similar/);
    expect(page.url()).toContain('q=Mraia+Lopes');
    await shot(page, 'cases-01-search-misspelt-en');
    await hit.getByRole('link', { name: caseReference }).click();
    await visible(page.getByRole('heading', { level: 1, name: `${caseReference} · Restaurant kitchen, passports held by the owner` }));
    await visible(page.getByTestId('case-people').getByText('María José López García'));
    await visible(page.getByText('Polaris 9: Restaurants and Food Service'));
  });

  it('links the new contact to the case from the suggestions shown while typing', async () => {
    await page.goto(`${server.url}/contacts/${contactId}`);
    const panel = await visible(page.getByTestId('contact-case-panel'));
    await visible(panel.getByText('This contact is not linked to a case yet.'));
    await panel.getByTestId('suggest-given').fill('Maria');
    await panel.getByTestId('suggest-family').fill('Lopes');
    const suggestion = await visible(panel.getByTestId('suggestions').getByRole('listitem').filter({ hasText: 'María José López García' }));
    expect(await suggestion.textContent()).toMatch(new RegExp(`Name \\d+% similar on ${caseReference}`));
    await shot(page, 'cases-02-contact-suggestions-en');
    await suggestion.getByRole('button', { name: `Link to ${caseReference}` }).click();
    await visible(panel.getByTestId('contact-linked-cases').getByRole('link', { name: caseReference }));
  });

  it('shows the case timeline in one chronological view and accepts a note', async () => {
    await page.getByTestId('contact-linked-cases').getByRole('link', { name: caseReference }).click();
    const timeline = await visible(page.getByTestId('case-timeline'));
    await visible(timeline.getByText('Case opened'));
    await visible(timeline.getByText('Person added: Potential victim'));
    await visible(timeline.getByText('Las trabajadoras duermen en el almacén del restaurante.'));
    await visible(timeline.getByText(/Contact linked:/));
    await page.getByTestId('case-note').fill('Cousin called back, confirms the address.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await visible(timeline.getByText('Cousin called back, confirms the address.'));
    const titles = await timeline.locator('.mantine-Timeline-itemTitle').allTextContents();
    expect(titles[0]).toBe('Case opened');
    expect(titles.at(-1)).toBe('Note');
    await visible(page.getByTestId('case-contacts').getByRole('link', { name: /^C-\d+$/ }));
    await shot(page, 'cases-03-case-timeline-en');
  });

  it('adds a business to the case and finds it by a misspelt name in the one search box', async () => {
    const panel = await visible(page.getByRole('region', { name: 'Organisations and places' }));
    await panel.getByRole('button', { name: 'Add an organisation or place' }).click();
    const dialog = await visible(page.getByRole('dialog', { name: 'Add an organisation or place' }));
    await field(dialog, 'Name').fill('Casa Paloma Restaurant');
    await field(dialog, 'Other names').fill('La Paloma');
    await field(dialog, 'Street and number').fill('14 Calle Mayor');
    await field(dialog, 'City').fill('Montréal');
    await dialog.getByRole('button', { name: 'Add an organisation or place' }).click();
    await visible(page.getByTestId('case-entities').getByText('Casa Paloma Restaurant'));
    await visible(page.getByTestId('case-timeline').getByText('Organisation added'));
    await page.goto(`${server.url}/search?q=${encodeURIComponent('Casa Palomma')}`);
    const hit = await visible(page.getByTestId('search-hit').filter({ hasText: 'Casa Paloma Restaurant' }));
    expect(await hit.textContent()).toMatch(/Organisation/);
    expect(await hit.textContent()).toMatch(/Name \d+% similar/);
    await shot(page, 'cases-08-search-organisation-en');
    await hit.getByRole('link', { name: caseReference }).click();
    await visible(page.getByTestId('case-entities').getByText('Casa Paloma Restaurant'));
  });

  it('merges a stale edit instead of losing either change', async () => {
    await page.getByTestId('case-status-select').click();
    await page.getByRole('option', { name: 'Active' }).click();
    // Meanwhile the team lead renames the case.
    const current = (await api.get(`/api/cases/${caseId}`)).body.case;
    expect((await api.patch(`/api/cases/${caseId}`, { version: current.version, title: 'Restaurant kitchen on Plaza Mayor' })).status).toBe(200);
    await page.getByTestId('case-save').click();
    const dialog = await visible(page.getByRole('dialog', { name: 'Someone else changed this case' }));
    await visible(dialog.getByTestId('case-merge-status').getByRole('radio', { name: 'Keep mine' }));
    expect(await dialog.getByTestId('case-merge-status').getByRole('radio', { name: 'Keep mine' }).isChecked()).toBe(true);
    expect(await dialog.getByTestId('case-merge-title').getByRole('radio', { name: 'Keep theirs' }).isChecked()).toBe(true);
    await shot(page, 'cases-04-merge-en');
    await dialog.getByRole('button', { name: 'Save the merged case' }).click();
    await visible(page.getByTestId('case-status').filter({ hasText: 'Active' }));
    await visible(page.getByRole('heading', { level: 1, name: `${caseReference} · Restaurant kitchen on Plaza Mayor` }));
    const saved = (await api.get(`/api/cases/${caseId}`)).body.case;
    expect(saved).toMatchObject({ status: 'active', title: 'Restaurant kitchen on Plaza Mayor' });
  });

  it('lets a supervisor open a restricted case only by breaking the glass with a reason', async () => {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 900 } });
    context.setDefaultTimeout(10_000);
    const s = await context.newPage();
    await signIn(s, server.url, supervisor);
    await s.goto(`${server.url}/cases/${restrictedId}`);
    await visible(s.getByRole('heading', { level: 1, name: 'Case not found' }));
    await s.getByRole('button', { name: 'Break the glass…' }).click();
    const dialog = await visible(s.getByRole('dialog'));
    await field(dialog, 'Reason').fill('too short');
    await dialog.getByRole('button', { name: 'Open the case' }).click();
    await visible(dialog.getByText('Write at least 10 characters.'));
    await field(dialog, 'Reason').fill('Caller in danger right now, need the history of this case');
    await dialog.getByRole('button', { name: 'Open the case' }).click();
    await visible(s.getByRole('heading', { level: 1, name: /Staff member involved/ }));
    await visible(s.getByText('Emergency access', { exact: true }));
    await shot(s, 'cases-05-break-glass-en');
    const audit = await server.db.selectFrom('audit_log').select(['reason']).where('action', '=', 'case.break_glass').execute();
    expect(audit.map((a) => a.reason)).toEqual(['Caller in danger right now, need the history of this case']);
    await context.close();
  });

  it('offers the same screens in Spanish', async () => {
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/me') && r.request().method() === 'PATCH');
    await page.getByRole('combobox', { name: 'Language' }).selectOption('es');
    await saved;
    await visible(page.getByRole('heading', { level: 2, name: 'Cronología' }));
    await visible(page.getByTestId('case-timeline').getByText('Caso abierto'));
    await shot(page, 'cases-06-case-timeline-es');
    await page.goto(`${server.url}/cases?q=${encodeURIComponent('restaurante almacen')}`);
    await visible(page.getByRole('heading', { level: 1, name: 'Casos' }));
    // The case (by the words of its note); the restaurant added to it is listed too, by its name.
    const hit = await visible(page.getByTestId('search-hit').filter({ hasText: caseReference }).filter({ hasText: 'Plaza Mayor' }));
    expect(await hit.textContent()).toContain('Palabras en una nota');
    await visible(page.getByTestId('search-hit').filter({ hasText: 'Casa Paloma Restaurant' }).filter({ hasText: 'Organización' }));
    await shot(page, 'cases-07-search-es');
  });
});
