/**
 * Browser tests drive Debian's Chromium (`apt-get install chromium`) through playwright-core: headless,
 * no sandbox (CI runs as root), no network beyond localhost. Screenshots are kept in
 * test-artifacts/screenshots/ for a person to look at.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { REPO } from './env.js';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = path.join(REPO, 'test-artifacts', 'screenshots');

/**
 * Browser checks need Chromium: outside CI they are skipped with a message; in CI (CI=true) its
 * absence is a failure. They run once, in the first CI pass (DATABASE_URL unset): what they check
 * is the app, the same on either catalog.
 */
export function browserAvailable(suite: string): boolean {
  if (process.env.DATABASE_URL) {
    console.warn(`${suite}: skipped in the PostgreSQL/S3 run — the first CI run covers the browser`);
    return false;
  }
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
