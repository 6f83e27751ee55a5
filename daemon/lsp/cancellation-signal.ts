import type { CancellationToken } from 'vscode-languageserver-protocol';

/** An AbortSignal that follows an LSP cancellation token (`$/cancelRequest`); `dispose()` stops following it. */
export function signalOf(token: CancellationToken): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const cancel = () => controller.abort(new DOMException('The editor cancelled the request.', 'AbortError'));
  const listener = token.onCancellationRequested(cancel);
  if (token.isCancellationRequested) cancel();
  return { signal: controller.signal, dispose: () => listener.dispose() };
}
