/**
 * The recommendations webview's script (bundled to `dist/webview-recommendations.js`): posts
 * each action button's `{ action, model }` to the extension, and shows the progress lines the
 * extension sends back in the model's progress cell.
 */
interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

document.addEventListener('click', (event) => {
  const button = (event.target as Element | null)?.closest('button[data-action]');
  if (!button || (button as HTMLButtonElement).disabled) return;
  vscode.postMessage({ action: button.getAttribute('data-action'), model: button.getAttribute('data-model') });
});

window.addEventListener('message', (event: MessageEvent<{ type?: string; model?: string; text?: string }>) => {
  const { type, model, text } = event.data ?? {};
  if (type !== 'progress' || typeof model !== 'string') return;
  document.querySelectorAll<HTMLElement>('[data-progress-for]').forEach((cell) => {
    if (cell.dataset.progressFor === model) cell.textContent = text ?? '';
  });
});
