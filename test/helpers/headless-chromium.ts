/** Debian's Chromium, headless and offline, for tests that render pages and save screenshots to test-artifacts/. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

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

/** Every request the page makes that does not load a local file; a page that works offline leaves it empty. */
export function recordOffMachineRequests(page: Page): string[] {
  const offMachine: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith('file:')) offMachine.push(request.url());
  });
  return offMachine;
}

/**
 * What VS Code injects into a webview, recording the page's messages (and CSP violations) in
 * `window.__posted`. A string, not a function: tsx would wrap a function's inner closures in a
 * helper the page lacks.
 */
export async function fakeVsCodeApi(page: Page): Promise<void> {
  await page.addInitScript({
    content: `
        window.__posted = [];
        window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m) });
        document.addEventListener('securitypolicyviolation', (e) => window.__posted.push({ violation: e.violatedDirective, blocked: e.blockedURI }));`,
  });
}
