/**
 * The extension's one context, as in rust-analyzer's client: it owns the language client, the
 * status bar, the log channel and two lists of disposables (for the extension's lifetime and
 * for the current connection), finds or starts the shared daemon, reconnects when it dies,
 * and stops cleanly. Commands reach the daemon through it.
 */
import type { Socket } from 'node:net';
import * as vscode from 'vscode';
import { DidChangeConfigurationNotification, State, type LanguageClient } from 'vscode-languageclient/node';
import {
  GetStatusRequest,
  SetApiKeyRequest,
  SetLogLevelRequest,
  StatusChangedNotification,
  type EditorStatus,
  type SwitchyardInitOptions,
} from '../shared/lsp/protocol';
import { createLanguageClient } from './client/create-language-client';
import { ReconnectPolicy } from './client/reconnect-policy';
import { COMPLETION_KEYS, Config, RESTART_KEYS, SECTION, changedKeys } from './config/config';
import { connectEndpoint } from './daemon-link/connect-endpoint';
import { DaemonStartError, ensureDaemon, type ConnectableDaemon } from './daemon-link/ensure-daemon';
import { processAlive } from '../shared/lifecycle/daemon-liveness';
import { readDaemonState } from './daemon-link/daemon-state';
import { resolveStateDir } from './daemon-link/state-dir';
import { ApiKeys } from './secrets/api-keys';
import { StatusBar } from './status/status-bar';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** A daemon this window is connected to: where it lives, to stop it on "Restart Daemon". */
interface Connection {
  stateDir: string;
  daemon: ConnectableDaemon;
  socket: Socket;
}

