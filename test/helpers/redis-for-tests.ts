import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

export interface TestRedis {
  url: string;
  port: number;
  /** Whether this helper started the server (and so may stop or kill it). */
  owned: boolean;
  stop(): Promise<void>;
}

export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version']).status === 0;
}

/**
 * A redis-server for a test: our own on a free loopback port when the binary exists (needed
 * by tests that kill it), else the one .ci/run started (SWITCHYARD_TEST_REDIS_URL). Returns
 * undefined when there is none; under CI=true that is an error, never a skip.
 */
export async function startTestRedis(options: { mustOwn?: boolean; port?: number } = {}): Promise<TestRedis | undefined> {
  if (!hasRedisServer()) {
    const shared = process.env.SWITCHYARD_TEST_REDIS_URL;
    if (shared && !options.mustOwn) return { url: shared, port: Number(new URL(shared).port), owned: false, stop: async () => {} };
    if (process.env.CI === 'true') throw new Error('redis-server is not installed (scripts/ensure-system-deps.sh installs it)');
    return undefined;
  }
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-test-redis-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const ping = spawnSync('redis-cli', ['-p', String(port), 'ping']);
    if (ping.stdout?.toString().includes('PONG')) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  let stopped = false;
  return {
    url,
    port,
    owned: true,
    async stop() {
      if (stopped) return;
      stopped = true;
      child.kill('SIGKILL');
      await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(undefined) : child.once('exit', resolve)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function flushRedis(url: string): void {
  execFileSync('redis-cli', ['-u', url, 'flushall']);
}

/** The keys of the server at `url` matching `pattern` (a SCAN, as redis-cli does it). */
export function redisKeys(url: string, pattern: string): string[] {
  return execFileSync('redis-cli', ['-u', url, '--scan', '--pattern', pattern], { encoding: 'utf8' }).split('\n').filter(Boolean);
}
