/**
 * One editor window's connection to the daemon: its document store, its completion settings,
 * and the handlers of every message it may send. Built on vscode-languageserver's connection,
 * created from reader/writer objects over the socket and a watchdog of its own, so that a
 * window closing, exiting or dying ends this connection only, never the daemon.
 */
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { createConnection, type Connection, type WorkDoneProgressReporter } from 'vscode-languageserver';
import {
  ErrorCodes,
  TextDocumentSyncKind,
  createProtocolConnection,
  SocketMessageReader,
  SocketMessageWriter,
  type CancellationToken,
  type InlineCompletionList,
  type InlineCompletionParams,
  type ResponseMessage,
} from 'vscode-languageserver-protocol/node';
import {
  GetStatusRequest,
  ListModelsRequest,
  RunBenchmarkRequest,
  SetApiKeyRequest,
  SetCompletionRouteRequest,
  SetLogLevelRequest,
  StatusChangedNotification,
  type CompletionSettings,
  type EditorStatus,
  type SwitchyardInitOptions,
} from '../../shared/lsp/protocol';
import { isAbortError } from '../core/errors';
import { registerHardwareHandlers } from '../hardware/lsp-hardware-handlers';
import { resolveCompletionRoute, type RouteResolution } from './active-route';
import { signalOf } from './cancellation-signal';
import { DEFAULT_COMPLETION_SETTINGS, mergeCompletionSettings } from './completion-settings';
import { ConnectionWatchdog } from './connection-watchdog';
import { DocumentStore } from './document-store';
import type { DoorServices } from './door-services';
import { buildEditorStatus } from './editor-status';
import { completionInput, completionList } from './inline-completion-adapter';
import { cancelled, toResponseError } from './lsp-errors';
import { modelChoices } from './model-choices';
import { TokenGatedReader } from './token-gate';

export class EditorSession {
  private readonly connection: Connection;
  private readonly documents = new DocumentStore();
  private readonly watchdog: ConnectionWatchdog;
  private readonly log: Logger;
  private settings: CompletionSettings = DEFAULT_COMPLETION_SETTINGS;
  private lastCompletion: EditorStatus['lastCompletion'];
  private lastSentStatus = '';
  private initialized = false;
  private ended = false;
  private pushing: Promise<void> | undefined;
  private pushAgain = false;

  constructor(
    private readonly socket: Socket,
    private readonly services: DoorServices,
    readonly id: number,
    private readonly onEnded: (session: EditorSession) => void,
  ) {
    this.log = services.log.child({ lsp: id });
    const reader = new TokenGatedReader(new SocketMessageReader(socket), services.token);
    const writer = new SocketMessageWriter(socket);
    reader.onRefused(({ id: requestId, reason }) => {
      this.log.warn({ reason }, 'lsp: connection refused');
      const refusal: ResponseMessage = { jsonrpc: '2.0', id: requestId, error: { code: ErrorCodes.InvalidRequest, message: `unauthorized: ${reason}` } };
      void writer.write(refusal).finally(() => this.end('unauthorized'));
    });
    this.watchdog = new ConnectionWatchdog((reason) => this.end(reason));
    this.connection = createConnection(() => createProtocolConnection(reader, writer), this.watchdog);
    socket.on('close', () => this.end('the socket closed'));
    socket.on('error', (error) => this.log.debug({ err: error.message }, 'lsp: socket error'));
    this.registerHandlers();
    this.connection.listen();
  }

  /** Ends this connection (idempotent); the daemon and the other connections carry on. */
  end(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.log.debug({ reason }, 'lsp: connection ended');
    this.watchdog.dispose();
    try {
      this.connection.dispose();
    } catch {
      // Already torn down by the socket closing.
    }
    this.socket.destroy();
    this.onEnded(this);
  }

  /** Recomputes this editor's status and pushes it when it differs from what the editor has. */
  refreshStatus(): Promise<void> {
    if (!this.initialized || this.ended) return Promise.resolve();
    if (this.pushing !== undefined) {
      this.pushAgain = true;
      return this.pushing;
    }
    this.pushing = (async () => {
      try {
        do {
          this.pushAgain = false;
          const status = await this.status();
          const text = JSON.stringify(status);
          if (text !== this.lastSentStatus && !this.ended) {
            this.lastSentStatus = text;
            await this.connection.sendNotification(StatusChangedNotification.type, status);
          }
        } while (this.pushAgain && !this.ended);
      } catch (error) {
        if (!this.ended) this.log.warn({ err: (error as Error).message }, 'lsp: status push failed');
      } finally {
        this.pushing = undefined;
      }
    })();
    return this.pushing;
  }

  private resolution(): RouteResolution {
    const { router, registry, aliases, completer } = this.services;
    return resolveCompletionRoute(router, registry, aliases, this.settings, (allowCloud) => completer.defaultRoute(allowCloud));
  }

  private status(): Promise<EditorStatus> {
    const { router, budgets, daemon } = this.services;
    return buildEditorStatus({ settings: this.settings, resolution: this.resolution(), lastCompletion: this.lastCompletion, router, budgets: budgets(), daemon });
  }

