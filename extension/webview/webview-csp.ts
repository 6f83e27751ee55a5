import { randomBytes } from 'node:crypto';

/** A fresh nonce for each page: only the page's own script and style run. */
export function makeNonce(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * A strict Content-Security-Policy for a webview page: nothing from the network, scripts and
 * style elements only with the nonce, fonts and styles from the extension's own files.
 */
export function webviewCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    "connect-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}
