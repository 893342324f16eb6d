/**
 * Browser tests drive Debian's Chromium (`apt-get install chromium`) through playwright-core: headless,
 * no sandbox (CI runs as root), no network beyond localhost. Screenshots are kept in
 * test-artifacts/screenshots/ for a person to look at.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { firstRunOnly, REPO } from './env.js';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = path.join(REPO, 'test-artifacts', 'screenshots');

/**
 * Browser checks need Chromium: outside CI they are skipped with a message; in CI (CI=true) its
 * absence is a failure. They run once, in the first CI pass (DATABASE_URL unset): what they check
 * is the app, the same on either catalog.
 */
export function browserAvailable(suite: string): boolean {
  if (!firstRunOnly(suite, 'the browser is the same on either')) return false;
  if (fs.existsSync(CHROMIUM)) return true;
  if (process.env.CI) throw new Error(`${suite}: ${CHROMIUM} is missing, and CI must run the browser tests (apt-get install chromium)`);
  console.warn(`${suite}: skipped — ${CHROMIUM} is absent (apt-get install chromium)`);
  return false;
}

export function launchChromium(): Promise<Browser> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--lang=vi-VN',
    ],
  });
}

/**
 * A new 1366×768 Vietnamese tab signed in through the login page as `user`; the page's uncaught
 * errors go to `errors`, prefixed with `label`, for the test to fail on.
 */
export async function signedInPage(
  browser: Browser,
  baseUrl: string,
  user: { name: string; password: string },
  errors: { label: string; into: string[] },
): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN' });
  page.on('pageerror', (err) => errors.into.push(`${errors.label}: ${err.message}`));
  await page.goto(`${baseUrl}/login`);
  await page.fill('input[name=user]', user.name);
  await page.fill('input[name=password]', user.password);
  await page.click('button[type=submit]');
  await page.waitForSelector('header.top');
  return page;
}
