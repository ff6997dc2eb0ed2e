import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../test/helpers/server.js';
import { field, launchBrowser, shot, signIn, visible } from './helpers.js';

// Channel configuration in a real browser (issue 3): an admin adds a text line with its Twilio credentials (the token
// is never shown again, only its last 4), a chat with its allowed website and greetings, an email inbox with its SMTP
// relay, and sees what to paste at the provider. Needs the web app built (dist/web, or CATALYST_WEB_ROOT).

const TOKEN = 'e2e-twilio-token-0123456789wxyz';

describe('channel configuration', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startTestServer();
    const admin = await server.createUser({ roles: ['admin'], displayName: 'Ada Admin' });
    browser = await launchBrowser();
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 900 } });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    await signIn(page, server.url, admin);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const openAdd = async () => {
    await page.getByRole('button', { name: 'Add access point' }).first().click();
    return visible(page.getByRole('dialog', { name: 'Add an access point' }));
  };

  it('adds a text line with a Twilio token that is never shown again, and shows the webhook to paste at Twilio', async () => {
    await page.goto(`${server.url}/admin/channels`);
    await visible(page.getByRole('heading', { level: 1, name: 'Channels' }));
    const dialog = await openAdd();
    await field(dialog, 'Channel').selectOption('sms');
    await field(dialog, 'Name').fill('Text line');
    await field(dialog, 'Address').fill('+1 555 010 4242');
    await field(dialog, 'Team').fill('texts');
    await field(dialog, 'Twilio account SID').fill(`AC${'0123456789abcdef'.repeat(2)}`);
    await field(dialog, 'Twilio auth token').fill(TOKEN);
    // Automatic texts are opt-in, and the form says what they do.
    await visible(dialog.getByText('Sent as an automatic text to each new conversation.', { exact: false }).first());
    await dialog.getByRole('button', { name: 'Add hours' }).click();
    await dialog.getByRole('button', { name: 'Add access point' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = await visible(page.getByRole('row').filter({ hasText: 'Text line' }));
    expect(await row.textContent()).toContain('Saved (…wxyz)');
    expect(await row.textContent()).toContain('+15550104242');
    expect(await row.textContent()).toContain('texts');
    expect(await page.content()).not.toContain(TOKEN);

    await row.getByRole('button', { name: 'Edit Text line' }).click();
    const edit = await visible(page.getByRole('dialog', { name: 'Edit Text line' }));
    await visible(edit.getByText('A secret is saved (…wxyz)', { exact: false }));
    expect(await field(edit, 'Twilio auth token').inputValue()).toBe('');
    const help = await visible(edit.getByTestId('connection-help'));
    expect(await help.textContent()).toContain(`${server.url}/api/webhooks/twilio/messaging`);
    await visible(help.getByRole('button', { name: 'Copy: Twilio: “A message comes in” (HTTP POST)' }));
    expect(await page.content()).not.toContain(TOKEN);
    await shot(page, 'channels-01-sms-edit-en');
    await edit.getByRole('button', { name: 'Cancel' }).click();
  });

  it('adds a website chat with its allowed origin and a French greeting, and shows the script tag', async () => {
    const dialog = await openAdd();
    await field(dialog, 'Channel').selectOption('chat');
    await field(dialog, 'Name').fill('Website chat');
    await field(dialog, 'Address').fill('website');
    await field(dialog, 'Allowed website addresses').fill('https://www.example.org');
    await dialog.getByRole('checkbox', { name: 'Open new chats only while an advocate is available' }).check();
    await dialog.getByRole('checkbox', { name: 'Français' }).check();
    await dialog.getByRole('tab', { name: 'Français' }).click();
    await field(dialog, 'Greeting (Français)').fill('Bonjour, vous êtes en sécurité ici.');
    await dialog.getByRole('button', { name: 'Add access point' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const embed = await fetch(`${server.url}/chat/website/embed?lang=fr`);
    expect(embed.headers.get('content-security-policy')).toContain('frame-ancestors https://www.example.org');
    const html = await embed.text();
    expect(html).toContain('Bonjour, vous êtes en sécurité ici.');
    // Nobody is signed in and available in this test: the line shows that instead of the questions.
    expect(html).toContain('&quot;closedReason&quot;:&quot;unstaffed&quot;');

    await page.getByRole('row').filter({ hasText: 'Website chat' }).getByRole('button', { name: 'Edit Website chat' }).click();
    const edit = await visible(page.getByRole('dialog', { name: 'Edit Website chat' }));
    expect(await edit.getByTestId('connection-help').textContent()).toContain(`<script src="${server.url}/chat/widget.js" data-hotline="website" async></script>`);
    await shot(page, 'channels-02-chat-edit-en');
    await edit.getByRole('button', { name: 'Cancel' }).click();
  });

  it('adds an email inbox with its SMTP relay and hours, keeps the password write-only, says what automatic answers do, and edits in Spanish', async () => {
    const dialog = await openAdd();
    await field(dialog, 'Channel').selectOption('email');
    await field(dialog, 'Name').fill('Tips inbox');
    await field(dialog, 'Address').fill('tips@example.org');
    await field(dialog, 'SMTP server').fill('smtp.example.org');
    await field(dialog, 'Port').fill('587');
    await field(dialog, 'User name').fill('tips');
    await field(dialog, 'SMTP password').fill('smtp-password-1234');
    await visible(dialog.getByText('Sent as an automatic email answer to each new conversation, never to automatic mail', { exact: false }).first());
    await dialog.getByRole('button', { name: 'Add hours' }).click();
    await dialog.getByRole('button', { name: 'Add access point' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const stored = await page.evaluate(async () => (await (await fetch('/api/admin/access-points')).json()).items);
    const inbox = stored.find((p: { name: string }) => p.name === 'Tips inbox');
    expect(inbox).toMatchObject({ secretHint: '…1234', settings: { smtpHost: 'smtp.example.org', smtpPort: 587, smtpUser: 'tips', hours: [{ day: 'mon', open: '09:00', close: '17:00' }] } });
    const line = stored.find((p: { name: string }) => p.name === 'Text line');
    expect(line.settings.hours).toEqual([{ day: 'mon', open: '09:00', close: '17:00' }]);
    expect(JSON.stringify(stored)).not.toContain('smtp-password-1234');

    await page.getByRole('combobox', { name: 'Language' }).selectOption('es');
    await page.getByRole('row').filter({ hasText: 'Tips inbox' }).getByRole('button').click();
    const edit = await visible(page.getByRole('dialog'));
    await visible(edit.getByText('Conectar con el proveedor'));
    await shot(page, 'channels-03-email-edit-es');
  });
});
