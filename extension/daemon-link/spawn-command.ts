/**
 * The command line that starts the daemon from the extension: which runtime, which V8 flags,
 * which arguments and environment. Pure, so the choice is tested without starting anything.
 * The flags and environment that keep the daemon's idle memory low are measured and kept in
 * `shared/lifecycle/daemon-launch.ts`.
 */
import { DAEMON_ENV, DAEMON_NODE_FLAGS } from '../../shared/lifecycle/daemon-launch';

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
  const args = [...DAEMON_NODE_FLAGS, script, '--state-dir', o.stateDir, '--idle-exit-minutes', String(o.idleTimeoutMinutes)];
  if (o.configPath) args.push('--config', o.configPath);
  const env: NodeJS.ProcessEnv = { ...o.env, ...DAEMON_ENV };
  // The extension host's own NODE_OPTIONS (a debugger, an inspector port) must not follow the daemon.
  delete env.NODE_OPTIONS;
  if (o.nodePath) {
    delete env.ELECTRON_RUN_AS_NODE;
    return { command: o.nodePath, args, env };
  }
  return { command: o.execPath, args, env: { ...env, ELECTRON_RUN_AS_NODE: '1' } };
}