  private registerHandlers(): void {
    const { connection } = this;
    connection.onInitialize((params) => {
      const options = params.initializationOptions as Partial<SwitchyardInitOptions> | undefined;
      this.settings = mergeCompletionSettings(this.settings, options?.completion);
      this.log.info({ client: params.clientInfo?.name, clientVersion: options?.clientVersion, processId: params.processId }, 'lsp: editor connected');
      return {
        capabilities: {
          textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
          inlineCompletionProvider: true,
        },
        serverInfo: { name: 'switchyard', version: this.services.daemon.version },
      };
    });
    connection.onInitialized(() => {
      this.initialized = true;
      void this.refreshStatus();
    });
    connection.onDidOpenTextDocument((params) => this.documents.open(params));
    connection.onDidChangeTextDocument((params) => this.documents.change(params));
    connection.onDidCloseTextDocument((params) => this.documents.close(params));
    connection.onDidChangeConfiguration((params) => {
      const settings = (params.settings as { switchyard?: { completion?: unknown } } | null)?.switchyard?.completion;
      this.settings = mergeCompletionSettings(this.settings, settings);
      void this.refreshStatus();
    });
    connection.languages.inlineCompletion.on((params, token) => this.inlineCompletion(params, token));

    connection.onRequest(GetStatusRequest.type, async () => {
      const status = await this.status();
      this.lastSentStatus = JSON.stringify(status);
      return status;
    });
    connection.onRequest(ListModelsRequest.type, async () => {
      const { registry, router, aliases } = this.services;
      await registry.refreshModels(AbortSignal.timeout(2_000));
      return { models: modelChoices(router), routes: [...new Set([...router.routeNames(), ...Object.keys(aliases)])] };
    });
    connection.onRequest(SetCompletionRouteRequest.type, async ({ route }) => {
      this.settings = { ...this.settings, route: typeof route === 'string' ? route : '' };
      this.log.info({ route: this.settings.route || '(default)' }, 'lsp: completion route set');
      const status = await this.status();
      this.lastSentStatus = JSON.stringify(status);
      return status;
    });
    connection.onRequest(SetApiKeyRequest.type, async ({ provider, apiKey }) => {
      try {
        await this.services.apiKeys.set(provider, apiKey);
      } catch (error) {
        throw toResponseError(error);
      }
      this.services.statusMayHaveChanged();
      return { ok: true as const };
    });
    connection.onRequest(SetLogLevelRequest.type, ({ level }) => {
      this.services.log.level = level;
      this.log.info({ level }, 'lsp: log level set');
      return { ok: true as const };
    });
    if (this.services.hardware !== undefined) registerHardwareHandlers(connection, this.services.hardware, toResponseError);
    connection.onRequest(RunBenchmarkRequest.type, async (params, token) => {
      const progress = await this.benchmarkProgress(params.workDoneToken);
      const cancellation = signalOf(token);
      const resolution = this.resolution();
      const target = params.target.trim() || (resolution.state === 'ok' ? resolution.target : '');
      progress.begin(`Benchmark: ${params.preset}`, 0, 'starting', true);
      try {
        return await this.services.benchmarks.run({ preset: params.preset, target }, {
          signal: cancellation.signal,
          progress: (message, percentage) => progress.report(percentage ?? 0, message),
        });
      } catch (error) {
        if (token.isCancellationRequested) throw cancelled();
        if (!isAbortError(error)) this.log.warn({ err: (error as Error).message }, 'lsp: benchmark failed');
        throw toResponseError(error);
      } finally {
        cancellation.dispose();
        progress.done();
      }
    });
  }

  /** The client's progress token, else one the daemon creates; a client that supports neither sees no progress. */
  private async benchmarkProgress(token: string | number | undefined): Promise<Pick<WorkDoneProgressReporter, 'begin' | 'report' | 'done'>> {
    if (token !== undefined) return this.connection.window.attachWorkDoneProgress(token);
    try {
      return await this.connection.window.createWorkDoneProgress();
    } catch {
      return { begin() {}, report() {}, done() {} };
    }
  }

  /** Thrown ResponseErrors are the reply (vscode-jsonrpc sends them as the error). */
  private async inlineCompletion(params: InlineCompletionParams, token: CancellationToken): Promise<InlineCompletionList> {
    const empty: InlineCompletionList = { items: [] };
    const input = completionInput(this.documents, params);
    if (input === undefined || !this.settings.enabled || this.settings.disabledLanguages.includes(input.document.languageId)) return empty;
    // No model yet is an expected state the status bar already shows: stay quiet.
    if (this.resolution().state !== 'ok') return empty;
    const cancellation = signalOf(token);
    try {
      const output = await this.services.completer.complete(input, this.settings, cancellation.signal);
      if (token.isCancellationRequested) throw cancelled();
      // A failure (deadline passed, provider down) shows in the status bar, not as an error per keystroke.
      if (output.error !== undefined) void this.refreshStatus();
      if (output.servedBy !== undefined) {
        const cached = output.servedBy.cache !== 'MISS' && output.servedBy.cache !== 'BYPASS';
        this.lastCompletion = { latencyMs: Math.round(output.latencyMs * 10) / 10, cached, at: new Date().toISOString() };
        void this.refreshStatus();
      }
      return completionList(this.documents, input.document.uri, output);
    } catch (error) {
      if (token.isCancellationRequested || isAbortError(error)) throw cancelled();
      const mapped = toResponseError(error);
      this.log.debug({ code: mapped.data?.code, err: (error as Error).message }, 'lsp: inline completion failed');
      void this.refreshStatus();
      throw mapped;
    } finally {
      cancellation.dispose();
    }
  }
}
