import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEFAULT_INSTRUMENT } from '../src/server/assessment/default-instrument/index.js';
import { startTestServer, type TestServer } from '../test/helpers/server.js';
import { field, launchBrowser, shot, signIn, visible } from './helpers.js';

// The admin editor for the assessment instrument in a real browser against a real server: start a draft from the
// shipped default, edit an item's Spanish text (with the validation error shown beside the field), preview the draft
// by answering it, publish with confirmation, export the JSON. Needs a web build (CATALYST_WEB_ROOT or dist/web).

const SPANISH = 'Texto revisado por la administración';

describe('admin edits the assessment instrument', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const first = DEFAULT_INSTRUMENT.items[0];
  const commercialSex = DEFAULT_INSTRUMENT.items.find((item) => item.id === 'pur_commercial_sex')!;

  beforeAll(async () => {
    server = await startTestServer();
    const admin = await server.createUser({ roles: ['admin'], displayName: 'Alex Admin' });
    browser = await launchBrowser();
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 900 }, acceptDownloads: true });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    page.on('pageerror', (error) => console.error('page error:', error.message));
    await signIn(page, server.url, admin);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the shipped default in use, read-only, and starts a draft from it', async () => {
    await page.goto(`${server.url}/admin/instrument`);
    await visible(page.getByRole('heading', { level: 1, name: 'Assessment instrument' }));
    await visible(page.getByRole('link', { name: 'Assessment instrument' }));
    await visible(page.getByText('Published versions never change.'));
    expect(await field(page, 'Question (Spanish)').getAttribute('readonly')).not.toBeNull();
    await shot(page, 'assessment-admin-01-default');
    await page.getByRole('button', { name: 'New draft from version 1' }).click();
    await visible(page.getByRole('heading', { level: 2, name: 'Version 2' }));
    await visible(page.getByText('Draft', { exact: true }).first());
  });

  it('edits the first item’s Spanish text, showing the error beside the field while it is empty', async () => {
    const spanish = field(page, 'Question (Spanish)');
    expect(await spanish.inputValue()).toBe(first.text.es);
    await spanish.fill('');
    await visible(page.getByText('must not be empty').first());
    await visible(page.getByTestId('config-issues').filter({ hasText: `item '${first.id}'` }));
    expect(await page.getByRole('button', { name: 'Save draft' }).isDisabled()).toBe(true);
    await shot(page, 'assessment-admin-02-error-beside-field');
    await spanish.fill(SPANISH);
    await expect.poll(() => page.getByTestId('config-issues').count()).toBe(0);
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/admin/config/instrument/drafts/2') && r.request().method() === 'PUT');
    await page.getByRole('button', { name: 'Save draft' }).click();
    expect((await saved).status()).toBe(200);
    await visible(page.getByText('Draft version 2 saved'));
    const stored = await server.db.selectFrom('hotline_config').select('data').where('hotline_id', '=', server.hotline.id).where('kind', '=', 'instrument').where('version', '=', 2).executeTakeFirstOrThrow();
    expect((stored.data as { items: { text: { es: string } }[] }).items[0].text.es).toBe(SPANISH);
  });

  it('previews the draft: answers give levels and an explanation, in Spanish too', async () => {
    await page.getByRole('tab', { name: 'Preview' }).click();
    const preview = await visible(page.getByTestId('instrument-preview'));
    const questions = page.getByRole('region', { name: 'Answer the draft' });
    await questions.getByText('Español', { exact: true }).click();
    await visible(preview.getByText(SPANISH));
    await questions.getByText('English', { exact: true }).click();
    await field(page, 'The person is').selectOption('minor');
    await field(preview, commercialSex.text.en).selectOption('yes');
    await expect.poll(() => page.getByTestId('preview-level-sex').textContent()).toBe('Sex trafficking: high');
    const rule = DEFAULT_INSTRUMENT.rules.find((r) => r.id === 'minor_in_commercial_sex')!;
    await visible(page.getByTestId('preview-result').getByText(rule.text.en));
    await shot(page, 'assessment-admin-03-preview');
  });

  it('publishes after confirmation and shows who made and published the version', async () => {
    await page.getByRole('button', { name: 'Publish…' }).click();
    const dialog = await visible(page.getByRole('dialog', { name: 'Publish version 2?' }));
    await shot(page, 'assessment-admin-04-confirm');
    await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
    await visible(page.getByText('Version 2 published: new assessments use it now'));
    await visible(page.getByText('Published versions never change.'));
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'v2' }) });
    await visible(row.getByText('In use'));
    // Who made it and who published it, with when.
    expect(await row.getByRole('cell').nth(2).textContent()).toMatch(/^Alex Admin, /);
    expect(await row.getByRole('cell').nth(3).textContent()).toMatch(/^Alex Admin, /);
    const current = await server.db.selectFrom('hotline_config').select(['published_at', 'published_by']).where('hotline_id', '=', server.hotline.id).where('kind', '=', 'instrument').where('version', '=', 2).executeTakeFirstOrThrow();
    expect(current.published_at).not.toBeNull();
    await shot(page, 'assessment-admin-05-published');
  });

  it('exports the published version as JSON with the edited text', async () => {
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Export JSON', exact: true }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('catalyst-default-v2.json');
    const json = JSON.parse(await fs.readFile((await file.path())!, 'utf8'));
    expect(json.version).toBe(2);
    expect(json.items[0].text.es).toBe(SPANISH);
  });

  it('edits a protocol step’s Spanish script, saves it and previews it', async () => {
    await page.getByRole('link', { name: 'Response protocols' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Response protocols' }));
    await page.getByRole('button', { name: 'New draft from version 0' }).click();
    await visible(page.getByRole('heading', { level: 2, name: 'Version 1' }));
    await page.getByRole('tab', { name: /^Steps/ }).click();
    const script = await visible(page.getByLabel(/^Script \(Spanish\)/).first());
    await script.fill('Puede responder solo sí o no.');
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/admin/config/protocols/drafts/1') && r.request().method() === 'PUT');
    await page.getByRole('button', { name: 'Save draft' }).click();
    expect((await saved).status()).toBe(200);
    const stored = await server.db.selectFrom('hotline_config').select('data').where('hotline_id', '=', server.hotline.id).where('kind', '=', 'protocols').where('version', '=', 1).executeTakeFirstOrThrow();
    const steps = (stored.data as { protocols: { steps: { script?: { es: string } }[] }[] }).protocols[0].steps;
    expect(steps.some((step) => step.script?.es === 'Puede responder solo sí o no.')).toBe(true);
    await page.getByRole('tab', { name: 'Preview' }).click();
    await page.getByRole('region', { name: 'Imminent danger' }).getByText('Español', { exact: true }).click();
    await visible(page.getByTestId('protocol-preview').getByText('“Puede responder solo sí o no.”'));
    await visible(page.getByTestId('protocol-preview'));
    await visible(page.getByTestId('protocol-tester-result'));
    await shot(page, 'assessment-admin-06-protocols');
  });
});
