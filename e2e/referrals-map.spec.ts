import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer, type TestUser } from '../test/helpers/server.js';
import { seedDirectory } from '../src/server/synthetic/directory.js';
import { Random } from '../src/server/synthetic/random.js';
import { findContrastFailures } from './contrast.js';
import { ARTIFACTS, launchBrowser, signIn, visible } from './helpers.js';

// The admin screen "Partner accounts" is checked here too (it picks directory organizations of this network).
// The directory map with no tile server (none is configured, and this machine reaches none): the demo response
// network's services are numbered markers on country outlines with area labels; markers are reached with Tab and
// opened with Enter; the list shows the same places. Needs a web build: `npx vite build --outDir /tmp/web-x` and
// CATALYST_WEB_ROOT=/tmp/web-x.

describe('the directory map without tiles', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let admin: TestUser;
  let partner: TestUser;
  const tileRequests: string[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    expect(server.ctx.config.mapTileUrl).toBeUndefined();
    // The demo's synthetic response network for a Canadian hotline (the same seed as the demo).
    const seeded = await seedDirectory(server.ctx, { id: server.hotline.id, country: 'CA', timezone: 'America/Toronto' }, new Random('catalyst-demo').fork('demo:directory'));
    expect(seeded.services).toBeGreaterThan(20);
    const advocate = await server.createUser({ roles: ['advocate'], displayName: 'Ana Advocate' });
    admin = await server.createUser({ roles: ['admin'], displayName: 'Ada Admin' });
    const { id: organisationId } = await server.db.insertInto('organisation').values({ hotline_id: server.hotline.id, name: 'Unlinked partner', kind: 'partner' }).returning('id').executeTakeFirstOrThrow();
    partner = await server.createUser({ roles: ['partner'], organisationId, displayName: 'Pia Partner' });
    browser = await launchBrowser();
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 1000 } });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    page.on('request', (request) => { if (!request.url().startsWith(server.url) && !request.url().startsWith('data:')) tileRequests.push(request.url()); });
    await signIn(page, `${server.url}/directory`, advocate);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the matching demo services as numbered markers on outlines with area labels, and nothing from outside', async () => {
    await visible(page.getByRole('heading', { level: 1, name: 'Directory' }));
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const map = await visible(page.getByTestId('directory-map'));
    const markers = map.locator('.directory-map-marker');
    await expect.poll(() => markers.count()).toBeGreaterThan(10);
    const results = await page.getByTestId('match-table').locator('tbody tr').count();
    // One marker per place of each result (each demo service has one place).
    expect(await markers.count()).toBe(results);
    // The outlines (an SVG path per country) and admin-area labels are drawn without any tile.
    await expect.poll(() => map.locator('path.leaflet-interactive, svg path').count()).toBeGreaterThan(10);
    expect(await map.locator('.directory-map-area').allTextContents()).toEqual(expect.arrayContaining(['CA-ON', 'CA-QC']));
    expect(await map.locator('img.leaflet-tile').count()).toBe(0);
    await expect.poll(() => page.getByTestId('map-mode').textContent()).toContain('Map without tiles');
    expect(tileRequests).toEqual([]);
    await map.scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(ARTIFACTS, 'directory-map.png'), fullPage: false });
    expect(await findContrastFailures(page), 'text contrast on the map').toEqual([]);
  });

  it('reaches a marker with the keyboard and opens it with Enter', async () => {
    const first = page.getByTestId('directory-map').locator('.directory-map-marker').first();
    await first.focus();
    const label = await first.getAttribute('aria-label');
    expect(label).toMatch(/^\d+\. .+ — .+/);
    expect(await first.getAttribute('tabindex')).toBe('0');
    expect(await first.getAttribute('role')).toBe('button');
    await page.keyboard.press('Enter');
    const popup = await visible(page.locator('.leaflet-popup-content'));
    expect(await popup.textContent()).toContain(label!.split(' — ')[0].replace(/^\d+\. /, ''));
    // Focus moves into the popup, to the partner's profile link.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toContain('Partner profile');
    await page.getByTestId('directory-map').scrollIntoViewIfNeeded();
    await page.waitForTimeout(400); // the popup fades in
    await page.screenshot({ path: path.join(ARTIFACTS, 'directory-map-popup.png'), fullPage: false });
    await page.keyboard.press('Enter');
    await visible(page.getByTestId('vetting-status'));
    // The partner profile has its own small map.
    await visible(page.getByTestId('directory-map').locator('.directory-map-marker').first());
    await page.goBack();
  });

  it('offers the same places as a list', async () => {
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await visible(page.getByTestId('directory-map'));
    await page.getByText('List', { exact: true }).click();
    const list = await visible(page.getByTestId('map-list'));
    const rows = await list.locator('tbody tr').count();
    expect(rows).toBe(await page.getByTestId('match-table').locator('tbody tr').count());
    expect(await list.locator('tbody tr').first().textContent()).toMatch(/^1/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'directory-map-list.png'), fullPage: false });
  });

  it('lets an admin pick the directory organization a partner user works for', async () => {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 900 } });
    context.setDefaultTimeout(10_000);
    const adminPage = await context.newPage();
    await signIn(adminPage, `${server.url}/admin/partner-accounts`, admin);
    await visible(adminPage.getByRole('heading', { level: 1, name: 'Partner accounts' }));
    const row = adminPage.locator(`[data-user-id="${partner.id}"]`);
    await visible(row.getByText('Pia Partner', { exact: true }));
    await visible(row.getByText(/not linked to the directory/));
    await row.getByLabel('Directory organization of Pia Partner').click();
    await row.getByLabel('Directory organization of Pia Partner').fill('Legal Aid Clinic');
    const option = adminPage.getByRole('option', { name: /^Legal Aid Clinic .+ \(synthetic\)/ }).first();
    const picked = (await option.textContent())!.split(' · ')[0];
    await option.click();
    await row.getByRole('button', { name: 'Save the organization of Pia Partner' }).click();
    await visible(adminPage.getByText('Pia Partner now works for the organization picked.'));
    await expect.poll(async () => (await server.db.selectFrom('app_user as u').innerJoin('organisation as o', 'o.id', 'u.organisation_id').select('o.name').where('u.id', '=', partner.id).executeTakeFirstOrThrow()).name).toBe(picked);
    const audit = await server.db.selectFrom('audit_log').select('actor_id').where('action', '=', 'user.partner_organization').where('record_id', '=', partner.id).execute();
    expect(audit.map((a) => a.actor_id)).toEqual([admin.id]);
    await adminPage.waitForTimeout(300);
    await adminPage.screenshot({ path: path.join(ARTIFACTS, 'partner-accounts.png'), fullPage: true });
    expect(await findContrastFailures(adminPage), 'text contrast on partner accounts').toEqual([]);
    await context.close();
  });
});
