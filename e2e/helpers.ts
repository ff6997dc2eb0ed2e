import fs from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { Secret, TOTP } from 'otpauth';
import type { TestUser } from '../test/helpers/server.js';
import { findContrastFailures } from './contrast.js';

// What every browser spec needs: Debian's Chromium, sign-in with the second factor, waiting for what a person sees,
// labelled fields, and a full-page screenshot (in .e2e-artifacts/) that also checks text contrast.

export const ARTIFACTS = path.resolve('.e2e-artifacts');
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launchBrowser(): Promise<Browser> {
  await fs.mkdir(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export function totpNow(secret: string): string {
  return new TOTP({ secret: Secret.fromBase32(secret.replace(/\s+/g, '')), digits: 6, period: 30, algorithm: 'SHA1' }).generate();
}

export async function visible(locator: Locator, timeout = 10_000): Promise<Locator> {
  await locator.waitFor({ state: 'visible', timeout });
  return locator;
}

/** A form control by its visible label (Mantine adds " *" to required ones). */
export function field(scope: Page | Locator, label: string): Locator {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return scope.getByLabel(new RegExp(`^${escaped}( \\*)?$`));
}

/** A full-page screenshot named `name`, after which no text on the page may fail WCAG AA contrast. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  const failures = await findContrastFailures(page);
  expect(failures, `text contrast on ${name}`).toEqual([]);
}

/** Signs in with password and a TOTP code of `user` (who must have one), and waits for the main navigation. */
export async function signIn(page: Page, url: string, user: TestUser): Promise<void> {
  await page.goto(url);
  await field(page, 'Email').fill(user.email);
  await field(page, 'Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await visible(page.getByRole('heading', { level: 1, name: 'Enter your security code' }));
  await field(page, '6-digit code').fill(totpNow(user.totpSecret!));
  await page.getByRole('button', { name: 'Verify' }).click();
  await visible(page.getByRole('navigation', { name: 'Main' }));
}
