import { parseArgs } from 'node:util';
import type { DaemonReadyLine } from '../../shared/admin';
import { ConfigError } from '../config/config-error';
import { DaemonAlreadyRunning, startDaemon } from '../lifecycle/run-daemon';
import { watchIdle } from '../lifecycle/idle-watch';
import { defaultStateDir } from '../lifecycle/state-file';
import { VERSION } from '../version';
import { UsageError, parsePort } from './usage';

/** `switchyard daemon [--config FILE] [--state-dir DIR] [--port N]` */
export async function runDaemonCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      'state-dir': { type: 'string' },
      port: { type: 'string' },
    },
    strict: true,
  });
  const port = values.port === undefined ? undefined : parsePort(values.port, '--port');
  const stateDir = values['state-dir'] ?? defaultStateDir();

  let daemon;
  try {
    daemon = await startDaemon({ configPath: values.config ?? process.env.SWITCHYARD_CONFIG, stateDir, port });
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DaemonAlreadyRunning) {
      process.stderr.write(`switchyard: ${error.message}\n`);
      return error instanceof DaemonAlreadyRunning ? 3 : 2;
    }
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new UsageError(`port ${port} is already in use`);
    throw error;
  }

  const ready: DaemonReadyLine = { ready: true, url: daemon.url, stateFile: daemon.stateFile, pid: process.pid, version: VERSION };
  process.stdout.write(`${JSON.stringify(ready)}\n`);

  return new Promise<number>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      daemon.logger.info({ signal }, 'draining requests in flight, then stopping');
      void daemon.close().then(() => resolve(0));
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    const idleMinutes = daemon.config.server.idleExitMinutes;
    if (idleMinutes > 0) {
      watchIdle(daemon.app.switchyard.counters, idleMinutes * 60_000, () => {
        daemon.logger.info({ idleMinutes }, 'idle: no requests for a while, stopping');
        void daemon.close().then(() => resolve(0));
      });
    }
  });
}
