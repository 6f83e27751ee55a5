/**
 * A long request to the daemon (benchmark, pull) under a cancellable progress notification:
 * the client creates the work-done token, the daemon's `$/progress` reports move the
 * notification, and Cancel becomes `$/cancelRequest`. A cancellation answers undefined: it
 * is the user's choice, not an error to show.
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { LSPErrorCodes, WorkDoneProgress, type LanguageClient, type WorkDoneProgressBegin, type WorkDoneProgressEnd, type WorkDoneProgressReport } from 'vscode-languageclient/node';

export interface ProgressLine {
  message?: string;
  percentage?: number;
}

export function withWorkDoneProgress<T>(
  client: LanguageClient,
  title: string,
  send: (workDoneToken: string, cancel: vscode.CancellationToken) => Promise<T>,
  onReport?: (line: ProgressLine) => void,
): Thenable<T | undefined> {
  const workDoneToken = randomUUID();
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, cancel) => {
    let reported = 0;
    const listener = client.onProgress(WorkDoneProgress.type, workDoneToken, (value: WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd) => {
      if (value.kind === 'end') return;
      const { message, percentage } = value;
      // VS Code takes increments; LSP reports absolute percentages.
      progress.report({ message, increment: percentage !== undefined ? Math.max(0, percentage - reported) : undefined });
      if (percentage !== undefined) reported = Math.max(reported, percentage);
      onReport?.({ message, percentage });
    });
    try {
      return await send(workDoneToken, cancel);
    } catch (error) {
      if (cancel.isCancellationRequested || (error as { code?: number }).code === LSPErrorCodes.RequestCancelled) return undefined;
      throw error;
    } finally {
      listener.dispose();
    }
  });
}
