import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { startTestServer, type TestServer, type TestUser } from '../test/helpers/server.js';
import { findContrastFailures } from './contrast.js';
import { ARTIFACTS, field, launchBrowser, totpNow, visible } from './helpers.js';

// Scheduling forms in a real browser: a supervisor edits the hotline's settings (validation shown beside the field),
// adds a holiday and sees the forecast dip on that date, sets an advocate's contract and weekly unavailability and
// sees the generated roster keep them, then records a sick call on the published roster. Needs `npx vite build`.

async function shot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  const failures = await findContrastFailures(page);
  expect(failures, `text contrast on ${name}`).toEqual([]);
}

/** What assistive technology reads as the element's description: the texts its aria-describedby names. */
async function descriptionOf(locator: Locator): Promise<string> {
  return locator.evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' '),
  );
}

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe('scheduling forms: settings, holidays, contracts and availability, sick calls', () => {
  let server: TestServer;
  let browser: Browser;
  let supervisor: TestUser;
  let ana: TestUser;
  let s: Page;
  /** This week's Monday in the hotline's zone, read from the forecast. */
  let weekStart = '';

  beforeAll(async () => {
    server = await startTestServer();
    supervisor = await server.createUser({ roles: ['supervisor'], displayName: 'Sam Supervisor' });
    for (let i = 2; i <= 3; i++) await server.createUser({ roles: ['supervisor'], displayName: `Supervisor ${i}` });
    ana = await server.createUser({ roles: ['advocate'], displayName: 'Ana Advocate' });
    for (let i = 2; i <= 7; i++) await server.createUser({ roles: ['advocate'], displayName: `Advocate ${i}` });
    // Ten weeks of history so the forecast has whole weeks to learn from: a call every 90 minutes, a chat every 5 hours.
    const thread = await server.db.insertInto('contact_thread').values({ hotline_id: server.hotline.id, channel: 'phone' }).returning('id').executeTakeFirstOrThrow();
    await sql`insert into contact (hotline_id, thread_id, channel, status, received_at)
      select ${server.hotline.id}::uuid, ${thread.id}::uuid, 'phone', 'closed', t from generate_series(now() - interval '70 days', now() - interval '1 hour', interval '90 minutes') t
      union all
      select ${server.hotline.id}::uuid, ${thread.id}::uuid, 'chat', 'closed', t from generate_series(now() - interval '70 days', now() - interval '1 hour', interval '5 hours') t`.execute(server.db);
    browser = await launchBrowser();
    s = await (await browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 900 } })).newPage();
    s.context().setDefaultTimeout(10_000);
    await s.goto(server.url);
    await field(s, 'Email').fill(supervisor.email);
    await field(s, 'Password').fill(supervisor.password);
    await s.getByRole('button', { name: 'Sign in' }).click();
    await field(s, '6-digit code').fill(totpNow(supervisor.totpSecret!));
    await s.getByRole('button', { name: 'Verify' }).click();
    await visible(s.getByRole('navigation', { name: 'Main' }));
    await s.goto(`${server.url}/scheduling`);
    await visible(s.getByRole('heading', { level: 1, name: 'Scheduling' }));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  // Tests get two minutes: the browser, the server and its roster solves share 2 cores with other test runs.
  it('edits the scheduling settings, showing each problem beside its field', async () => {
    await s.getByRole('tab', { name: 'Settings' }).click();
    const form = await visible(s.getByRole('form', { name: 'Scheduling settings' }));
    await shot(s, 'scheduling-forms-01-settings-en');
    const shrinkage = field(form, 'Shrinkage');
    await shrinkage.fill('95');
    const rest = field(form, 'Rest between shifts (hours)');
    await rest.fill('60');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await visible(form.getByText('At most 90 %.'));
    await visible(form.getByText('At most 48.'));
    // The message belongs to its field (announced with it), and the keyboard lands on the first field to fix.
    expect(await shrinkage.getAttribute('aria-invalid')).toBe('true');
    expect(await descriptionOf(shrinkage)).toContain('At most 90 %.');
    await expect.poll(() => shrinkage.evaluate((el) => el === document.activeElement)).toBe(true);
    await visible(form.getByRole('alert').filter({ hasText: '2 fields need attention.' }));
    await shot(s, 'scheduling-forms-02-settings-errors-en');

    await shrinkage.fill('25');
    await rest.fill('12');
    // A Spanish speaker on duty at all times: the code is checked like everything else.
    await form.getByRole('button', { name: 'Add a skill need' }).click();
    await form.getByRole('button', { name: 'Save settings' }).click();
    const language = field(form, 'Language code (need 1)');
    await visible(form.getByText('Not in the expected form.'));
    expect(await language.getAttribute('aria-invalid')).toBe('true');
    await language.fill('es');
    // A break whose latest start is before its earliest is named on the break; removing it clears the problem.
    await form.getByRole('button', { name: 'Add a break to 8h' }).click();
    await field(form, 'Break 1: latest start (minutes into the shift)').fill('60');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await visible(form.getByText('The latest start is before the earliest.'));
    await form.getByRole('button', { name: 'Remove break 1' }).click();
    await field(form, 'People on duty, at least').fill('2');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await visible(s.getByText('Scheduling settings saved.'));
    const saved = await server.db.selectFrom('scheduling_settings').select('settings').where('hotline_id', '=', server.hotline.id).executeTakeFirstOrThrow();
    expect((saved.settings as { shrinkage: number }).shrinkage).toBe(0.25);
    expect((saved.settings as { rules: { minRestHours: number } }).rules.minRestHours).toBe(12);
    expect((saved.settings as { skillNeeds: unknown[] }).skillNeeds).toEqual([{ skill: 'language:es', minimum: 1, windows: [] }]);
  }, 120_000);

  it('adds a holiday and the forecast dips on that date', async () => {
    await s.getByRole('tab', { name: 'Forecast' }).click();
    await visible(s.getByRole('table', { name: 'Forecast accuracy and volumes' }));
    await s.getByRole('radiogroup', { name: /Forecast against actual: Phone/ }).getByText('Table').click();
    const table = await visible(s.getByRole('table', { name: 'Forecast against actual: Phone' }));
    /** Forecast phone contacts per local date, from the table view of the chart. */
    const perDay = async () => {
      const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent ?? '')));
      const sums = new Map<string, number>();
      for (const [time, , , forecast] of rows) if (forecast !== '—') sums.set(time.slice(0, 10), (sums.get(time.slice(0, 10)) ?? 0) + Number(forecast));
      return sums;
    };
    const before = await perDay();
    weekStart = [...before.keys()].sort()[0];
    expect(new Date(`${weekStart}T00:00:00Z`).getUTCDay()).toBe(1);
    const holiday = addDays(weekStart, 9); // next week's Wednesday
    const sameDayThisWeek = addDays(weekStart, 2);
    expect(before.get(holiday)! / before.get(sameDayThisWeek)!).toBeGreaterThan(0.8);

    const events = s.getByRole('form', { name: 'Add a holiday or event' });
    await events.getByRole('button', { name: 'Add to the forecast' }).click();
    await visible(events.getByText('Required.').first());
    expect(await events.getByText('Required.').count()).toBe(2);
    expect(await field(events, 'Date').getAttribute('aria-invalid')).toBe('true');
    await field(events, 'Date').fill(holiday);
    await field(events, 'Name').fill('National holiday');
    await field(events, 'Contacts compared with usual').fill('20');
    await shot(s, 'scheduling-forms-03-holiday-form-en');
    await events.getByRole('button', { name: 'Add to the forecast' }).click();
    await visible(s.getByRole('table', { name: 'Holidays and planned events' }).getByText('National holiday'));
    await expect.poll(async () => {
      const after = await perDay();
      return after.get(holiday)! / after.get(sameDayThisWeek)!;
    }, { timeout: 15_000 }).toBeLessThan(0.3);
    await s.getByRole('radiogroup', { name: /Forecast against actual: Phone/ }).getByText('Chart').click();
    await shot(s, 'scheduling-forms-04-holiday-forecast-en');
  }, 120_000);

  it('sets an advocate’s contract and unavailability, and the roster keeps them', async () => {
    await s.getByRole('tab', { name: 'Staff', exact: true }).click();
    const staff = await visible(s.getByRole('table', { name: 'Staff on shifts' }));
    const anaRow = staff.locator('tbody tr', { hasText: 'Ana Advocate' });
    await visible(anaRow.getByText('default'));
    await anaRow.getByRole('button', { name: 'Edit Ana Advocate' }).click();
    const dialog = await visible(s.getByRole('dialog', { name: 'Contract and availability: Ana Advocate' }));
    const form = dialog.getByRole('form', { name: 'Contract and availability: Ana Advocate' });
    // Keyboard: the dialog holds focus, Escape would close it; here we type into it.
    await field(form, 'Hours per week, at least').fill('20');
    await field(form, 'Hours per week, at most').fill('16');
    await field(form, 'Languages').fill('en, es');
    await form.getByRole('button', { name: 'Add a time they cannot work' }).click();
    await form.getByRole('button', { name: 'Save' }).click();
    await visible(form.getByText('The minimum is above the maximum.'));
    await visible(form.getByText('Choose at least one.'));
    // Both messages are tied to their fields, so a screen reader announces them there.
    expect(await descriptionOf(field(form, 'Hours per week, at least'))).toContain('The minimum is above the maximum.');
    expect(await descriptionOf(form.getByRole('group', { name: 'Days (time 1)' }))).toContain('Choose at least one.');
    await shot(s, 'scheduling-forms-05-contract-errors-en');

    await field(form, 'Hours per week, at least').fill('8');
    const days = form.getByRole('group', { name: 'Days (time 1)' });
    await days.getByLabel('Sat').check();
    await days.getByLabel('Sun').check();
    await field(form, 'From (time 1)').fill('00:00');
    await field(form, 'To (time 1)').fill('00:00');
    await form.getByRole('group', { name: 'Prefers not to work on' }).getByLabel('Mon').check();
    await form.getByRole('button', { name: 'Save' }).click();
    await visible(s.getByText('Ana Advocate: contract and availability saved.'));
    await visible(anaRow.getByText('8–16 h'));
    await visible(anaRow.getByText('EN, ES'));
    await visible(anaRow.getByText(/Sat, Sun 00:00–24:00/));
    await shot(s, 'scheduling-forms-06-staff-en');
    // Keyboard: Enter opens the dialog with the saved contract, Escape closes it and gives focus back to the button.
    const edit = anaRow.getByRole('button', { name: 'Edit Ana Advocate' });
    await edit.focus();
    await s.keyboard.press('Enter');
    const again = await visible(s.getByRole('dialog', { name: 'Contract and availability: Ana Advocate' }));
    expect(await field(again, 'Hours per week, at most').inputValue()).toBe('16');
    await s.keyboard.press('Escape');
    await again.waitFor({ state: 'hidden' });
    await expect.poll(() => edit.evaluate((el) => el === document.activeElement)).toBe(true);

    await s.getByRole('tab', { name: 'Roster', exact: true }).click();
    await s.getByRole('button', { name: 'Generate next week’s roster' }).click();
    await visible(s.getByRole('heading', { level: 2, name: `Week of ${addDays(weekStart, 7)}` }), 90_000);
    const hours = await visible(s.getByTestId(`paid-hours-${ana.id}`));
    expect(Number((await hours.textContent())!.replace(',', '.'))).toBeLessThanOrEqual(16);
    const anaShifts = await s.getByRole('table', { name: 'Shifts' }).locator('tbody tr', { hasText: 'Ana Advocate' }).locator('td:first-child').allTextContents();
    expect(anaShifts.length).toBeLessThanOrEqual(2);
    expect(anaShifts.filter((start) => /^(Sat|Sun)/.test(start))).toEqual([]);
    // The Spanish need from the settings reaches the roster: only Ana speaks Spanish, so skill gaps are reported.
    const stored = await server.db.selectFrom('roster').select(['input', 'report']).where('hotline_id', '=', server.hotline.id).where('status', '=', 'draft').executeTakeFirstOrThrow();
    expect((stored.input as { skillNeeds: { skill: string }[] }).skillNeeds.map((n) => n.skill)).toEqual(['language:es']);
    expect((stored.report as { gaps: { kind: string }[] }).gaps.some((g) => g.kind === 'skill')).toBe(true);
    await shot(s, 'scheduling-forms-07-roster-en');
  }, 120_000);

  it('records a sick call on the published roster and re-plans it', async () => {
    await s.getByRole('button', { name: 'Publish roster' }).click();
    await visible(s.getByText('published', { exact: true }).first());
    const form = await visible(s.getByRole('form', { name: 'Sick call' }));
    await form.getByRole('button', { name: 'Re-plan the roster' }).click();
    await visible(form.getByText('Choose the person who is off.'));
    const person = field(form, 'Who is off');
    await person.selectOption({ index: 1 });
    const monday = addDays(weekStart, 7);
    await field(form, 'Off from').fill(`${monday}T00:00`);
    await field(form, 'Off until').fill(`${addDays(monday, 1)}T23:30`);
    await form.getByRole('button', { name: 'Re-plan the roster' }).click();
    await visible(s.getByRole('status').filter({ hasText: 'Roster re-planned' }), 90_000);
    await shot(s, 'scheduling-forms-08-sick-call-en');

    // Any of the coming weeks can be planned, not only the next.
    const later = addDays(weekStart, 14);
    await field(s, 'Week to plan').selectOption(later);
    await s.getByRole('button', { name: `Generate the roster for the week of ${later}` }).click();
    await visible(s.getByRole('heading', { level: 2, name: `Week of ${later}` }), 90_000);
  }, 120_000);

  it('shows the forms in French', async () => {
    const saved = s.waitForResponse((r) => r.url().endsWith('/api/me') && r.request().method() === 'PATCH');
    await s.getByRole('combobox', { name: 'Language' }).selectOption('fr');
    await saved;
    await s.getByRole('tab', { name: 'Paramètres' }).click();
    await visible(s.getByRole('form', { name: 'Paramètres de planification' }));
    await visible(field(s, 'Repos entre deux services (heures)'));
    await shot(s, 'scheduling-forms-09-settings-fr');
    await s.getByRole('tab', { name: 'Personnel', exact: true }).click();
    await visible(s.getByRole('table', { name: 'Personnel en service' }));
    await shot(s, 'scheduling-forms-10-staff-fr');
  });
});
