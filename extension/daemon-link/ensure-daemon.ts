/**
 * Finds the one daemon of this user, or starts it: reads the state file and checks the pid
 * and `/health`; otherwise starts `dist/daemon.js` detached (it outlives this window and serves
 * every other one) and waits until its state file names a live daemon with an LSP endpoint.
 * A daemon that exits with status 3 found another one alive: that one is used.
 */
import { spawn } from 'node:child_process';
import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LspEndpoint } from '../../shared/lsp/protocol';
import { readDaemonState, type DaemonState } from './daemon-state';
import { healthAnswers, processAlive } from '../../shared/lifecycle/daemon-liveness';
import { findLiveDaemon } from './find-live-daemon';
import { daemonSpawnCommand, type DaemonLaunchOptions } from './spawn-command';
import { tryTakeSpawnLock } from './spawn-lock';

/** Status 3: another daemon serves this state dir. */
export const EXIT_ANOTHER_DAEMON = 3;
const POLL_MS = 100;
export const START_TIMEOUT_MS = 20_000;

export type ConnectableDaemon = DaemonState & { lsp: LspEndpoint };

export interface DaemonLog {
  info(message: string): void;
  warn(message: string): void;
}

export class DaemonStartError extends Error {
  constructor(
    message: string,
    readonly logFile: string,
  ) {
    super(message);
    this.name = 'DaemonStartError';
  }
}

export function daemonLogPath(stateDir: string): string {
  return join(stateDir, 'daemon.log');
}

export async function ensureDaemon(o: DaemonLaunchOptions, log: DaemonLog, signal: AbortSignal, timeoutMs = START_TIMEOUT_MS): Promise<ConnectableDaemon> {
  const live = await findLiveDaemon(o.stateDir);
  if (live) return requireLsp(live, o.stateDir);
  await mkdir(o.stateDir, { recursive: true, mode: 0o700 });

  const deadline = Date.now() + timeoutMs;
  const release = await tryTakeSpawnLock(o.stateDir);
  if (!release) {
    log.info('another window is starting the daemon; waiting for it');
    return waitForDaemon(o.stateDir, deadline, timeoutMs, signal, undefined);
  }
  try {
    // Checked again under the lock: a window that held it before us may have just finished.
    const started = await findLiveDaemon(o.stateDir);
    if (started) return requireLsp(started, o.stateDir);
    const child = await startDetached(o, log);
    return await waitForDaemon(o.stateDir, deadline, timeoutMs, signal, child);
  } finally {
    await release();
  }
}

interface StartedChild {
  pid: number;
  /** Resolves with the exit code if the process ends while we wait. */
  exited: Promise<number | null>;
}

async function startDetached(o: DaemonLaunchOptions, log: DaemonLog): Promise<StartedChild> {
  const { command, args, env } = daemonSpawnCommand(o);
  const logFile = daemonLogPath(o.stateDir);
  // The daemon writes to a file, not to a pipe: it outlives this window, and a pipe to a
  // closed extension host would break its next log line.
  const out = await open(logFile, 'a', 0o600);
  try {
    log.info(`starting the daemon: ${command} ${args.join(' ')} (log: ${logFile})`);
    const child = spawn(command, args, { detached: true, stdio: ['ignore', out.fd, out.fd], env, windowsHide: true });
    const exited = new Promise<number | null>((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.once('error', (error) => {
        log.warn(`could not start the daemon: ${error.message}`);
        resolve(null);
      });
    });
    child.unref();
    return { pid: child.pid ?? -1, exited };
  } finally {
    await out.close();
  }
}

async function waitForDaemon(stateDir: string, deadline: number, timeoutMs: number, signal: AbortSignal, child: StartedChild | undefined): Promise<ConnectableDaemon> {
  let exitCode: number | null | undefined;
  void child?.exited.then((code) => {
    exitCode = code;
  });
  while (Date.now() < deadline) {
    signal.throwIfAborted();
    const state = await readDaemonState(stateDir);
    if (state && processAlive(state.pid)) {
      const ours = child !== undefined && state.pid === child.pid;
      if (state.lsp && (ours || (await healthAnswers(state.port, 1_000)))) return state as ConnectableDaemon;
    }
    if (exitCode !== undefined && exitCode !== EXIT_ANOTHER_DAEMON) {
      throw new DaemonStartError(`the daemon exited with status ${exitCode ?? 'unknown'} while starting${await logTail(stateDir)}`, daemonLogPath(stateDir));
    }
    await sleep(POLL_MS, signal);
  }
  throw new DaemonStartError(`the daemon did not become ready within ${Math.round(timeoutMs / 1000)} s${await logTail(stateDir)}`, daemonLogPath(stateDir));
}

function requireLsp(state: DaemonState, stateDir: string): ConnectableDaemon {
  if (state.lsp) return state as ConnectableDaemon;
  throw new DaemonStartError(
    `the daemon running as pid ${state.pid} (version ${state.version}) has no editor endpoint; stop it or use "Switchyard: Restart Daemon"`,
    daemonLogPath(stateDir),
  );
}

async function logTail(stateDir: string): Promise<string> {
  try {
    const lines = (await readFile(daemonLogPath(stateDir), 'utf8')).trimEnd().split('\n');
    return `: ${lines.slice(-3).join(' | ')}`;
  } catch {
    return '';
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
