/**
 * The report webview's own script (bundled to `dist/webview-report.js`, run inside the
 * webview): registers the vscode-elements button and posts each button's action to the
 * extension. The page itself is rendered by the extension; nothing is fetched.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
document.addEventListener('click', (event) => {
  const button = (event.target as Element | null)?.closest('[data-action]');
  const action = button?.getAttribute('data-action');
  if (action) vscode.postMessage({ action });
});
