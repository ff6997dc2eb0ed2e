import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createAccessPoint } from '../src/server/channels/access-points.js';
import { startTestServer, type TestServer } from '../test/helpers/server.js';
import { findContrastFailures } from './contrast.js';
import { ARTIFACTS, launchBrowser, signIn, visible } from './helpers.js';

// The public web tip form in a real browser: a person fills it in Spanish with the keyboard only, sends it and gets a
// reference code and passphrase; adds information later in French; leaves with the quick exit (button and Esc Esc);
// and the same form works with JavaScript switched off.

const EXIT = 'https://www.wikipedia.org/';

async function shot(page: Page, name: string, fullPage = true) {
  await page.waitForTimeout(100);
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage });
  expect(await findContrastFailures(page), `text contrast on ${name}`).toEqual([]);
}

/** Every visible form control has a label, and every radio group a legend. */
async function unlabelledControls(page: Page) {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>('input, textarea, select'))) {
      if ((el as HTMLInputElement).type === 'hidden' || el.closest('[aria-hidden="true"]')) continue;
      const labelText = Array.from(el.labels ?? []).map((l) => l.textContent?.trim()).join(' ');
      if (!labelText) out.push(el.name || el.id);
      if ((el as HTMLInputElement).type === 'radio' && !el.closest('fieldset')?.querySelector('legend')?.textContent?.trim()) out.push(`${el.name} (no legend)`);
    }
    return out;
  });
}

/** The focused element shows a focus indicator (an outline of at least 2px). */
async function focusIsVisible(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return false;
    const style = getComputedStyle(el);
    return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  });
}

async function tabTo(page: Page, selector: string, max = 40) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

