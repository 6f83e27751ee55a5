import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the bench command line from source; `onStart` may signal the child. */
export function runCli(args: string[], onStart?: (child: ReturnType<typeof spawn>, output: () => string) => void): Promise<CliRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures', 'bench-cli.ts'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  onStart?.(child, () => stdout + stderr);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}
