import { chromium, type Browser } from 'playwright-core';
import { CLOSED_PORT } from './code-server';

/** Debian's Chromium: Playwright cannot download its own browsers here. */
export const CHROMIUM = process.env.SWITCHYARD_E2E_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Starts headless Chromium for the workbench. Playwright's own signal handlers are off so that
 * the test's clean-up (which also stops code-server) is what runs on Ctrl-C.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // Anything the page asks of the network goes to a closed port; Chromium always
      // reaches loopback (the workbench) directly.
      `--proxy-server=http://127.0.0.1:${CLOSED_PORT}`,
    ],
  });
}
