import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer, type TestUser } from '../test/helpers/server.js';
import { insertMetricsFixture } from '../test/fixtures/metrics/october-2026.js';
import { ARTIFACTS, launchBrowser, shot, signIn, visible } from './helpers.js';

// A program manager (analyst role: no case access, so small counts are hidden) filters the analysis dashboard to one
// area, reads a chart as a table, and downloads the monthly PDF, which is rendered to PNG pages with pdftoppm.
// Needs a web build: `npx vite build --outDir /tmp/web-x` and CATALYST_WEB_ROOT=/tmp/web-x.

const run = promisify(execFile);

describe('reports: analysis dashboard and monthly PDF', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let manager: TestUser;
  let tmp: string;

  beforeAll(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'catalyst-reports-e2e-'));
    server = await startTestServer();
    const other = await server.addHotline(`o${Date.now().toString(36)}`);
    const supervisor = await server.createUser({ roles: ['supervisor'] });
    await insertMetricsFixture(server.ctx, server.hotline.id, other.id, supervisor.id);
    manager = await server.createUser({ roles: ['analyst'], displayName: 'Pat Program Manager' });
    browser = await launchBrowser();
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 900 }, acceptDownloads: true });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  });

  it('filters the analysis dashboard to one area and shows suppressed figures with a table view', async () => {
    await signIn(page, server.url, manager);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Reports' }));
    await page.getByLabel('From').fill('2026-10-01');
    await page.getByLabel('To (not included)').fill('2026-11-01');
    await visible(page.getByTestId('kpi-contacts').getByText('10', { exact: true }));
    await visible(page.getByText('Small counts are hidden'));
    // The map by area: a circle and a label per area with a configured point, the same figures as the bar chart.
    const map = await visible(page.getByTestId('area-map').locator('.area-map'));
    expect(await map.getAttribute('aria-label')).toMatch(/^Map of contacts by area: .*Ontario: /);
    await visible(page.getByTestId('area-map').locator('[data-area="CA-ON"]'));
    await shot(page, 'reports-01-analysis-en');

    await page.getByLabel('Area', { exact: true }).selectOption({ label: 'Ontario' });
    await visible(page.getByTestId('analysis-summary').getByText('Ontario'));
    await visible(page.getByTestId('kpi-contacts').getByText('3', { exact: true }));
    // The chart's numbers as a table: Ontario's three phone contacts, the rest zero, nothing small shown.
    const channel = page.getByTestId('chart-channel');
    await channel.getByText('Table', { exact: true }).click();
    const table = await visible(page.getByTestId('chart-channel-table'));
    await visible(table.getByRole('row', { name: /Phone\s+3/ }));
    await visible(table.getByRole('row', { name: /Total\s+3/ }));
    // Referrals of Ontario's case (K1): three made; emergency requests with the note that extraction is not recorded.
    await visible(page.getByTestId('referrals-section'));
    await visible(page.getByTestId('kpi-referrals').getByText('3', { exact: true }));
    await visible(page.getByTestId('chart-emergency').getByText(/Extraction is not recorded/));
    await shot(page, 'reports-02-analysis-ontario-en');
  });

  it('downloads the monthly PDF for that area and renders its pages', async () => {
    await page.getByRole('tab', { name: 'Monthly report' }).click();
    await visible(page.getByTestId('monthly-filters').getByText('Ontario', { exact: false }));
    await page.getByLabel(/^Month( \*)?$/).fill('2026-10');
    await shot(page, 'reports-03-monthly-en');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-pdf').click()]);
    expect(download.suggestedFilename()).toBe('operations-2026-10-CA-ON.pdf');
    const file = path.join(tmp, 'monthly.pdf');
    await download.saveAs(file);
    expect((await fs.readFile(file)).subarray(0, 5).toString()).toBe('%PDF-');
    await run('pdftoppm', ['-r', '60', '-png', file, path.join(tmp, 'page')]);
    const pages = (await fs.readdir(tmp)).filter((f) => f.startsWith('page') && f.endsWith('.png')).sort();
    expect(pages.length).toBeGreaterThanOrEqual(1);
    for (const [i, p] of pages.entries()) {
      const png = await fs.readFile(path.join(tmp, p));
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      await fs.writeFile(path.join(ARTIFACTS, `reports-04-monthly-pdf-page-${i + 1}.png`), png);
    }
    const { stdout } = await run('pdftotext', ['-layout', file, '-']);
    expect(stdout).toContain('Monthly operations report');
    expect(stdout).toContain('Filters: Ontario');
  });

  it('downloads the funder indicators and the annual statistics from their tab', async () => {
    await page.getByRole('tab', { name: 'Funder and annual reports' }).click();
    await page.getByLabel(/^From/).last().fill('2026-10-01');
    await page.getByLabel(/^To \(exclusive\)/).fill('2026-11-01');
    await shot(page, 'reports-07-standard-en');
    const [funder] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-funder-pdf').click()]);
    expect(funder.suggestedFilename()).toBe('indicators-2026-10-01-2026-11-01.pdf');
    const file = path.join(tmp, 'funder.pdf');
    await funder.saveAs(file);
    const dir = path.join(tmp, 'funder');
    await fs.mkdir(dir);
    await run('pdftoppm', ['-r', '50', '-png', file, path.join(dir, 'page')]);
    expect((await fs.readdir(dir)).filter((f) => f.endsWith('.png')).length).toBeGreaterThanOrEqual(1);
    const { stdout } = await run('pdftotext', ['-layout', file, '-']);
    expect(stdout).toContain('Performance indicators for funders');
    expect(stdout).toContain('Emergency shelter');
    await page.getByLabel(/^Year/).fill('2026');
    const [annual] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-annual-xlsx').click()]);
    expect(annual.suggestedFilename()).toBe('statistics-2026.xlsx');
  });

  it('reads in French and Spanish', async () => {
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/me') && r.request().method() === 'PATCH');
    await page.getByRole('combobox', { name: 'Language', exact: true }).selectOption('fr');
    await saved;
    await visible(page.getByRole('heading', { level: 1, name: 'Rapports' }));
    await page.getByRole('tab', { name: 'Activité en direct' }).click();
    await visible(page.getByTestId('live-waiting').getByText('En attente'));
    await shot(page, 'reports-05-live-fr');
    const savedEs = page.waitForResponse((r) => r.url().endsWith('/api/me') && r.request().method() === 'PATCH');
    await page.getByRole('combobox', { name: 'Langue', exact: true }).selectOption('es');
    await savedEs;
    await page.getByRole('tab', { name: 'Análisis' }).click();
    await visible(page.getByRole('heading', { level: 2, name: 'Acceso' }));
    await shot(page, 'reports-06-analysis-es');
  });
});
