import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { DaemonStateFile } from '../../../shared/admin';
import { readStateFile } from '../../../daemon/lifecycle/state-file';
import { launchChromium } from './chromium';
import { startCodeServer, type RunningCodeServer } from './code-server';
import { daemonPidsFor } from './daemon-processes';
import { extensionVsix } from './extension-vsix';
import { activationFailure, readExthostLog, waitForActivation } from './exthost-log';
import { Workbench } from './workbench';

export const EXTENSION_ID = 'switchyard.switchyard';
export const ARTIFACTS_DIR = join(__dirname, '..', '..', '..', 'test-artifacts');

export interface EditorSessionOptions {
  /** Names the scratch directory and the failure artifacts. */
  name: string;
  /** Workspace files, by relative path. */
  files: Record<string, string>;
  /**
   * The daemon's TOML config after a header that takes a free port and turns local discovery and
   * cloud-from-environment off, so only the providers written here exist.
   */
  daemonConfig: string;
  /**
   * Local model servers the daemon looks for (re-probed every second) instead of the standard
   * ports; without them the daemon looks for none.
   */
  localServers?: { name: string; kind: 'ollama' | 'llamacpp' | 'openai'; baseUrl: string }[];
  /** The daemon's log level (default debug: a failing test shows the routing decisions). */
  daemonLogLevel?: 'debug' | 'info' | 'warn';
  /** User settings on top of the suite's (no suggest widget, isolated daemon). */
  settings?: Record<string, unknown>;
}

/**
 * One code-server with the packaged extension installed, an isolated daemon state dir and
 * config, and a headless Chromium showing it. Owns all of them: `close()` ends the browser,
 * the server's process tree and the daemon the extension started, and removes the scratch dir.
 */
export class EditorSession {
  private readonly pages: Page[] = [];
  private closing: Promise<void> | undefined;

  private constructor(
    readonly root: string,
    readonly workspace: string,
    readonly stateDir: string,
    readonly daemonConfigPath: string,
    readonly server: RunningCodeServer,
    readonly browser: Browser,
  ) {}

  static async start(options: EditorSessionOptions): Promise<EditorSession> {
    const root = mkdtempSync(join(tmpdir(), `switchyard-e2e-${options.name}-`));
    const workspace = join(root, 'workspace');
    const stateDir = join(root, 'state');
    const daemonConfigPath = join(root, 'switchyard.toml');
    for (const [path, content] of Object.entries(options.files)) {
      mkdirSync(dirname(join(workspace, path)), { recursive: true });
      writeFileSync(join(workspace, path), content);
    }
    mkdirSync(workspace, { recursive: true });
    writeFileSync(daemonConfigPath, `[server]\nport = 0\n\n${discoverySection(options.localServers)}\n[log]\nlevel = "${options.daemonLogLevel ?? 'debug'}"\n\n${options.daemonConfig}`);
    const userSettings = {
      'security.workspace.trust.enabled': false,
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'workbench.enableExperiments': false,
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'git.enabled': false,
      // The suggest widget would take Tab before the ghost text, and word suggestions would cover it.
      'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
      'editor.suggestOnTriggerCharacters': false,
      'editor.wordBasedSuggestions': 'off',
      'editor.parameterHints.enabled': false,
      'editor.inlineSuggest.enabled': true,
      // What a test types is what the document holds.
      'editor.autoClosingBrackets': 'never',
      'editor.autoClosingQuotes': 'never',
      'editor.autoSurround': 'never',
      'typescript.disableAutomaticTypeAcquisition': true,
      'switchyard.daemon.stateDir': stateDir,
      'switchyard.daemon.configPath': daemonConfigPath,
      // A daemon left behind by a crashed test run goes away on its own.
      'switchyard.daemon.idleTimeoutMinutes': 1,
      ...options.settings,
    };
    const vsix = await extensionVsix();
    const server = await startCodeServer({ home: join(root, 'code-server'), workspace, userSettings, vsix });
    let browser: Browser;
    try {
      browser = await launchChromium();
    } catch (error) {
      await server.close();
      throw error;
    }
    return new EditorSession(root, workspace, stateDir, daemonConfigPath, server, browser);
  }

  /** Opens a new VS Code window on the workspace and waits until the extension has activated. */
  async openWindow(): Promise<Workbench> {
    const page = await this.browser.newPage({ viewport: { width: 1400, height: 900 } });
    this.pages.push(page);
    const workbench = await Workbench.open(page, this.server.workspaceUrl);
    await waitForActivation(this.server.userDataDir, EXTENSION_ID, this.pages.length);
    return workbench;
  }

  /** The daemon's state file in this session's state dir, if a daemon wrote one. */
  daemonState(): DaemonStateFile | undefined {
    return readStateFile(this.stateDir);
  }

  /** What a failing test should show: the activation error, the extension's own log and the daemon's. */
  diagnostics(): string {
    const log = readExthostLog(this.server.userDataDir);
    const parts: string[] = [];
    const failure = activationFailure(log, EXTENSION_ID);
    if (failure) parts.push(`activation failed:\n${failure}`);
    for (const file of [...extensionLogFiles(this.server.userDataDir), join(this.stateDir, 'daemon.log')]) {
      if (existsSync(file)) parts.push(`${file}:\n${readFileSync(file, 'utf8').slice(-6000)}`);
    }
    return parts.join('\n\n');
  }

  /**
   * Runs a test body; when it fails, saves a screenshot of every window under test-artifacts/
   * and adds the activation error and the extension's log to the failure.
   */
  async run<T>(name: string, body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (error) {
      mkdirSync(ARTIFACTS_DIR, { recursive: true });
      await Promise.all(this.pages.map((page, index) =>
        page.screenshot({ path: join(ARTIFACTS_DIR, `${name}-failure-${index + 1}.png`) }).catch(() => undefined)));
      const detail = this.diagnostics();
      if (error instanceof Error && detail) error.message += `\n\n${detail}`;
      throw error;
    }
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.browser.close().catch(() => undefined);
      await this.server.close();
      // The extension starts the daemon detached (it outlives a window by design): stop it here.
      for (const pid of daemonPidsFor(this.stateDir)) killQuietly(pid);
      if (!process.env.SWITCHYARD_E2E_KEEP) rmSync(this.root, { recursive: true, force: true });
    })();
    return this.closing;
  }
}

function discoverySection(servers: EditorSessionOptions['localServers']): string {
  if (!servers) return '[discovery]\nlocal = false\ncloud_from_env = false\n';
  const list = servers.map((server) => `{ name = "${server.name}", kind = "${server.kind}", base_url = "${server.baseUrl}" }`).join(', ');
  return `[discovery]\nlocal = true\ncloud_from_env = false\nreprobe_seconds = 1\nservers = [${list}]\n`;
}

function extensionLogFiles(userDataDir: string): string[] {
  const logs = join(userDataDir, 'logs');
  if (!existsSync(logs)) return [];
  const found: string[] = [];
  for (const stamp of readdirSync(logs)) {
    for (const host of readdirSync(join(logs, stamp)).filter((name) => name.startsWith('exthost'))) {
      const dir = join(logs, stamp, host, EXTENSION_ID);
      if (!existsSync(dir)) continue;
      for (const file of readdirSync(dir)) if (file.endsWith('.log')) found.push(join(dir, file));
    }
  }
  return found;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // Already gone.
  }
}