export class Ctx implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  readonly apiKeys: ApiKeys;
  private readonly statusBar: StatusBar;
  private readonly extensionDisposables: vscode.Disposable[] = [];
  private readonly clientDisposables: vscode.Disposable[] = [];
  private readonly reconnects = new ReconnectPolicy();
  private readonly lifetime = new AbortController();
  private client: LanguageClient | undefined;
  private connection: Connection | undefined;
  private connecting: Promise<void> | undefined;
  private settings: Config;
  private status: EditorStatus | undefined;
  private logLevel: LogLevel | undefined;
  private failureShown = false;
  private disposed = false;

  constructor(private readonly extension: vscode.ExtensionContext) {
    this.log = vscode.window.createOutputChannel('Switchyard', { log: true });
    this.statusBar = new StatusBar();
    this.apiKeys = new ApiKeys(extension.secrets, extension.globalState);
    this.settings = readConfig();
    this.extensionDisposables.push(
      this.log,
      this.statusBar,
      vscode.workspace.onDidChangeConfiguration((event) => this.configurationChanged(event)),
    );
  }

  get config(): Config {
    return this.settings;
  }

  get extensionUri(): vscode.Uri {
    return this.extension.extensionUri;
  }

  get globalStorageUri(): vscode.Uri {
    return this.extension.globalStorageUri;
  }

  get lastStatus(): EditorStatus | undefined {
    return this.status;
  }

  /** Registers a disposable for the extension's lifetime. */
  own(disposable: vscode.Disposable): void {
    this.extensionDisposables.push(disposable);
  }

  /** The running client, or an error a command can show as it is. */
  requireClient(): LanguageClient {
    if (this.client?.state === State.Running) return this.client;
    throw new Error('Switchyard is not connected to its daemon yet. Try again in a moment, or run "Switchyard: Restart Daemon".');
  }

  /** Finds or starts the daemon and connects; a failure shows once, with "Show Logs". */
  start(): Promise<void> {
    this.connecting ??= this.connectWithRetries().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  /** "Restart Daemon": stop this window's connection, stop the daemon, start a fresh one. */
  async restartDaemon(): Promise<void> {
    this.reconnects.reset();
    // The daemon this window used, or (never connected) the one in the configured state dir,
    // which may be an old daemon this extension cannot talk to.
    const stateDir = this.connection?.stateDir ?? resolveStateDir(this.settings.daemonStateDir);
    await this.stopClient();
    await stopDaemonAt(stateDir, this.log);
    await this.start();
  }

  setStatus(status: EditorStatus): void {
    this.status = status;
    this.statusBar.show({ kind: 'connected', status });
  }

  async setLogLevel(level: LogLevel): Promise<void> {
    await this.requireClient().sendRequest(SetLogLevelRequest.type, { level });
    this.logLevel = level;
  }

  async sendApiKey(provider: string, apiKey: string): Promise<void> {
    await this.apiKeys.set(provider, apiKey);
    if (this.client?.state === State.Running) await this.client.sendRequest(SetApiKeyRequest.type, { provider, apiKey });
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.lifetime.abort();
    await this.stopClient();
    while (this.extensionDisposables.length) this.extensionDisposables.pop()!.dispose();
  }

  private async connectWithRetries(): Promise<void> {
    this.statusBar.show({ kind: 'starting' });
    let lastError: unknown;
    for (const delay of this.reconnects.attemptDelaysMs) {
      if (this.disposed) return;
      if (delay) await sleep(delay);
      try {
        await this.connectOnce();
        this.failureShown = false;
        return;
      } catch (error) {
        lastError = error;
        this.log.warn(`connecting to the daemon failed: ${errorText(error)}`);
      }
    }
    this.giveUp(lastError);
  }

  private async connectOnce(): Promise<void> {
    const config = this.settings;
    const stateDir = resolveStateDir(config.daemonStateDir);
    const daemon = await ensureDaemon(
      {
        extensionPath: this.extension.extensionPath,
        stateDir,
        configPath: config.daemonConfigPath,
        idleTimeoutMinutes: config.daemonIdleTimeoutMinutes,
        nodePath: config.daemonNodePath,
        execPath: process.execPath,
        env: process.env,
      },
      this.log,
      this.lifetime.signal,
    );
    const socket = await connectEndpoint(daemon.lsp);
    this.connection = { stateDir, daemon, socket };
    this.log.info(`connecting to daemon ${daemon.version} (pid ${daemon.pid}) in ${stateDir}`);
    const client = this.ensureClient();
    try {
      await client.start();
    } catch (error) {
      socket.destroy();
      throw error;
    }
    await this.afterConnect(client);
  }

  /** The client survives reconnects (each starts it again on a new socket); "Restart Daemon" makes a new one. */
  private ensureClient(): LanguageClient {
    if (this.client) return this.client;
    const client = createLanguageClient({
      outputChannel: this.log,
      transport: async () => {
        const socket = this.connection?.socket;
        if (!socket || socket.destroyed) throw new Error('no open connection to the daemon');
        return { reader: socket, writer: socket };
      },
      initializationOptions: () => this.initializationOptions(),
      completionWanted: (languageId) => this.settings.completionEnabledFor(languageId),
      connectionLost: () => void this.connectionLost(),
      initializeFailed: (error) => this.log.error(`the daemon refused the connection: ${errorText(error)}`),
    });
    this.client = client;
    this.clientDisposables.push(client.onNotification(StatusChangedNotification.type, (status) => this.setStatus(status)));
    return client;
  }

  private initializationOptions(): SwitchyardInitOptions {
    return {
      clientVersion: String(this.extension.extension.packageJSON.version ?? 'unknown'),
      token: this.connection?.daemon.token ?? '',
      completion: this.settings.completionSettings(),
    };
  }

  /**
   * What the daemon must hear again on every connection: keys, the session's log level, the
   * status. A failure here is logged, not a reason to drop a connection that works.
   */
  private async afterConnect(client: LanguageClient): Promise<void> {
    const steps: [string, () => Promise<unknown>][] = [
      ['sending API keys', async () => {
        for (const { provider, apiKey } of await this.apiKeys.all()) await client.sendRequest(SetApiKeyRequest.type, { provider, apiKey });
      }],
      ['setting the log level', async () => this.logLevel && client.sendRequest(SetLogLevelRequest.type, { level: this.logLevel })],
      ['reading the status', async () => this.setStatus(await client.sendRequest(GetStatusRequest.type))],
    ];
    for (const [what, step] of steps) await step().catch((error: unknown) => this.log.warn(`${what}: ${errorText(error)}`));
  }

  private async connectionLost(): Promise<void> {
    if (this.disposed) return;
    this.connection?.socket.destroy();
    this.log.warn('the connection to the daemon closed; reconnecting');
    this.statusBar.show({ kind: 'starting' });
    if (!this.reconnects.connectionLost()) {
      this.giveUp(new Error('the daemon stopped too often in the last few minutes'));
      return;
    }
    await this.waitForClientStopped();
    await this.start();
  }

  private giveUp(error: unknown): void {
    const reason = errorText(error);
    this.log.error(`giving up on the daemon: ${reason}`);
    this.statusBar.show({ kind: 'stopped', reason });
    if (this.failureShown || this.disposed) return;
    this.failureShown = true;
    const logFile = error instanceof DaemonStartError ? ` (daemon log: ${error.logFile})` : '';
    void vscode.window.showErrorMessage(`Switchyard could not reach its daemon: ${reason}${logFile}`, 'Show Logs', 'Restart Daemon').then((choice) => {
      if (choice === 'Show Logs') this.log.show();
      if (choice === 'Restart Daemon') void vscode.commands.executeCommand('switchyard.restartDaemon');
    });
  }

  private configurationChanged(event: vscode.ConfigurationChangeEvent): void {
    if (!event.affectsConfiguration(SECTION)) return;
    this.settings = readConfig();
    const affects = (key: string) => event.affectsConfiguration(key);
    if (changedKeys(COMPLETION_KEYS, affects).length && this.client?.state === State.Running) {
      void this.client.sendNotification(DidChangeConfigurationNotification.type, { settings: { switchyard: { completion: this.settings.completionSettings() } } });
    }
    const restart = changedKeys(RESTART_KEYS, affects);
    if (restart.length) {
      void vscode.window
        .showInformationMessage(`Switchyard: ${restart.map((k) => `${SECTION}.${k}`).join(', ')} takes effect when the daemon restarts.`, 'Restart Daemon')
        .then((choice) => choice && vscode.commands.executeCommand('switchyard.restartDaemon'));
    }
  }

  private async waitForClientStopped(): Promise<void> {
    const client = this.client;
    if (!client || client.state === State.Stopped) return;
    await new Promise<void>((resolve) => {
      const listener = client.onDidChangeState((change) => {
        if (change.newState === State.Stopped) {
          listener.dispose();
          resolve();
        }
      });
    });
  }

  private async stopClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    while (this.clientDisposables.length) this.clientDisposables.pop()!.dispose();
    if (client && client.state !== State.Stopped) await client.stop(2_000).catch((error) => this.log.warn(`stopping the client: ${errorText(error)}`));
    this.connection?.socket.destroy();
    this.connection = undefined;
  }
}

function readConfig(): Config {
  return new Config(vscode.workspace.getConfiguration(SECTION));
}

/** SIGTERM to the daemon of this state dir (it drains and removes its state file), then wait until it is gone. */
async function stopDaemonAt(stateDir: string, log: vscode.LogOutputChannel): Promise<void> {
  const state = await readDaemonState(stateDir);
  if (!state || !processAlive(state.pid)) return;
  try {
    process.kill(state.pid, 'SIGTERM');
  } catch {
    return;
  }
  log.info(`stopping daemon pid ${state.pid}`);
  for (let waited = 0; waited < 5_000 && processAlive(state.pid); waited += 100) await sleep(100);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
