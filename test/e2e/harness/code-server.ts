import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

const run = promisify(execFile);
const REPO_ROOT = join(__dirname, '..', '..', '..');

/**
 * A port nothing listens on: the extension gallery points here, and Chromium's proxy too, so
 * nothing the editor tries to fetch leaves the machine.
 */
export const CLOSED_PORT = 9;

export interface CodeServerOptions {
  /** A scratch directory this server may own entirely (user data, extensions, config). */
  home: string;
  /** The folder the editor opens. */
  workspace: string;
  /** `<user-data-dir>/User/settings.json`. */
  userSettings: Record<string, unknown>;
  /** The packaged extension to install before start. */
  vsix: string;
  /** Extra environment for the server and so for the extension host (and the daemon it starts). */
  env?: NodeJS.ProcessEnv;
}

export interface RunningCodeServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** The URL that opens `workspace` in a new window. */
  readonly workspaceUrl: string;
  readonly userDataDir: string;
  /** Everything the server printed, for failure messages. */
  output(): string;
  /** Kills the whole process tree the server spawned (extension host, file watcher, pty host). Idempotent. */
  close(): Promise<void>;
}

/** Installs code-server once (cached under ~/.cache/switchyard-e2e) and returns its binary. */
export async function codeServerBinary(): Promise<string> {
  const script = join(REPO_ROOT, 'scripts', 'ensure-code-server.sh');
  const { stdout } = await run('bash', [script], { maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim().split('\n').pop()!;
}

export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
  const binary = await codeServerBinary();
  const userDataDir = join(options.home, 'user-data');
  const extensionsDir = join(options.home, 'extensions');
  const configFile = join(options.home, 'config.yaml');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  // A config file of our own, so ~/.config/code-server/config.yaml (with a password) is never read.
  writeFileSync(configFile, 'auth: none\ncert: false\n');
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(options.userSettings, null, 2));

  const dirs = ['--config', configFile, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  const env = serverEnvironment(options.env);
  await run(binary, [...dirs, '--force', '--install-extension', options.vsix], { env, maxBuffer: 16 * 1024 * 1024 });

  const args = [
    ...dirs,
    '--auth', 'none',
    '--bind-addr', '127.0.0.1:0',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    options.workspace,
  ];
  // Detached: its own process group, so close() can end the extension host and every helper
  // process with one signal, and a crash of this test process is not what stops it.
  const child = spawn(binary, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const killOnExit = () => killGroup(child, 'SIGKILL');
  process.once('exit', killOnExit);

  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start within 60 s:\n${output}`)), 60_000);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      output += `${line}\n`;
      const listening = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (listening) {
        clearTimeout(timer);
        resolve(listening[1]);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (${code ?? signal}) before it listened:\n${output}`));
    });
  });

  let closing: Promise<void> | undefined;
  return {
    url,
    workspaceUrl: `${url}/?folder=${encodeURIComponent(options.workspace)}`,
    userDataDir,
    output: () => output,
    close() {
      closing ??= (async () => {
        process.removeListener('exit', killOnExit);
        await stopGroup(child);
      })();
      return closing;
    },
  };
}

function serverEnvironment(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  // A VS Code terminal running the tests must not make code-server think it is nested in it.
  for (const key of Object.keys(env)) if (key.startsWith('VSCODE_')) delete env[key];
  delete env.ELECTRON_RUN_AS_NODE;
  const closed = `http://127.0.0.1:${CLOSED_PORT}`;
  env.EXTENSIONS_GALLERY = JSON.stringify({
    serviceUrl: `${closed}/gallery`,
    itemUrl: `${closed}/items`,
    resourceUrlTemplate: `${closed}/resources/{publisher}/{name}/{version}/{path}`,
  });
  return env;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

async function stopGroup(child: ChildProcess): Promise<void> {
  const exited = child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
  // Helpers that outlived the server (the pty host, watchers) are in the same group.
  killGroup(child, 'SIGKILL');
}
