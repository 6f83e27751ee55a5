/**
 * The language client for one window: standard LSP for ghost text (`textDocument/inlineCompletion`),
 * document sync and cancellation, over a socket the context opened beforehand (ServerOptions
 * as a function returning streams). Crash handling is the context's: the error handler never
 * lets the client restart on its own or show its own notifications.
 */
import type * as vscode from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, RevealOutputChannelOn, type LanguageClientOptions, type StreamInfo } from 'vscode-languageclient/node';
import type { SwitchyardInitOptions } from '../../shared/lsp/protocol';

/** Read/write errors in a row before the connection is given up (and then reconnected). */
const MAX_CONSECUTIVE_ERRORS = 3;

export interface ClientHooks {
  /** The streams of the connection to use now (opened by the context). */
  transport(): Promise<StreamInfo>;
  initializationOptions(): SwitchyardInitOptions;
  /** Whether ghost text is wanted for this language now (enabled, not paused). */
  completionWanted(languageId: string): boolean;
  /** The connection closed without the context stopping it. */
  connectionLost(): void;
  /** `initialize` failed: the daemon refused this window. */
  initializeFailed(error: unknown): void;
  outputChannel: vscode.LogOutputChannel;
}

/**
 * The client logs its errors but never pops a notification of its own ("couldn't create
 * connection to server" would show on every failed attempt): the context decides when the
 * user needs to hear about a failure, and says it once.
 */
class QuietLanguageClient extends LanguageClient {
  override error(message: string, data?: unknown, _showNotification?: boolean | 'force'): void {
    super.error(message, data, false);
  }
}

export function createLanguageClient(hooks: ClientHooks): LanguageClient {
  const options: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file' }, { scheme: 'untitled' }],
    outputChannel: hooks.outputChannel,
    // Our own notification covers failures; the client's "Go to output" pop-ups would repeat it.
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    initializationOptions: () => hooks.initializationOptions(),
    initializationFailedHandler: (error) => {
      hooks.initializeFailed(error);
      return false;
    },
    errorHandler: {
      error: (_error, _message, count) => ({ action: (count ?? 1) <= MAX_CONSECUTIVE_ERRORS ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true }),
      closed: () => {
        hooks.connectionLost();
        return { action: CloseAction.DoNotRestart, handled: true };
      },
    },
    middleware: {
      // Paused or switched off for this language: no request leaves the window.
      provideInlineCompletionItems: (document, position, context, token, next) =>
        hooks.completionWanted(document.languageId) ? next(document, position, context, token) : undefined,
    },
  };
  return new QuietLanguageClient('switchyard', 'Switchyard', hooks.transport, options);
}