describe('web tip form in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let exitHits = 0;
  let base = '';
  let code = '';
  let passphrase = '';

  beforeAll(async () => {
    server = await startTestServer();
    await createAccessPoint(server.db, server.ctx, server.hotline.id, { channel: 'webform', name: 'Web tip form', address: server.hotline.slug, settings: {} });
    base = `${server.url}/tip/${server.hotline.slug}`;
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 900, height: 900 }, locale: 'es-ES' });
    // The neutral site is answered here: no network is needed, and we see that the page went there.
    await context.route(`${EXIT}**`, (route) => {
      exitHits++;
      return route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Wikipedia</title><h1>Neutral page</h1>' });
    });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the form in Spanish from the browser language, every control labelled, in three languages', async () => {
    await page.goto(base);
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    await expect.poll(() => page.title()).toContain('Informar de una situación');
    expect(await unlabelledControls(page)).toEqual([]);
    await shot(page, 'webform-01-form-es');
    for (const lang of ['en', 'fr'] as const) {
      await page.goto(`${base}/${lang}`);
      expect(await page.getAttribute('html', 'lang')).toBe(lang);
      expect(await unlabelledControls(page)).toEqual([]);
      await shot(page, `webform-02-form-${lang}`);
    }
  });

  it('is filled and sent with the keyboard only, and shows the reference code and passphrase', async () => {
    await page.goto(`${base}/es`);
    const loadedAt = Date.now();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('quick-exit');
    expect(await focusIsVisible(page)).toBe(true);

    await tabTo(page, '#what');
    expect(await focusIsVisible(page)).toBe(true);
    await page.keyboard.type('Hay trabajadoras encerradas en un taller de costura. No las dejan salir.');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Valencia, barrio de Russafa');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Todas las noches');
    // Radio groups: Tab enters the group, Space chooses.
    await tabTo(page, 'input[name="danger"]');
    await page.keyboard.press('Space');
    expect(await page.isChecked('input[name="danger"][value="yes"]')).toBe(true);
    await tabTo(page, 'input[name="minor"]');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await page.isChecked('input[name="minor"][value="unknown"]')).toBe(true);
    await tabTo(page, '#language');
    expect(await page.inputValue('#language')).toBe('es');
    await tabTo(page, 'button[type="submit"]');
    expect(await focusIsVisible(page)).toBe(true);
    await shot(page, 'webform-03-filled-es');
    // A person takes more than the minimum fill time (3 s); make sure this fast test does too.
    await page.waitForTimeout(Math.max(0, 3_300 - (Date.now() - loadedAt)));
    await page.keyboard.press('Enter');

    await page.waitForSelector('#reference-code');
    code = (await page.textContent('#reference-code'))!.trim();
    passphrase = (await page.textContent('#passphrase'))!.trim();
    expect(code).toMatch(/^TIP-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(passphrase).toMatch(/^[a-z0-9]{4}(-[a-z0-9]{4}){3}$/);
    expect(await page.textContent('h1')).toContain('Gracias');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('page-title');
    await shot(page, 'webform-04-done-es');

    const contact = await server.db.selectFrom('contact as c').innerJoin('contact_thread as t', 't.id', 'c.thread_id').select(['c.request_type', 'c.flags', 'c.language', 'c.status']).where('t.follow_up_code', '=', code).executeTakeFirstOrThrow();
    expect(contact).toMatchObject({ request_type: 'crisis', flags: { imminent_danger: true }, language: 'es', status: 'waiting' });
  });

  it('shows refusals in place, keeping what was typed', async () => {
    await page.goto(`${base}/en`);
    await page.click('button[type="submit"]');
    await page.waitForSelector('#form-errors');
    expect(await page.textContent('#form-errors')).toContain('Please describe what is happening.');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('form-errors');
    await shot(page, 'webform-05-error-en');
    // Too fast: the server refuses; the text stays and a fresh token arrives, so the next press goes through.
    await page.fill('#what', 'Sent at once by a very quick hand');
    await page.click('button[type="submit"]');
    await expect.poll(async () => page.textContent('#form-errors')).toContain('sent very quickly');
    expect(await page.inputValue('#what')).toBe('Sent at once by a very quick hand');
    await page.waitForTimeout(3_300);
    await page.click('button[type="submit"]');
    await page.waitForSelector('#reference-code');
  });

  it('adds information in French with the code and passphrase, without showing the report again', async () => {
    await page.goto(`${base}/follow-up/fr`);
    expect(await unlabelledControls(page)).toEqual([]);
    const loadedAt = Date.now();
    await page.fill('#code', code.toLowerCase());
    await page.fill('#passphrase', passphrase);
    await page.fill('#text', 'Elles ont été déplacées vendredi.');
    await shot(page, 'webform-06-follow-up-fr');
    await page.waitForTimeout(Math.max(0, 3_300 - (Date.now() - loadedAt)));
    await page.click('button[type="submit"]');
    await expect.poll(() => page.textContent('h1')).toContain('Vos informations ont été ajoutées');
    const html = await page.content();
    expect(html).not.toContain('encerradas');
    expect(html).not.toContain(code);
    await shot(page, 'webform-07-follow-up-done-fr');
  });

  it('leaves for the neutral site with the quick-exit button, clearing the form and leaving no history entry', async () => {
    await page.goto(`${server.url}/healthz`);
    await page.goto(`${base}/en`);
    await page.fill('#what', 'Something private');
    const before = exitHits;
    await page.click('#quick-exit');
    await page.waitForURL(EXIT);
    expect(exitHits).toBe(before + 1);
    expect(await page.textContent('h1')).toBe('Neutral page');
    // location.replace: Back goes to the page before the form, not to the form.
    await page.goBack();
    expect(page.url()).toBe(`${server.url}/healthz`);
  });

  it('leaves with Escape pressed twice', async () => {
    await page.goto(`${base}/es`);
    await page.fill('#what', 'Algo privado');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await page.waitForURL(EXIT);
    expect(await page.textContent('h1')).toBe('Neutral page');
  });

  it('works without JavaScript: a plain form post shows the code on a new page', async () => {
    const noJs = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR', viewport: { width: 420, height: 900 } });
    await noJs.route(`${EXIT}**`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>Neutral page</h1>' }));
    const p = await noJs.newPage();
    await p.goto(base);
    expect(await p.getAttribute('html', 'lang')).toBe('fr');
    await shot(p, 'webform-08-form-fr-mobile-nojs');
    const loadedAt = Date.now();
    await p.fill('#what', 'Signalement envoyé sans JavaScript');
    await p.check('input[name="minor"][value="yes"]');
    await p.setInputFiles('#files', { name: 'note.txt', mimeType: 'text/plain', buffer: Buffer.from('Plaque : AB-123-CD') });
    await p.waitForTimeout(Math.max(0, 3_300 - (Date.now() - loadedAt)));
    await p.click('button[type="submit"]');
    await p.waitForSelector('#reference-code');
    expect(await p.textContent('h1')).toContain('Merci');
    await shot(p, 'webform-09-done-fr-mobile-nojs');
    // Without JavaScript the quick exit is still a link to the neutral site.
    await p.click('#quick-exit');
    await p.waitForURL(EXIT);
    await noJs.close();
  });

  it('shows the tip’s file to staff in the console, downloadable', async () => {
    const { id } = await server.db.selectFrom('contact').select('id').where('hotline_id', '=', server.hotline.id).orderBy('received_at', 'desc').limit(1).executeTakeFirstOrThrow();
    const staff = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', acceptDownloads: true });
    const console = await staff.newPage();
    await signIn(console, server.url, await server.createUser({ roles: ['supervisor'] }));
    await console.goto(`${server.url}/contacts/${id}`);
    const conversation = console.getByRole('log', { name: 'Conversation' });
    const link = conversation.getByRole('link', { name: 'note.txt' });
    await visible(link);
    await visible(conversation.getByRole('list', { name: 'Files (1)' }));
    await shot(console, 'webform-10-console-tip-with-file');
    const [download] = await Promise.all([console.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('note.txt');
    expect(fs.readFileSync((await download.path())!, 'utf8')).toBe('Plaque : AB-123-CD');
    await staff.close();
  });

  it('answers an unknown form with a page in the three languages', async () => {
    const response = await page.goto(`${server.url}/tip/no-such-line/es`);
    expect(response?.status()).toBe(404);
    await shot(page, 'webform-10-not-found');
  });
});
