/**
 * "Benchmark on this machine": runs `switchyard bench` as a child process (the daemon never
 * imports bench/ and never loads its own event loop with a benchmark) against the provider that
 * serves the model, streamed, one request at a time, and hands back the report's JSON text.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayError } from '../core/errors';

export interface BenchCommand {
  file: string;
  /** Arguments before `bench`: the CLI script, and `--import tsx` when running from source. */
  args: string[];
}

export interface BenchTarget {
  baseUrl: string;
  api: 'openai' | 'ollama';
}

export interface ModelBenchmarkOptions {
  command: BenchCommand;
  target: BenchTarget;
  model: string;
  requests?: number;
  signal: AbortSignal;
  onProgress?: (message: string) => void;
}

/** The CLI beside the running bundle (`dist/cli.js`), or the source entry under tsx in development and tests. */
export function defaultBenchCommand(): BenchCommand {
  const bundled = join(__dirname, 'cli.js');
  if (existsSync(bundled)) return { file: process.execPath, args: [bundled] };
  return { file: process.execPath, args: ['--import', 'tsx', join(__dirname, '..', '..', 'cli', 'main.ts')] };
}

export async function runModelBenchmark(options: ModelBenchmarkOptions): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'switchyard-hw-bench-'));
  const jsonPath = join(dir, 'report.json');
  const requests = options.requests ?? 12;
  const args = [
    ...options.command.args,
    'bench',
    '--scenario', 'blast',
    '--target', options.target.baseUrl,
    '--api', options.target.api,
    '--model', options.model,
    '--stream',
    '--requests', String(requests),
    '--concurrency', '1',
    '--warmup', '2',
    '--max-tokens', '64',
    '--json', jsonPath,
    '--quiet',
  ];
  try {
    options.onProgress?.(`benchmarking ${options.model}: ${requests} streamed requests, one at a time`);
    const { code, output } = await runChild(options.command.file, args, options.signal);
    options.signal.throwIfAborted();
    if (code !== 0 && !existsSync(jsonPath)) {
      throw new GatewayError('upstreamError', `The benchmark of "${options.model}" failed (switchyard bench exited with code ${code}): ${output.trim().split('\n').slice(-3).join(' ')}`);
    }
    options.onProgress?.(`benchmark of ${options.model} finished`);
    return await readFile(jsonPath, 'utf8');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function runChild(file: string, args: string[], signal: AbortSignal): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], signal, killSignal: 'SIGTERM', windowsHide: true });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-8192);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (error) => (signal.aborted ? reject(signal.reason) : reject(error)));
    child.on('close', (code) => resolve({ code, output }));
  });
}
