import { parseArgs } from 'node:util';
import type { DaemonReadyLine } from '../../shared/admin';
import { ConfigError } from '../core/config-error';
import { DaemonAlreadyRunning, startDaemon, type RunningDaemon } from './run-daemon';
import { watchIdle } from './idle-watch';
import { defaultStateDir } from './state-file';
import { VERSION } from '../version';
import { DAEMON_USAGE, UsageError, parsePort } from './daemon-usage';

/** `switchyard daemon [--config FILE] [--state-dir DIR] [--port N]` */
export async function runDaemonCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      'state-dir': { type: 'string' },
      port: { type: 'string' },
      /** Never exit for idleness (overrides the config and --idle-exit-minutes). */
      stay: { type: 'boolean' },
      /** Exit after this many idle minutes once the last editor has gone (overrides the config; 0 stays). */
      'idle-exit-minutes': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${DAEMON_USAGE}\n`);
    return 0;
  }
  const port = values.port === undefined ? undefined : parsePort(values.port, '--port');
  const idleMinutesOption = values['idle-exit-minutes'] === undefined ? undefined : parseMinutes(values['idle-exit-minutes']);
  const stateDir = values['state-dir'] ?? defaultStateDir();

  // Signals are caught before anything starts: a SIGTERM that arrives while the daemon is
  // starting (or right after the ready line) still drains and stops it, never kills it mid-write.
  let stopRequested: NodeJS.Signals | undefined;
  let onStop: ((signal: NodeJS.Signals) => void) | undefined;
  const handleSignal = (signal: NodeJS.Signals) => {
    stopRequested ??= signal;
    onStop?.(signal);
  };
  process.once('SIGTERM', handleSignal);
  process.once('SIGINT', handleSignal);

  let daemon: RunningDaemon;
  try {
    daemon = await startDaemon({ configPath: values.config ?? process.env.SWITCHYARD_CONFIG, stateDir, port });
  } catch (error) {
    process.off('SIGTERM', handleSignal);
    process.off('SIGINT', handleSignal);
    if (error instanceof ConfigError || error instanceof DaemonAlreadyRunning) {
      process.stderr.write(`switchyard: ${error.message}\n`);
      return error instanceof DaemonAlreadyRunning ? 3 : 2;
    }
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new UsageError(`port ${port} is already in use`);
    throw error;
  }

  return new Promise<number>((resolve) => {
    const stop = (reason: Record<string, unknown>, message: string) => {
      daemon.logger.info(reason, message);
      void daemon.close().then(() => resolve(0));
    };
    onStop = (signal) => stop({ signal }, 'draining requests in flight, then stopping');
    if (stopRequested !== undefined) {
      onStop(stopRequested);
      return;
    }
    const ready: DaemonReadyLine = { ready: true, url: daemon.url, stateFile: daemon.stateFile, pid: process.pid, version: VERSION };
    process.stdout.write(`${JSON.stringify(ready)}\n`);
    const idleMinutes = values.stay ? 0 : idleMinutesOption ?? daemon.config.server.idleExitMinutes;
    if (idleMinutes > 0) {
      const lsp = daemon.lsp;
      watchIdle(daemon.app.switchyard.counters, idleMinutes * 60_000, () => stop({ idleMinutes }, 'idle: no editor connected and no requests for a while, stopping'), Date.now, () => lsp.connections > 0);
    }
  });
}

function parseMinutes(value: string): number {
  const minutes = Number(value);
  if (value.trim() === '' || !Number.isFinite(minutes) || minutes < 0) throw new UsageError(`--idle-exit-minutes must be a number of minutes (0 stays up), got "${value}"`);
  return minutes;
}
