import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer, type TestUser } from '../test/helpers/server.js';
import { ApiClient } from '../test/helpers/client.js';
import { addSmsNumber, messageSid, postSms } from '../test/helpers/intake.js';
import { importDirectory, setPartnerProfile } from '../src/server/directory/directory.service.js';
import { collectJson } from '../src/server/directory/hsds-import.js';
import { field, launchBrowser, shot, signIn, visible } from './helpers.js';

// A report to the police is a referral under the reporting rules (issue 6), in a real browser: an admin marks the
// police unit in the directory as the rules' law-enforcement agency; the advocate sends an approved report from the
// contact, choosing what to share, and gets the unit's link; the unit opens it in another browser context.

const POLICE = { org: 'a3000000-0000-4000-8000-000000000001', svc: 'b3000000-0000-4000-8000-000000000001' };

describe('report to the police unit as a referral', () => {
  let server: TestServer;
  let browser: Browser;
  let admin: TestUser;
  let advocate: TestUser;
  let contactId = '';
  let partnerUrl = '';

  beforeAll(async () => {
    server = await startTestServer();
    const smsNumber = await addSmsNumber(server);
    admin = await server.createUser({ roles: ['admin'], displayName: 'Ada Admin' });
    advocate = await server.createUser({ roles: ['advocate'], displayName: 'Ana Advocate' });
    const cli = { id: null, label: 'e2e' };
    const services = [{ id: POLICE.svc, name: 'Human Trafficking Unit', status: 'active', organization: { id: POLICE.org, name: 'Provincial Police', description: 'Investigates trafficking across the province' } }];
    expect((await importDirectory(server.db, server.hotline.id, collectJson({ services }), cli)).rejected).toEqual([]);
    await setPartnerProfile(server.db, server.hotline.id, POLICE.org, { vettingStatus: 'vetted' }, cli);

    // A contact on a case, the person's consent to a police report, and the report (approved: consent given).
    const api = await new ApiClient(server.app).signIn(advocate, Date.now() - 30_000);
    await postSms(server.url, { MessageSid: messageSid(), From: '+15195550123', To: smsNumber, Body: 'They keep our passports at the farm' });
    contactId = (await server.db.selectFrom('contact').select('id').orderBy('number', 'desc').limit(1).executeTakeFirstOrThrow()).id;
    expect((await api.post(`/api/queue/${contactId}/claim`)).status).toBe(200);
    const created = await api.post('/api/cases', { title: 'Farm workers, Leamington', traffickingTypes: ['labour'], fromContactId: contactId });
    await api.post(`/api/cases/${created.body.case.id}/people`, { role: 'potential_victim', details: { givenNames: 'Rosa', familyNames: 'Mamani', phones: ['+1 519 555 0142'] }, ageRange: '25_34' });
    const consent = await api.post(`/api/contacts/${contactId}/consents`, { givenBy: 'victim', disclosure: 'report_to_authorities', recipients: ['police_partner'], method: 'verbal' });
    const report = await api.post(`/api/contacts/${contactId}/reports`, { agencyId: 'police_partner', report: 'adult_trafficking', consentId: consent.body.consent.id });
    expect(report.body.report.status).toBe('approved');
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const page = async (locale = 'en-GB'): Promise<Page> => {
    const context = await browser.newContext({ locale, viewport: { width: 1366, height: 900 } });
    context.setDefaultTimeout(10_000);
    return context.newPage();
  };

  it('lets an admin mark the police unit as the law-enforcement agency of the reporting rules', async () => {
    const a = await page();
    await signIn(a, server.url, admin);
    await a.goto(`${server.url}/directory/partners/${POLICE.org}`);
    const form = await visible(a.getByRole('region', { name: 'Partner data (admin)' }));
    await field(form, 'Reporting agency').click();
    await a.getByRole('option', { name: 'Designated law-enforcement partner' }).click();
    await form.getByRole('button', { name: 'Save partner data' }).click();
    await visible(a.getByTestId('reporting-agency-badge').filter({ hasText: 'Designated law-enforcement partner' }));
    await shot(a, 'report-referral-01-partner-data-en');
  });

  it('sends the approved report from the contact as a referral, sharing only what the advocate ticks', async () => {
    const a = await page();
    await signIn(a, server.url, advocate);
    await a.goto(`${server.url}/contacts/${contactId}`);
    await (await visible(a.getByRole('button', { name: /^Send: Designated law-enforcement partner/ }))).click();
    const dialog = await visible(a.getByRole('dialog', { name: 'Send the report to Designated law-enforcement partner' }));
    await visible(dialog.getByText(/Provincial Police is in the directory: Catalyst refers the case to it/));
    for (const name of ['Given names', 'Phone']) await dialog.getByRole('checkbox', { name, exact: true }).check();
    // The potential victim is chosen by default.
    const person = await visible(field(dialog, 'About whom'));
    await expect.poll(() => person.inputValue()).toContain('Rosa Mamani');
    await shot(a, 'report-referral-02-send-dialog-en');
    await dialog.getByRole('button', { name: 'Send and refer' }).click();
    const link = await visible(a.getByTestId('partner-link'));
    partnerUrl = (await link.textContent())!.trim();
    expect(partnerUrl).toMatch(/\/partner\/referral#[A-Za-z0-9_-]{43}$/);
    await visible(a.getByText('Report sent: Provincial Police received a referral and a link to acknowledge it.'));
    await shot(a, 'report-referral-03-sent-en');
  });

  it('shows the unit a report with its kind and the shared fields, in its own language', async () => {
    const p = await page('es-ES');
    await p.goto(partnerUrl);
    await visible(p.getByRole('heading', { level: 1, name: /^Denuncia de / }));
    expect(await p.getByTestId('partner-report-kind').textContent()).toBe('Trata de una persona adulta');
    const shared = await p.getByTestId('partner-shared').textContent();
    expect(shared).toContain('Rosa');
    expect(shared).toContain('+1 519 555 0142');
    expect(shared).not.toContain('Mamani');
    await visible(p.getByRole('heading', { level: 2, name: 'Lo que la línea le comunica' }));
    await shot(p, 'report-referral-04-partner-page-es');
    await p.getByRole('button', { name: 'Acusar recibo de la denuncia' }).click();
    await visible(p.getByTestId('partner-status').filter({ hasText: 'Aceptada' }));
  });
});
