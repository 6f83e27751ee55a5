/**
 * Runs one editor benchmark as a child process of the built command line (`cli.js bench …`),
 * never in the daemon's event loop: progress lines become progress callbacks, an abort stops
 * the child (SIGINT, which makes it write its partial report, then SIGKILL if it lingers), and
 * the result is the report JSON, checked against the report schema, with the paths written.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseReport } from '../../shared/report/validate';
import { GatewayError } from '../core/errors';
import type { BenchmarkHooks, BenchmarkResult } from '../lsp/door-services';

/** Time a child has to write its partial report after SIGINT. */
const STOP_GRACE_MS = 5_000;
/** Lines of the child's stderr kept for the error message of a failed run. */
const KEPT_LINES = 12;

export interface BenchProcessOptions {
  /** The built command line (`dist/cli.js`). */
  cliPath: string;
  args: string[];
  /** Where `--json` and `--html` were pointed. */
  jsonPath: string;
  htmlPath: string;
  /** The daemon's token, passed in the environment rather than on the command line (which other users can read). */
  token: string;
  env?: NodeJS.ProcessEnv;
}

export function runBenchProcess(options: BenchProcessOptions, hooks: BenchmarkHooks): Promise<BenchmarkResult> {
  return new Promise((resolve, reject) => {
    if (hooks.signal.aborted) {
      reject(hooks.signal.reason);
      return;
    }
    mkdirSync(join(options.jsonPath, '..'), { recursive: true, mode: 0o700 });
    const child = spawn(process.execPath, [options.cliPath, ...options.args], {
      env: { ...(options.env ?? process.env), SWITCHYARD_TOKEN: options.token },
      stdio: ['ignore', 'ignore', 'pipe'],
      windowsHide: true,
    });
    const kept: string[] = [];
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      child.kill('SIGINT');
      killTimer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      killTimer.unref();
    };
    hooks.signal.addEventListener('abort', onAbort, { once: true });

    createInterface({ input: child.stderr! }).on('line', (line) => {
      const progress = progressOf(line);
      if (progress !== undefined) {
        hooks.progress(progress.message, progress.percentage);
        return;
      }
      if (line.trim() === '') return;
      kept.push(line);
      if (kept.length > KEPT_LINES) kept.shift();
      hooks.progress(line.slice(0, 200));
    });

    child.once('error', (error) => {
      hooks.signal.removeEventListener('abort', onAbort);
      reject(new GatewayError('internal', `Could not start the benchmark process: ${error.message}`, { cause: error }));
    });
    child.once('close', (code) => {
      hooks.signal.removeEventListener('abort', onAbort);
      if (killTimer !== undefined) clearTimeout(killTimer);
      if (hooks.signal.aborted) {
        reject(hooks.signal.reason);
        return;
      }
      // 0: complete; 3: complete with a regression against the baseline (still a report to show).
      if (code !== 0 && code !== 3) {
        const why = kept.join('\n') || `exit code ${code}`;
        reject(new GatewayError(code === 2 ? 'invalidRequest' : 'internal', `The benchmark failed: ${why}`));
        return;
      }
      try {
        const parsed = parseReport(readFileSync(options.jsonPath, 'utf8'), options.jsonPath);
        if (!parsed.ok) throw new Error(parsed.error);
        resolve({ report: parsed.report, jsonPath: options.jsonPath, ...(existsSync(options.htmlPath) ? { htmlPath: options.htmlPath } : {}) });
      } catch (error) {
        reject(new GatewayError('internal', `The benchmark's report could not be read: ${(error as Error).message}`));
      }
    });
  });
}

/** A `--progress-json` line as a message and, when the phase has a known size, a percentage. */
function progressOf(line: string): { message: string; percentage?: number } | undefined {
  if (!line.startsWith('{"progress"')) return undefined;
  let parsed: { progress?: { phase?: string; total?: number | null; state?: string; completed?: number; errors?: number; currentRate?: number } };
  try {
    parsed = JSON.parse(line) as typeof parsed;
  } catch {
    return undefined;
  }
  const p = parsed.progress;
  if (p === undefined) return undefined;
  const phase = p.phase ?? 'benchmark';
  if (p.state !== 'update' || p.completed === undefined) return { message: phase, ...(p.state === 'end' ? { percentage: 100 } : {}) };
  const rate = p.currentRate !== undefined ? ` · ${Math.round(p.currentRate)} req/s` : '';
  const errors = p.errors ? ` · ${p.errors} errors` : '';
  if (typeof p.total === 'number' && p.total > 0) {
    return { message: `${phase}: ${p.completed}/${p.total}${rate}${errors}`, percentage: Math.min(100, Math.floor((p.completed / p.total) * 100)) };
  }
  return { message: `${phase}: ${p.completed} done${rate}${errors}` };
}
