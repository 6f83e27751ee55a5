/**
 * Runs the simulator as a process of its own without the whole CLI bundle:
 * `node --import tsx bench/sim/main.ts --port 0 ...` (same flags as `switchyard sim`).
 * Kept apart from cli.ts so that bundling cli.ts never starts a simulator by itself.
 */
import { runSimCommand } from './cli';

void runSimCommand(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
