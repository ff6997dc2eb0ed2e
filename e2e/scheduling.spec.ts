import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer, type TestUser } from '../test/helpers/server.js';
import { field, launchBrowser, shot, signIn, visible } from './helpers.js';

// Scheduling in a real browser against a real server: a supervisor generates next week's roster, reads the coverage
// heatmap (and its table), publishes; an advocate sees their shifts and subscribes to the calendar feed, which this
// test fetches and parses with ical.js. Needs the web app built first: `npx vite build`.

describe('scheduling: generate, check and publish a roster; my shifts and the calendar feed', () => {
  let server: TestServer;
  let browser: Browser;
  let supervisor: TestUser;
  let advocate: TestUser;
  let s: Page;
  let a: Page;

  beforeAll(async () => {
    server = await startTestServer();
    supervisor = await server.createUser({ roles: ['supervisor'], displayName: 'Sam Supervisor' });
    for (let i = 2; i <= 3; i++) await server.createUser({ roles: ['supervisor'], displayName: `Supervisor ${i}` });
    advocate = await server.createUser({ roles: ['advocate'], displayName: 'Ana Advocate' });
    for (let i = 2; i <= 7; i++) await server.createUser({ roles: ['advocate'], displayName: `Advocate ${i}` });
    browser = await launchBrowser();
    const context = () => browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 900 } });
    s = await (await context()).newPage();
    a = await (await context()).newPage();
    s.context().setDefaultTimeout(10_000);
    a.context().setDefaultTimeout(10_000);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lets a supervisor generate next week’s roster, read the heatmap and publish it', async () => {
    await signIn(s, server.url, supervisor);
    await s.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Scheduling' }).click();
    await visible(s.getByRole('heading', { level: 1, name: 'Scheduling' }));
    await shot(s, 'scheduling-01-empty-en');
    await s.getByRole('button', { name: 'Generate next week’s roster' }).click();
    const heading = await visible(s.getByRole('heading', { level: 2, name: /^Week of \d{4}-\d{2}-\d{2}$/ }), 60_000);
    expect(await heading.textContent()).toMatch(/Week of/);
    await visible(s.getByText('draft', { exact: true }).first());
    const heatmap = await visible(s.getByRole('img', { name: /Coverage heatmap of the week/ }));
    expect(await heatmap.locator('svg rect, svg path').count()).toBeGreaterThan(300);
    await visible(s.getByRole('table', { name: 'Shifts' }).getByText('Ana Advocate').first());
    await shot(s, 'scheduling-02-draft-heatmap-en');

    // The heatmap's numbers as a table: one row per half-hour of the week.
    await s.getByRole('radiogroup', { name: /Coverage: rostered against required/ }).getByText('Table').click();
    const table = await visible(s.getByRole('table', { name: 'Coverage: rostered against required' }));
    expect(await table.locator('tbody tr').count()).toBe(336);

    await s.getByRole('button', { name: 'Publish roster' }).click();
    await visible(s.getByText('published', { exact: true }).first());
    await shot(s, 'scheduling-03-published-en');
  }, 120_000); // a roster solve shares 2 cores with other test runs

  it('shows an advocate their shifts and a calendar feed that ical.js parses', async () => {
    await signIn(a, server.url, advocate);
    await a.goto(`${server.url}/scheduling`);
    await visible(a.getByRole('heading', { level: 1, name: 'Scheduling' }));
    const rows = a.getByRole('table', { name: 'My shifts' }).locator('tbody tr');
    await visible(rows.first());
    const count = await rows.count();
    expect(count).toBeGreaterThan(0);
    expect(await a.getByRole('tab', { name: 'Roster' }).count()).toBe(0);

    await a.getByRole('button', { name: 'Get my calendar link' }).click();
    const url = (await (await visible(a.getByTestId('calendar-url'))).textContent())!.trim();
    await shot(a, 'scheduling-04-my-shifts-en');

    const response = await fetch(url);
    expect(response.status).toBe(200);
    const calendar = new ICAL.Component(ICAL.parse(await response.text()));
    const events = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(events).toHaveLength(count);
    const shiftIds = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-shift-id')));
    expect(events.every((e) => e.startDate.toJSDate() < e.endDate.toJSDate())).toBe(true);
    expect(shiftIds.every(Boolean)).toBe(true);
    expect(new Set(events.map((e) => e.uid)).size).toBe(count);
  });

  it('lets an advocate offer a shift to a colleague, and the supervisor decide with the wellness check in view', async () => {
    const form = a.getByRole('form', { name: 'Offer or trade a shift' });
    await visible(form);
    await form.getByRole('button', { name: 'Send to my supervisor' }).click();
    await visible(form.getByText('Choose one of your shifts.'));
    await visible(form.getByText('Choose a colleague.'));
    await field(form, 'Your shift').selectOption({ index: 1 });
    const chosenShift = (await field(form, 'Your shift').locator('option:checked').textContent())!.trim();
    const colleague = field(form, 'Colleague');
    await a.waitForFunction((el) => !(el as HTMLSelectElement).disabled && (el as HTMLSelectElement).options.length > 1, await colleague.elementHandle());
    await colleague.selectOption({ index: 1 });
    const colleagueName = (await colleague.locator('option:checked').textContent())!.trim();
    await form.getByRole('button', { name: 'Send to my supervisor' }).click();
    const sent = await visible(form.getByRole('status'));
    expect(await sent.textContent()).toContain(`to ${colleagueName}`);
    // The request names the shift as the advocate chose it, in the hotline's time zone.
    expect(await sent.textContent()).toContain(chosenShift);
    const breaksRule = (await sent.textContent())!.includes('Would break:');
    await shot(a, 'scheduling-06-swap-sent-en');

    await s.getByRole('tab', { name: 'Requests' }).click();
    const row = (await visible(s.getByRole('table', { name: 'Swap and leave requests' }))).locator('tbody tr', { hasText: 'Ana Advocate' }).first();
    await visible(row.getByText(`to ${colleagueName}`));
    await row.getByRole('button', { name: 'Approve the request from Ana Advocate' }).click();
    if (breaksRule) {
      // The roster does not change; the refusal says so and the row names the rule that would break.
      await visible(s.getByRole('alert').filter({ hasText: 'would break a wellness rule' }));
      await visible(row.getByText(/^Would break: /));
      await shot(s, 'scheduling-07-swap-refused-en');
      await row.getByRole('button', { name: 'Reject the request from Ana Advocate' }).click();
      await visible(row.getByText('rejected', { exact: true }));
    } else {
      await visible(row.getByText('approved', { exact: true }));
      await shot(s, 'scheduling-07-swap-approved-en');
    }

    // A sick call by phone: the supervisor enters the leave for Ana; it is checked and listed like her own request.
    const leave = await visible(s.getByRole('form', { name: 'Enter leave for someone' }));
    await field(leave, 'Who').click();
    await s.getByRole('option', { name: 'Ana Advocate' }).click();
    await field(leave, 'From').fill('2030-01-07');
    await leave.getByRole('button', { name: 'Enter leave' }).click();
    const entered = (await visible(s.getByRole('table', { name: 'Swap and leave requests' }))).locator('tbody tr', { hasText: 'Sick leave from 2030-01-07 to 2030-01-07 (entered by a supervisor)' });
    await visible(entered);
    expect(await entered.textContent()).toContain('Ana Advocate');
    await shot(s, 'scheduling-08-leave-entered-en');
    await s.getByRole('tab', { name: 'Roster' }).click();
  });

  it('shows the roster in Spanish', async () => {
    const saved = s.waitForResponse((r) => r.url().endsWith('/api/me') && r.request().method() === 'PATCH');
    await s.getByRole('combobox', { name: 'Language' }).selectOption('es');
    await saved;
    await visible(s.getByRole('heading', { level: 1, name: 'Turnos' }));
    await visible(s.getByRole('button', { name: 'Generar el cuadrante de la próxima semana' }));
    await s.getByRole('radiogroup', { name: /Cobertura: planificado frente a necesario/ }).getByText('Gráfico').click();
    await visible(s.getByRole('img', { name: /Mapa de calor de la cobertura semanal/ }));
    await shot(s, 'scheduling-05-roster-es');
  });
});
