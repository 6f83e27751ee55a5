/**
 * The daemon's own entry (`dist/daemon.js`), which the extension spawns under VS Code's
 * runtime: the same as `switchyard daemon`.
 */
import { runDaemonCommand } from './lifecycle/daemon-command';

void runDaemonCommand(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`switchyard daemon: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
