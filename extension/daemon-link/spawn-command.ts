/**
 * The command line that starts the daemon from the extension: which runtime, which V8 flags,
 * which arguments and environment. Pure, so the choice is tested without starting anything.
 */

/**
 * V8 flags for the daemon the extension starts (a running process cannot change these).
 * Measured on a shared 2-core machine, idle RSS of the daemon after start (no flags: 77 MB):
 * `--optimize-for-size` 73–74 MB and a peak under a 50-concurrent blast of 114 MB instead of
 * 138 MB; `--max-semi-space-size=1` made idle RSS worse (83 MB); `--lite-mode` reached 60 MB
 * idle but failed the load test. Throughput differences were inside that machine's noise.
 * One constant, to change after measuring on a quiet machine.
 */
export const DAEMON_V8_FLAGS: readonly string[] = ['--optimize-for-size'];

export interface DaemonLaunchOptions {
  /** The extension's install folder (holds `dist/daemon.js`). */
  extensionPath: string;
  stateDir: string;
  /** Empty: the daemon's own rule. */
  configPath: string;
  idleTimeoutMinutes: number;
  /** Empty: VS Code's runtime as Node (`process.execPath` with ELECTRON_RUN_AS_NODE). */
  nodePath: string;
  /** `process.execPath` of the extension host. */
  execPath: string;
  env: NodeJS.ProcessEnv;
}

export interface SpawnCommand {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

export function daemonSpawnCommand(o: DaemonLaunchOptions): SpawnCommand {
  const script = `${o.extensionPath.replace(/[\\/]$/, '')}/dist/daemon.js`;
  const args = [...DAEMON_V8_FLAGS, script, '--state-dir', o.stateDir, '--idle-exit-minutes', String(o.idleTimeoutMinutes)];
  if (o.configPath) args.push('--config', o.configPath);
  const env: NodeJS.ProcessEnv = { ...o.env };
  // The extension host's own NODE_OPTIONS (a debugger, an inspector port) must not follow the daemon.
  delete env.NODE_OPTIONS;
  if (o.nodePath) {
    delete env.ELECTRON_RUN_AS_NODE;
    return { command: o.nodePath, args, env };
  }
  return { command: o.execPath, args, env: { ...env, ELECTRON_RUN_AS_NODE: '1' } };
}
