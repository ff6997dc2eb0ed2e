import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestServer, type TestServer, type TestUser } from '../test/helpers/server.js';
import { addSmsNumber, messageSid, postSms } from '../test/helpers/intake.js';
import { field, launchBrowser, shot, signIn, visible } from './helpers.js';

// The advocate console in a real browser against a real server: an SMS arrives live, an advocate takes it and
// documents it in Spanish, a supervisor edits the same contact meanwhile, the advocate merges; the wall and the
// intake admin screens. Needs the web app built first: `npx vite build`.

async function chooseLanguage(page: Page, current: string, locale: string) {
  const saved = page.waitForResponse((r) => r.url().endsWith('/api/me') && r.request().method() === 'PATCH');
  await page.getByRole('combobox', { name: current }).selectOption(locale);
  await saved;
}

describe('advocate console: queue, contact, merge, wall and intake admin', () => {
  let server: TestServer;
  let browser: Browser;
  let advocate: TestUser;
  let supervisor: TestUser;
  let smsNumber: string;
  let advocateContext: BrowserContext;
  let supervisorContext: BrowserContext;
  let a: Page;
  let s: Page;
  let contactId = '';
  let reference = '';

  beforeAll(async () => {
    server = await startTestServer();
    smsNumber = await addSmsNumber(server);
    advocate = await server.createUser({ roles: ['advocate'], displayName: 'Ana Advocate' });
    supervisor = await server.createUser({ roles: ['supervisor', 'admin'], displayName: 'Sam Supervisor' });
    browser = await launchBrowser();
    advocateContext = await browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 900 } });
    supervisorContext = await browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 900 } });
    advocateContext.setDefaultTimeout(10_000);
    supervisorContext.setDefaultTimeout(10_000);
    a = await advocateContext.newPage();
    s = await supervisorContext.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows an SMS arriving live in the queue, without a reload', async () => {
    await signIn(a, server.url, advocate);
    await visible(a.getByRole('heading', { level: 1, name: 'Queue' }));
    await visible(a.getByTestId('queue-empty'));
    await visible(a.getByTestId('live-indicator').filter({ hasText: 'Live' }));
    const availability = a.waitForResponse((r) => r.url().endsWith('/api/me/availability') && r.status() === 200);
    await a.locator('fieldset').getByText('Available', { exact: true }).click();
    await availability;
    await shot(a, 'console-01-queue-empty-en');

    const loads = { count: 0 };
    a.on('load', () => loads.count++);
    const sent = await postSms(server.url, { MessageSid: messageSid(), From: '+15557654321', To: smsNumber, Body: 'Hola, necesito ayuda. Mi patrón se quedó con mi pasaporte.' });
    expect(sent.status).toBe(200);

    const row = await visible(a.getByRole('row').filter({ hasText: 'SMS' }), 5_000);
    expect(loads.count).toBe(0);
    contactId = (await row.getAttribute('data-contact-id'))!;
    reference = ((await row.getByRole('rowheader').getByRole('link').textContent()) ?? '').trim();
    expect(reference).toMatch(/^C-\d+$/);
    expect(await row.textContent()).toContain('On time');
    expect(await row.textContent()).toContain('Matches my languages');
    // Screen readers hear about it politely.
    await expect.poll(() => a.getByTestId('queue-announce-polite').textContent()).toContain(`New contact waiting: SMS, ${reference}.`);
    // The wait timer ticks every second.
    const before = await row.getByTestId('wait').textContent();
    await expect.poll(() => row.getByTestId('wait').textContent(), { timeout: 5_000 }).not.toBe(before);
    await shot(a, 'console-02-queue-sms-en');
  });

  it('takes the contact and documents it in Spanish', async () => {
    await chooseLanguage(a, 'Language', 'es');
    await visible(a.getByRole('heading', { level: 1, name: 'Cola' }));
    await shot(a, 'console-03-queue-es');

    await a.getByRole('button', { name: `Tomar ${reference}` }).click();
    await visible(a.getByRole('heading', { level: 1, name: `Contacto ${reference}` }));
    await visible(a.getByRole('log', { name: 'Conversación' }).getByText('Mi patrón se quedó con mi pasaporte', { exact: false }));

    // The test line has no Twilio account yet: the reply is refused with a reason, not lost silently.
    await field(a, 'Responder por SMS').fill('Gracias por escribir. ¿Está en un lugar seguro ahora?');
    await a.getByRole('button', { name: 'Enviar' }).click();
    await visible(a.getByRole('alert').filter({ hasText: 'Esta línea todavía no está configurada para enviar respuestas' }));

    await field(a, 'Tipo de solicitud').selectOption('crisis');
    await a.getByRole('checkbox', { name: 'Menor de edad' }).check();
    await field(a, 'Grupo de edad de la persona en riesgo').selectOption('12_17');
    await a.getByRole('radiogroup', { name: '¿Es seguro volver a contactar a la persona?' }).getByRole('radio', { name: 'Sí' }).check();
    // Skip logic: the follow-up question appears only once the answer is "yes".
    await (await visible(field(a, 'Forma más segura de contactarla'))).selectOption('text');
    await field(a, 'Resumen').fill('Joven de 16 años; el empleador retiene su pasaporte.');
    await visible(a.getByTestId('save-state').filter({ hasText: 'Cambios sin guardar' }));
    await a.getByRole('button', { name: 'Guardar', exact: true }).click();
    await visible(a.getByTestId('save-state').filter({ hasText: 'Guardado el' }));
    await visible(a.locator('.flag-badge', { hasText: 'Menor de edad' }));
    await shot(a, 'console-04-contact-es');

    const saved = await a.evaluate(async (id) => (await (await fetch(`/api/contacts/${id}`)).json()).contact, contactId);
    expect(saved.requestType).toBe('crisis');
    expect(saved.flags.minor).toBe(true);
    expect(saved.formData).toEqual({ age_group: '12_17', safe_to_contact: true, safe_contact_method: 'text' });
  });

  it('lets the advocate merge, field by field, when a supervisor saved meanwhile', async () => {
    // The advocate keeps typing, without saving yet.
    await field(a, 'Resumen').fill('Joven de 16 años; el empleador retiene su pasaporte. Acordamos llamar mañana.');
    await field(a, 'Cómo terminó el contacto').selectOption('completed');

    // Meanwhile a supervisor, in another browser, opens the same contact and saves other changes.
    await signIn(s, server.url, supervisor);
    await chooseLanguage(s, 'Language', 'fr');
    await s.goto(`${server.url}/contacts/${contactId}`);
    await visible(s.getByRole('heading', { level: 1, name: `Contact ${reference}` }));
    await field(s, 'Résumé').fill('Mineure de 16 ans, passeport retenu par l’employeur.');
    await field(s, 'Notes').fill('Vérifier les ressources d’hébergement.');
    await s.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await visible(s.getByTestId('save-state').filter({ hasText: 'Enregistré le' }));
    await shot(s, 'console-05-contact-supervisor-fr');

    // The live event tells the advocate at once; nothing of theirs is overwritten.
    await visible(a.getByText('Otra persona guardó este contacto'));
    await a.getByRole('button', { name: 'Guardar', exact: true }).click();
    const dialog = await visible(a.getByRole('dialog', { name: 'Otra persona guardó este contacto' }));
    // The summary was changed by both: no choice is made for the advocate.
    const summary = dialog.getByTestId('merge-summary');
    await visible(summary.getByText('Lo cambiaron ambos'));
    await dialog.getByRole('button', { name: 'Guardar la versión combinada' }).click();
    await visible(dialog.getByText('Elija una versión.'));
    await shot(a, 'console-06-merge-es');
    await summary.getByRole('radio', { name: 'Conservar la mía' }).check();
    // Notes: only the supervisor changed them, so theirs is already chosen; the ending: only mine.
    expect(await dialog.getByTestId('merge-notes').getByRole('radio', { name: 'Conservar la suya' }).isChecked()).toBe(true);
    expect(await dialog.getByTestId('merge-form.how_contact_ended').getByRole('radio', { name: 'Conservar la mía' }).isChecked()).toBe(true);
    await dialog.getByRole('button', { name: 'Guardar la versión combinada' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await visible(a.getByTestId('save-state').filter({ hasText: 'Guardado el' }));

    const merged = await a.evaluate(async (id) => (await (await fetch(`/api/contacts/${id}`)).json()).contact, contactId);
    expect(merged.summary).toBe('Joven de 16 años; el empleador retiene su pasaporte. Acordamos llamar mañana.');
    expect(merged.notes).toBe('Vérifier les ressources d’hébergement.');
    expect(merged.formData.how_contact_ended).toBe('completed');
    expect(merged.formData.age_group).toBe('12_17');
  });

  it('shows the supervisor wall with live numbers', async () => {
    await s.goto(`${server.url}/queue/wall`);
    await visible(s.getByRole('heading', { level: 1, name: 'Tableau de supervision' }));
    expect((await s.getByTestId('wall-waiting').textContent())!).toContain('0');
    await visible(s.getByTestId('wall-service-level').getByRole('img', { name: /Niveau de service du jour.*100/ }));
    expect(await s.getByTestId('wall-service-level').textContent()).toContain('1 sur 1 contact aujourd’hui');
    await shot(s, 'console-07-wall-fr');

    // A second text arrives: the wall counts it without a reload.
    await postSms(server.url, { MessageSid: messageSid(), From: '+15550001111', To: smsNumber, Body: 'Bonjour, j’ai besoin d’aide.' });
    await visible(s.getByTestId('wall-waiting').getByText('1', { exact: true }), 5_000);
    await chooseLanguage(s, 'Langue', 'en');
    await visible(s.getByRole('heading', { level: 1, name: 'Supervisor wall' }));
    await shot(s, 'console-08-wall-en');
  });

  it('closes the contact from the advocate console', async () => {
    await a.getByRole('button', { name: 'Terminar', exact: true }).click();
    const dialog = await visible(a.getByRole('dialog', { name: `Terminar ${reference}` }));
    await shot(a, 'console-09-finish-es');
    await dialog.getByRole('button', { name: 'Cerrar contacto' }).click();
    await visible(a.getByRole('heading', { level: 1, name: 'Cola' }));
    // Closed contacts leave the list (the queue refreshes on the live event, not instantly on navigation).
    await a.locator(`[data-contact-id="${contactId}"]`).waitFor({ state: 'detached', timeout: 5_000 });
    // The French text that arrived meanwhile is waiting, in the advocate's list too.
    await visible(a.getByRole('row').filter({ hasText: 'SMS' }));
    await shot(a, 'console-10-queue-after-es');
  });

  it('manages channels, the contact form and answer targets as admin', async () => {
    await s.goto(`${server.url}/admin/channels`);
    await visible(s.getByRole('heading', { level: 1, name: 'Channels' }));
    const row = await visible(s.getByRole('row').filter({ hasText: 'SMS line' }));
    expect(await row.textContent()).toContain('Saved (…cdef)');
    await row.getByRole('button', { name: 'Edit SMS line' }).click();
    const dialog = await visible(s.getByRole('dialog', { name: 'Edit SMS line' }));
    await visible(dialog.getByText('A secret is saved (…cdef)', { exact: false }));
    await field(dialog, 'Twilio account SID').fill('AC123');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await visible(dialog.getByText('A Twilio account SID is AC followed by 32 letters and digits.'));
    await shot(s, 'console-11-channel-edit-en');
    await field(dialog, 'Twilio account SID').fill(`AC${'0123456789abcdef'.repeat(2)}`);
    await dialog.getByRole('tab', { name: 'Español' }).click();
    await field(dialog, 'Greeting (Español)').fill('Hola, gracias por escribir.');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await s.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Contact form' }).click();
    await visible(s.getByRole('heading', { level: 1, name: 'Contact form' }));
    const editor = field(s, 'Form definition (JSON)');
    const text = await editor.inputValue();
    const form = JSON.parse(text);
    form.fields.push({ id: 'needs_shelter', type: 'boolean', label: { en: 'Needs shelter tonight', es: 'Necesita refugio esta noche', fr: 'A besoin d’un hébergement ce soir' } });
    form.fields.push({ id: 'shelter_for', type: 'number', label: { en: 'How many people', es: 'Cuántas personas', fr: 'Combien de personnes' }, showIf: { field: 'no_such_field', equals: [true] } });
    await editor.fill(JSON.stringify(form, null, 2));
    await s.getByRole('button', { name: 'Publish' }).click();
    const refused = await visible(s.getByRole('alert').filter({ hasText: 'The server did not accept this form' }));
    expect(await refused.textContent()).toContain('no_such_field');
    await s.getByRole('region', { name: 'Preview' }).getByText('Español', { exact: true }).click();
    await visible(s.getByTestId('form-preview').getByText('Necesita refugio esta noche'));
    await shot(s, 'console-12-form-editor-error-es-preview');

    form.fields[form.fields.length - 1].showIf.field = 'needs_shelter';
    await editor.fill(JSON.stringify(form, null, 2));
    await s.getByRole('button', { name: 'Publish' }).click();
    await visible(s.getByText(/Version \d+ published/));
    await s.getByRole('region', { name: 'Preview' }).getByText('Français', { exact: true }).click();
    const preview = s.getByTestId('form-preview');
    await preview.getByRole('radiogroup', { name: 'A besoin d’un hébergement ce soir' }).getByRole('radio', { name: 'Oui' }).check();
    await visible(preview.getByText('Combien de personnes'));
    await shot(s, 'console-13-form-editor-fr-preview');

    await s.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Answer targets' }).click();
    await visible(s.getByRole('heading', { level: 1, name: 'Answer targets' }));
    await s.getByRole('textbox', { name: 'SMS', exact: true }).fill('10');
    await s.getByRole('button', { name: 'Publish targets' }).click();
    await visible(s.getByText(/Version \d+ of the targets published/));
    const sla = await s.evaluate(async () => (await (await fetch('/api/admin/sla')).json()).data);
    expect(sla.channels.sms.answerSeconds).toBe(600);
    await shot(s, 'console-14-sla-en');
  });
});
