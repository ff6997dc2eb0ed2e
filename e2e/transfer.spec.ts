import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer, type TestUser } from '../test/helpers/server.js';
import { addSmsNumber, messageSid, postSms } from '../test/helpers/intake.js';
import { field, launchBrowser, shot, signIn, visible } from './helpers.js';

// Handing a contact over in a real browser: an advocate transfers a text to a Spanish-speaking colleague with a note;
// the colleague is told live, reads the note on the contact, and sends it on to the supervisors with another note,
// which a French-speaking supervisor reads in the queue and on the contact's history. Needs a web build
// (dist/web, or CATALYST_WEB_ROOT for a private one).

const NOTE = 'Solo habla tigriña por escrito; su empleador revisa su teléfono por la noche.';
const SUPERVISOR_NOTE = 'Necesita decidir si hacemos la denuncia hoy.';

async function chooseLanguage(page: Page, current: string, locale: string) {
  const saved = page.waitForResponse((r) => r.url().endsWith('/api/me') && r.request().method() === 'PATCH');
  await page.getByRole('combobox', { name: current }).selectOption(locale);
  await saved;
}

describe('transferring a contact with a note', () => {
  let server: TestServer;
  let browser: Browser;
  let ana: TestUser;
  let bruno: TestUser;
  let sam: TestUser;
  let smsNumber: string;
  let a: Page;
  let b: Page;
  let s: Page;
  let contactId = '';
  let reference = '';

  beforeAll(async () => {
    server = await startTestServer();
    smsNumber = await addSmsNumber(server);
    ana = await server.createUser({ roles: ['advocate'], displayName: 'Ana Advocate' });
    bruno = await server.createUser({ roles: ['advocate'], displayName: 'Bruno Colega' });
    sam = await server.createUser({ roles: ['supervisor'], displayName: 'Sam Superviseur' });
    await server.db.updateTable('app_user').set({ languages: ['es', 'en'] }).where('id', '=', bruno.id).execute();
    // The SMS line routes to a team: the queue says which.
    await server.db.updateTable('access_point').set({ team: 'North' }).where('hotline_id', '=', server.hotline.id).execute();
    browser = await launchBrowser();
    const open = async () => {
      const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 900 } });
      context.setDefaultTimeout(10_000);
      return context.newPage();
    };
    [a, b, s] = await Promise.all([open(), open(), open()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lets an advocate hand a text to a colleague who speaks its language, with a note', async () => {
    await signIn(b, server.url, bruno);
    await chooseLanguage(b, 'Language', 'es');
    await visible(b.getByRole('heading', { level: 1, name: 'Cola' }));
    await visible(b.getByTestId('live-indicator').filter({ hasText: 'En vivo' }));
    const availability = b.waitForResponse((r) => r.url().endsWith('/api/me/availability') && r.status() === 200);
    await b.locator('fieldset').getByText('Disponible', { exact: true }).click();
    await availability;

    await signIn(a, server.url, ana);
    await visible(a.getByTestId('live-indicator').filter({ hasText: 'Live' }));
    expect((await postSms(server.url, { MessageSid: messageSid(), From: '+15557650001', To: smsNumber, Body: 'Hola, necesito ayuda.' })).status).toBe(200);
    const row = await visible(a.getByRole('row').filter({ hasText: 'SMS' }), 5_000);
    contactId = (await row.getAttribute('data-contact-id'))!;
    reference = ((await row.getByRole('rowheader').getByRole('link').textContent()) ?? '').trim();
    expect(await row.getByTestId('queue-team').textContent()).toBe('Team: North');
    await a.getByRole('button', { name: `Take ${reference}` }).click();
    await visible(a.getByRole('heading', { level: 1, name: `Contact ${reference}` }));
    // The contact is in Spanish: the colleague who speaks it comes first in the list, marked.
    await a.evaluate(async (id) => {
      const csrf = (await (await fetch('/api/auth/session')).json()).csrfToken;
      const { contact } = await (await fetch(`/api/contacts/${id}`)).json();
      await fetch(`/api/contacts/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify({ version: contact.version, language: 'es' }) });
    }, contactId);

    await a.getByRole('button', { name: 'Transfer', exact: true }).click();
    const dialog = await visible(a.getByRole('dialog', { name: `Transfer ${reference}` }));
    const to = field(dialog, 'Transfer to');
    await expect.poll(async () => (await to.locator('option').allTextContents()).join('|')).toContain('Bruno Colega (Advocate · Available · speaks Spanish)');
    await to.selectOption({ label: 'Bruno Colega (Advocate · Available · speaks Spanish)' });
    await visible(dialog.getByText('The person receiving the contact sees it', { exact: false }));
    await field(dialog, 'Note for them (optional)').fill(NOTE);
    await shot(a, 'transfer-01-dialog-en');
    await dialog.getByRole('button', { name: 'Transfer', exact: true }).click();
    await visible(a.getByRole('heading', { level: 1, name: 'Queue' }));

    // Bruno is told at once, and the row says who sent it and that a note waits.
    await visible(b.getByText(`Le transfirieron ${reference}`), 5_000);
    const brunoRow = await visible(b.locator(`[data-contact-id="${contactId}"]`));
    const mark = await visible(brunoRow.getByTestId('transfer-mark'));
    expect(await mark.textContent()).toContain('Ana Advocate se lo transfirió');
    await visible(mark.getByLabel('Ana Advocate dejó una nota: abra el contacto para leerla'));
    expect(await brunoRow.textContent()).not.toContain('tigriña');
    await shot(b, 'transfer-02-queue-receiver-es');
  });

  it('shows the note to the colleague on the contact, and keeps it on its history', async () => {
    await b.getByRole('link', { name: `Abrir ${reference}` }).click();
    await visible(b.getByRole('heading', { level: 1, name: `Contacto ${reference}` }));
    const received = await visible(b.getByTestId('transfer-received'));
    expect(await received.textContent()).toContain('Ana Advocate le transfirió este contacto');
    expect(await received.getByTestId('transfer-note').textContent()).toBe(NOTE);
    const history = await visible(b.getByRole('region', { name: 'Transferencias' }));
    expect(await history.textContent()).toContain('Ana Advocate → Bruno Colega');
    await shot(b, 'transfer-03-contact-receiver-es');

    // Bruno sends it on to the supervisors, with his own note.
    await b.getByRole('button', { name: 'Transferir', exact: true }).click();
    const dialog = await visible(b.getByRole('dialog', { name: `Transferir ${reference}` }));
    await field(dialog, 'Nota para quien lo recibe (opcional)').fill(SUPERVISOR_NOTE);
    await dialog.getByRole('button', { name: 'Transferir', exact: true }).click();
    await visible(b.getByRole('heading', { level: 1, name: 'Cola' }));
  });

  it('shows a supervisor the escalation in the queue and both notes on the contact', async () => {
    await signIn(s, server.url, sam);
    await chooseLanguage(s, 'Language', 'fr');
    await visible(s.getByRole('heading', { level: 1, name: 'File d’attente' }));
    const row = await visible(s.locator(`[data-contact-id="${contactId}"]`));
    expect(await row.getByTestId('transfer-mark').textContent()).toContain('Envoyé aux superviseurs par Bruno Colega');
    await shot(s, 'transfer-04-queue-supervisor-fr');

    await row.getByRole('rowheader').getByRole('link').click();
    await visible(s.getByRole('heading', { level: 1, name: `Contact ${reference}` }));
    const received = await visible(s.getByTestId('transfer-received'));
    expect(await received.textContent()).toContain('Bruno Colega a envoyé ce contact aux superviseurs');
    expect(await received.getByTestId('transfer-note').textContent()).toBe(SUPERVISOR_NOTE);
    const history = await visible(s.getByRole('region', { name: 'Transferts' }));
    const text = (await history.textContent()) ?? '';
    expect(text).toContain('2 transferts');
    expect(text.indexOf(SUPERVISOR_NOTE)).toBeLessThan(text.indexOf(NOTE));
    await shot(s, 'transfer-05-contact-supervisor-fr');

    // Reading the contact is audited; the transfer entries never contain the note.
    const audit = await server.db.selectFrom('audit_log').select(['action', 'details']).where('record_id', '=', contactId).where('action', 'in', ['queue.transfer', 'queue.escalate']).execute();
    expect(audit.map((e) => e.action).sort()).toEqual(['queue.escalate', 'queue.transfer']);
    expect(JSON.stringify(audit)).not.toContain('tigriña');
  });
});
