/**
 * Entry of the benchmark's own processes (bundled as `dist/bench-worker.js`):
 * `generator` runs load phases for the orchestrator over IPC; `passthrough` is the bare
 * Fastify + undici reference proxy of the overhead scenario; `trivial` is the cross-check's server.
 */
import { runTrivialServerProcess } from '../crosscheck/trivial-server';
import { serveGenerator } from '../generator/generator-process';
import { runPassthroughProcess } from '../passthrough/passthrough-process';

const role = process.argv[2];
if (role === 'generator') serveGenerator();
else if (role === 'passthrough') void runPassthroughProcess(process.argv.slice(3));
else if (role === 'trivial') runTrivialServerProcess(process.argv.slice(3));
else {
  process.stderr.write(`bench-worker: unknown role ${String(role)} (expected generator, passthrough or trivial)\n`);
  process.exitCode = 2;
}
