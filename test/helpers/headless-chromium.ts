/** Debian's Chromium, headless and offline, for tests that render pages and save screenshots to test-artifacts/. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');

/** `skip` for node:test: a reason when Chromium is missing (CI installs it, so CI never skips). */
export const skipWithoutChromium = !existsSync(CHROMIUM) && process.env.CI !== 'true' && 'no /usr/bin/chromium (apt-get install -y chromium)';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    // The test's own clean-up closes the browser; Playwright's handlers would race it.
    handleSIGINT: false,
    handleSIGTERM: false,
  });
}
