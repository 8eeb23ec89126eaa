import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

/** Debian's Chromium (apt-get install chromium): playwright's own browser download is not used. */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Screenshots and other files a test leaves for a person to look at (CI keeps the folder). */
export const TEST_ARTIFACTS_DIR = path.join(__dirname, '..', '..', 'test-artifacts');

/**
 * Headless Chromium with nothing that reaches the network on its own: this machine's network is
 * closed, and a browser test must prove the page works offline anyway.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Saves a full-page screenshot under test-artifacts/ and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(TEST_ARTIFACTS_DIR, { recursive: true });
  const file = path.join(TEST_ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
