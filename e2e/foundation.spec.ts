import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../test/helpers/server.js';
import { findContrastFailures } from './contrast.js';
import { ARTIFACTS, field, launchBrowser, totpNow, visible } from './helpers.js';

// The paths people take through the foundation, in a real browser against a real server and database.
// Needs the web app built first: `npx vite build`.

/** Screenshot for people to look at, and an automatic WCAG AA text-contrast check of the same screen. */
async function shot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(250); // let modal and menu transitions finish
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  const failures = await findContrastFailures(page);
  expect(failures, `text contrast on ${name}`).toEqual([]);
}

describe('foundation: sign-in, shell, languages, users and audit', () => {
  let server: TestServer;
  let browser: Browser;
  let admin: { email: string; password: string; totpSecret: string | null };
  let adminContext: BrowserContext;
  let page: Page;
  const createdEmail = `new.advocate.${Date.now()}@example.org`;
  let temporaryPassword = '';

  beforeAll(async () => {
    server = await startTestServer();
    admin = await server.createUser({ roles: ['admin'], displayName: 'Ada Admin' });
    browser = await launchBrowser();
    adminContext = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 860 } });
    adminContext.setDefaultTimeout(10_000);
    page = await adminContext.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs an admin in with a password and a TOTP code, then shows the shell', async () => {
    await page.goto(server.url);
    await visible(page.getByRole('heading', { level: 1, name: 'Sign in' }));
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await shot(page, '01-sign-in-en');

    // A wrong password gets a clear message, not a silent failure.
    await field(page, 'Email').fill(admin.email);
    await field(page, 'Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = await visible(page.getByRole('alert'));
    expect(await alert.textContent()).toContain('The email or password is not correct.');

    await field(page, 'Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Enter your security code' }));
    const code = field(page, '6-digit code');
    expect(await code.getAttribute('autocomplete')).toBe('one-time-code');
    await shot(page, '02-mfa-verify-en');
    await code.fill(totpNow(admin.totpSecret!));
    await page.getByRole('button', { name: 'Verify' }).click();

    const nav = await visible(page.getByRole('navigation', { name: 'Main' }));
    await visible(page.getByRole('heading', { level: 1, name: 'Queue' }));
    expect(await nav.getByRole('link', { name: 'Queue' }).getAttribute('aria-current')).toBe('page');
    expect(await nav.getByRole('link', { name: 'Admin', exact: true }).isVisible()).toBe(true);
    // An administrator without the advocate or supervisor role is told plainly that the queue is not theirs.
    expect(await page.getByText('The queue is for advocates and supervisors').isVisible()).toBe(true);
    expect(await page.getByRole('banner').textContent()).toContain(`Test ${server.hotline.slug}`);
    expect(await page.getByRole('banner').textContent()).toContain('Ada Admin');
    await shot(page, '03-shell-queue-en');
  });

  it('offers a skip link as the first stop for keyboard users', async () => {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
    expect(focused).toBe('Skip to main content');
    await shot(page, '04-skip-link-focused');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main-content');
  });

  it('shows my account with my roles, language and a password form', async () => {
    await page.getByRole('link', { name: 'Your account: Ada Admin' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'My account' }));
    await visible(page.getByRole('heading', { level: 2, name: 'Change password' }));
    expect(await page.getByRole('main').textContent()).toContain('Administrator');
    await shot(page, '04b-account-en');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Queue' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Queue' }));
  });

  it('switches to Spanish, keeps it after a reload, and shows French too', async () => {
    const savedEs = page.waitForResponse((r) => r.url().endsWith('/api/me') && r.request().method() === 'PATCH');
    await page.getByRole('combobox', { name: 'Language' }).selectOption('es');
    await visible(page.getByRole('heading', { level: 1, name: 'Cola' }));
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    expect(await page.getByText('La cola es para consejeros/as y supervisores/as').isVisible()).toBe(true);
    // Saved on the user, so it survives a reload (and follows them to other devices).
    expect((await savedEs).status()).toBe(200);
    await page.reload();
    await visible(page.getByRole('heading', { level: 1, name: 'Cola' }));
    await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Administración' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Usuarios' }));
    await visible(page.getByRole('rowheader', { name: admin.email }));
    await shot(page, '05-users-es');

    await page.getByRole('combobox', { name: 'Idioma' }).selectOption('fr');
    await visible(page.getByRole('heading', { level: 1, name: 'Utilisateurs' }));
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await shot(page, '06-users-fr');

    const saved = page.waitForResponse((r) => r.url().endsWith('/api/me') && r.request().method() === 'PATCH');
    await page.getByRole('combobox', { name: 'Langue' }).selectOption('en');
    await saved;
    await visible(page.getByRole('heading', { level: 1, name: 'Users' }));
  });

  it('creates a user as admin and shows the temporary password once', async () => {
    await page.getByRole('button', { name: 'Create user' }).click();
    const dialog = await visible(page.getByRole('dialog', { name: 'Create a user' }));

    // Submitting empty explains what is missing, field by field.
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await visible(dialog.getByText('Enter an email address.', { exact: true }));
    await visible(dialog.getByText('Choose at least one role.', { exact: true }));
    await shot(page, '07-create-user-errors');

    await field(dialog, 'Email').fill(createdEmail);
    await field(dialog, 'Name').fill('Nadia Advocate');
    await dialog.getByRole('checkbox', { name: 'Advocate' }).check();
    // Nadia works in French: she will see Catalyst in French from her first sign-in.
    await dialog.getByRole('combobox', { name: 'Language' }).selectOption('fr');
    await dialog.getByRole('button', { name: 'Create user' }).click();

    const created = await visible(page.getByRole('dialog', { name: 'User created' }));
    temporaryPassword = ((await created.getByTestId('temporary-password').textContent()) ?? '').trim();
    expect(temporaryPassword.length).toBeGreaterThanOrEqual(12);
    await shot(page, '08-user-created');
    await created.getByRole('button', { name: 'Done' }).click();

    const row = await visible(page.getByRole('row').filter({ hasText: createdEmail }));
    expect(await row.textContent()).toContain('Nadia Advocate');
    expect(await row.textContent()).toContain('Advocate');
    expect(await row.textContent()).toContain('Not set up');
    await shot(page, '09-users-en');
  });

  it('shows the user.create entry in the audit log and verifies the chain', async () => {
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Audit log' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Audit log' }));
    // The audit row names the actor and the record id, never the new person's email (personal data).
    const entry = await visible(page.getByRole('row').filter({ hasText: 'user.create' }).filter({ hasText: admin.email }).first());
    expect(await entry.textContent()).not.toContain(createdEmail);
    expect(await entry.textContent()).toContain('User created');

    await page.getByRole('combobox', { name: 'Action' }).fill('user.create');
    await page.keyboard.press('Escape');
    const filtered = page.waitForResponse((r) => r.url().includes('/api/admin/audit?') && r.url().includes('action=user.create'));
    await page.getByRole('button', { name: 'Apply filters' }).click();
    expect((await filtered).status()).toBe(200);
    // Before the filter, sign-ins are listed too; after it, every row is a user.create entry.
    const rows = page.getByRole('table').getByRole('row').filter({ hasNot: page.getByRole('columnheader') });
    await visible(page.getByText(/^Showing \d+ entries, newest first\.$/));
    expect(await rows.count()).toBeGreaterThanOrEqual(2); // the test admin, then the user created above
    for (const text of await rows.allTextContents()) expect(text).toContain('user.create');
    await visible(page.getByText(`Showing ${await rows.count()} entries, newest first.`));

    await page.getByRole('button', { name: 'Verify chain' }).click();
    await visible(page.getByText('The audit log is intact'));
    await shot(page, '10-audit-en');
  });

  it('deactivates a user only after confirmation, and can reactivate them', async () => {
    const target = await server.createUser({ roles: ['analyst'], displayName: 'Tomás Analyst' });
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Users' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Users' }));
    await page.reload(); // the list was loaded before this user existed
    const row = page.getByRole('row').filter({ hasText: target.email });
    await (await visible(row.getByRole('button', { name: `Actions for ${target.email}` }))).click();
    await page.getByRole('menuitem', { name: 'Deactivate' }).click();
    const confirm = await visible(page.getByRole('dialog', { name: 'Deactivate user?' }));
    // The safe choice has focus, so a stray Enter cannot lock someone out.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await shot(page, '11-confirm-deactivate');
    await confirm.getByRole('button', { name: 'Deactivate' }).click();
    await visible(row.getByText('Deactivated', { exact: true }));

    await row.getByRole('button', { name: `Actions for ${target.email}` }).click();
    await page.getByRole('menuitem', { name: 'Reactivate' }).click();
    await (await visible(page.getByRole('dialog', { name: 'Reactivate user?' }))).getByRole('button', { name: 'Reactivate' }).click();
    await visible(row.getByText('Active', { exact: true }));
  });

  it('enrols a second user by reading the setup key shown on screen', async () => {
    const second = await server.createUser({ roles: ['advocate'], totpSecret: null, displayName: 'Sol Advocate' });
    const context = await browser.newContext({ locale: 'es-MX', viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(10_000);
    try {
      const p = await context.newPage();
      await p.goto(server.url);
      // No stored choice yet: the browser's language decides.
      await visible(p.getByRole('heading', { level: 1, name: 'Iniciar sesión' }));
      await p.getByRole('combobox', { name: 'Idioma' }).selectOption('en');
      await field(p, 'Email').fill(second.email);
      await field(p, 'Password').fill(second.password);
      await p.getByRole('button', { name: 'Sign in' }).click();

      await visible(p.getByRole('heading', { level: 1, name: 'Set up two-step sign-in' }));
      const secret = ((await (await visible(p.getByTestId('totp-secret'))).textContent()) ?? '').replace(/\s+/g, '');
      expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
      expect(await p.getByRole('img', { name: /QR code/ }).isVisible()).toBe(true);
      await shot(p, '12-enrol-en');

      await field(p, '6-digit code').fill(totpNow(secret));
      await p.getByRole('button', { name: 'Confirm and sign in' }).click();
      await visible(p.getByRole('heading', { level: 1, name: 'Queue' }));
      // An advocate has no admin permissions in the default rules, so Admin is not offered.
      const nav = p.getByRole('navigation', { name: 'Main' });
      expect(await nav.getByRole('link', { name: 'Admin', exact: true }).count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('makes a new user with a temporary password enrol and choose a password first', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(10_000);
    try {
      const p = await context.newPage();
      await p.goto(`${server.url}/admin/users`);
      await visible(p.getByRole('heading', { level: 1, name: 'Connexion' }));
      await shot(p, '13-sign-in-fr');
      await field(p, 'Adresse e-mail').fill(createdEmail);
      await field(p, 'Mot de passe').fill(temporaryPassword);
      await p.getByRole('button', { name: 'Se connecter' }).click();

      await visible(p.getByRole('heading', { level: 1, name: 'Configurez la validation en deux étapes' }));
      await shot(p, '14-enrol-fr');
      const secret = ((await p.getByTestId('totp-secret').textContent()) ?? '').replace(/\s+/g, '');
      await field(p, 'Code à 6 chiffres').fill(totpNow(secret));
      await p.getByRole('button', { name: 'Confirmer et se connecter' }).click();

      await visible(p.getByRole('heading', { level: 1, name: 'Choisissez votre propre mot de passe' }));
      await field(p, 'Mot de passe temporaire').fill(temporaryPassword);
      await field(p, 'Nouveau mot de passe').fill('short');
      await field(p, 'Répétez le nouveau mot de passe').fill('short');
      await p.getByRole('button', { name: 'Changer le mot de passe' }).click();
      await visible(p.getByText('Utilisez au moins 12 caractères.'));
      await shot(p, '15-change-password-fr');

      const chosen = 'a long walk by the river at dawn';
      await field(p, 'Nouveau mot de passe').fill(chosen);
      await field(p, 'Répétez le nouveau mot de passe').fill(chosen);
      await p.getByRole('button', { name: 'Changer le mot de passe' }).click();
      // Advocates cannot open Admin: the address they asked for answers "not found", inside the shell.
      await visible(p.getByRole('heading', { level: 1, name: 'Page introuvable' }));
      await p.getByRole('navigation', { name: 'Principale' }).getByRole('link', { name: 'Dossiers' }).click();
      await visible(p.getByRole('heading', { level: 1, name: 'Dossiers' }));
      await shot(p, '16-shell-fr');
    } finally {
      await context.close();
    }
  });

  it('shows the shell on a phone-sized screen with a labelled menu button', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(`${server.url}/contacts`);
    await visible(page.getByRole('heading', { level: 1, name: 'Contacts' }));
    const menu = page.getByRole('button', { name: 'Open navigation' });
    await menu.click();
    await visible(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Referrals' }));
    await shot(page, '17-mobile-menu');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Referrals' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Referrals' }));
    await shot(page, '18-mobile-referrals');
  });
});
