/**
 * Where the benchmark's worker process lives: beside the bundle (`dist/bench-worker.js`)
 * when running from `dist/cli.js`, or the TypeScript source under tsx in development.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface WorkerEntry {
  file: string;
  execArgv: string[];
}

export function resolveWorkerEntry(): WorkerEntry {
  const override = process.env.SWITCHYARD_BENCH_WORKER;
  if (override) return { file: override, execArgv: override.endsWith('.ts') ? ['--import', 'tsx'] : [] };
  const bundled = join(__dirname, 'bench-worker.js');
  if (existsSync(bundled)) return { file: bundled, execArgv: [] };
  for (const source of [join(__dirname, '..', 'processes', 'worker-main.ts'), join(__dirname, 'processes', 'worker-main.ts')]) {
    if (existsSync(source)) return { file: source, execArgv: ['--import', 'tsx'] };
  }
  throw new Error(`bench worker not found beside ${__dirname}: build with \`npm run build\` (needs the dist/bench-worker.js entry)`);
}
