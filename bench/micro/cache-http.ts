/**
 * Cache-hit throughput over HTTP, against the miss path of the same gateway.
 *
 *   npm run build && node --import tsx bench/micro/cache-http.ts [--requests N] [--concurrency C] [--runs R]
 *
 * Starts a simulator (0 ms latency, so the miss path measures the gateway, not the model)
 * and two daemons in their own processes: one with `[cache] default = "all"` (every request
 * after the first is a HIT) and one with the cache off (every request goes upstream). The
 * load comes from `switchyard bench --scenario blast`, a separate process again, alternating
 * between the two daemons for R runs. Prints the medians and the hit/miss ratio as JSON.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { upperMedian } from '../metrics/median';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const index = args.indexOf(name);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const requests = option('--requests', 50_000);
const concurrency = option('--concurrency', 50);
const runs = option('--runs', 3);
const cli = join(__dirname, '..', '..', 'dist', 'cli.js');

function start(commandArgs: string[]): Promise<{ child: ChildProcess; ready: Record<string, unknown> }> {
  const child = spawn(process.execPath, [cli, ...commandArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        if (parsed.ready === true) resolve({ child, ready: parsed });
      } catch {
        // not the ready line
      }
    });
    child.once('exit', (code) => reject(new Error(`${commandArgs[0]} exited with ${code}`)));
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-cache-http-'));
  const children: ChildProcess[] = [];
  try {
    const sim = await start(['sim', '--port', '0', '--latency-ms', '0', '--output-tokens', '16']);
    children.push(sim.child);
    const daemons: Record<'hit' | 'miss', { url: string; token: string }> = {} as never;
    for (const [name, cache] of [['hit', 'default = "all"'], ['miss', 'enabled = false']] as const) {
      const config = join(dir, `${name}.toml`);
      writeFileSync(
        config,
        `[discovery]\nlocal = false\ncloud_from_env = false\n[log]\nlevel = "warn"\n[cache]\n${cache}\n` +
          `[[providers]]\nname = "sim"\nkind = "openai"\nbase_url = "${sim.ready.url as string}/v1"\nlocal = true\nmodels = ["sim-chat"]\n`,
      );
      const stateDir = join(dir, `${name}-state`);
      const daemon = await start(['daemon', '--port', '0', '--state-dir', stateDir, '--config', config]);
      children.push(daemon.child);
      const token = (JSON.parse(readFileSync(join(stateDir, 'daemon.json'), 'utf8')) as { token: string }).token;
      daemons[name] = { url: daemon.ready.url as string, token };
    }
    const figures: Record<'hit' | 'miss', number[]> = { hit: [], miss: [] };
    const p99: Record<'hit' | 'miss', number[]> = { hit: [], miss: [] };
    for (let run = 0; run < runs; run++) {
      for (const name of ['hit', 'miss'] as const) {
        const report = join(dir, `${name}-${run}.json`);
        const result = spawnSync(
          process.execPath,
          [cli, 'bench', '--scenario', 'blast', '--target', daemons[name].url, '--token', daemons[name].token, '--model', 'sim-chat',
            '--requests', String(requests), '--concurrency', String(concurrency), '--json', report, '--out-dir', dir, '--quiet'],
          { stdio: ['ignore', 'ignore', 'inherit'] },
        );
        if (result.status !== 0) throw new Error(`bench exited with ${result.status}`);
        const phase = (JSON.parse(readFileSync(report, 'utf8')) as { phases: Array<{ okPerSecond: number; counts: { errors: number }; latency: { summary: { p99Ms: number } } }> }).phases[0]!;
        if (phase.counts.errors > 0) throw new Error(`${name}: ${phase.counts.errors} errors`);
        figures[name].push(Math.round(phase.okPerSecond));
        p99[name].push(phase.latency.summary.p99Ms);
      }
    }
    const hit = upperMedian(figures.hit);
    const miss = upperMedian(figures.miss);
    console.log(
      JSON.stringify({
        requests,
        concurrency,
        runs,
        hitRequestsPerSecond: hit,
        missRequestsPerSecond: miss,
        hitToMissRatio: Math.round((hit / miss) * 100) / 100,
        hitP99Ms: upperMedian(p99.hit),
        missP99Ms: upperMedian(p99.miss),
        allRuns: figures,
        loadAverage: (await import('node:os')).loadavg().map((value) => Math.round(value * 10) / 10),
      }),
    );
  } finally {
    for (const child of children) child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
