import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';

export const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

export interface SpawnedCli {
  child: ChildProcess;
  /** The first JSON line on stdout with `"ready": true`. */
  ready: Promise<Record<string, unknown>>;
  stderr(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/** Runs `node dist/cli.js <args>` (the built command line) as its own process. */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}): SpawnedCli {
  const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      if (signal !== null) stderr += `\n[killed by ${signal}]`;
      resolve(code);
    }),
  );
  const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        if (parsed.ready === true) resolve(parsed);
      } catch {
        // Not the ready line.
      }
    });
    void exited.then((code) => reject(new Error(`exited with ${code} before it was ready: ${stderr}`)));
  });
  ready.catch(() => undefined);
  return { child, ready, stderr: () => stderr, exited };
}
