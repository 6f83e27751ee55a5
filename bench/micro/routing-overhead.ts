/**
 * The gateway's added latency with routing on: a simulator pair and a daemon (each its own
 * process), then the bench's `overhead` scenario (direct to the provider, a bare pass-through
 * proxy, and the gateway, alternating in rounds) for
 *   - a configured route of two candidates (lowest-latency strategy: statistics, breaker and
 *     health checks on every request), and
 *   - a model named directly (the implicit one-candidate route: what the core measured).
 *
 *   npm run build && npx tsx bench/micro/routing-overhead.ts [--requests 6000] [--concurrency 50] [--repeat 3]
 *
 * Prints the p50/p99 of each and the gateway's added p50 over direct; writes the bench's JSON
 * reports under .bench-results/routing-overhead/.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveCliEntry } from '../targets/cli-entry';
import { startDaemonProcess } from '../targets/daemon-process';
import { startSimulatorProcess } from '../targets/self-started';
import { upperMedian } from '../metrics/median';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '6000' }, concurrency: { type: 'string', default: '50' }, repeat: { type: 'string', default: '3' } } });
const MODEL = 'sim-chat';
const outDir = join('.bench-results', 'routing-overhead');
mkdirSync(outDir, { recursive: true });

interface Figures {
  directP50: number;
  proxyP50: number;
  proxyCpuMicrosPerRequest: number;
  p50: number;
  p99: number;
  addedP50: number;
  addedP99: number;
  rps: number;
  cpuMicrosPerRequest: number;
}

async function main(): Promise<void> {
  const sims = await Promise.all([1, 2].map((seed) => startSimulatorProcess({ latencyMs: 5 } as never, [MODEL], seed)));
  let stopping = false;
  for (const [i, sim] of sims.entries()) {
    sim.child.once('exit', (code, signal) => {
      if (!stopping) console.error(`simulator ${i + 1} exited early (${signal ?? code})`);
    });
  }
  const origin = (url: string) => `${new URL(url).origin}/v1`;
  const base = ['[discovery]\nlocal = false\ncloud_from_env = false', '[cache]\nenabled = false'];
  const providerToml = (name: string, url: string) => `[[providers]]\nname = "${name}"\nkind = "openai"\nbase_url = "${origin(url)}"\nlocal = true\nmodels = ["${MODEL}"]`;
  // A route named like the model, so the same request body goes to the provider directly and to the gateway.
  const routed = await startDaemonProcess('route', [...base, providerToml('sim1', sims[0]!.ready.url), providerToml('sim2', sims[1]!.ready.url),
    `[routes."${MODEL}"]\nstrategy = "lowest-latency"\ncandidates = [{ provider = "sim1", model = "${MODEL}" }, { provider = "sim2", model = "${MODEL}" }]`, ''].join('\n\n'));
  const plain = await startDaemonProcess('model', [...base, providerToml('sim1', sims[0]!.ready.url), ''].join('\n\n'));
  const results: Record<string, Figures[]> = { 'route (2 candidates, lowest-latency)': [], 'model named directly': [] };
  try {
    for (let run = 1; run <= Number(values.repeat); run++) {
      for (const [label, daemon] of [['route (2 candidates, lowest-latency)', routed], ['model named directly', plain]] as const) {
        const json = join(outDir, `${label.split(' ')[0]}-run${run}.json`);
        execFileSync(
          process.execPath,
          [resolveCliEntry(), 'bench', '--scenario', 'overhead', '--target', daemon.url, '--direct', sims[0]!.ready.url, '--token', daemon.token, '--model', MODEL,
            '--requests', String(values.requests), '--concurrency', String(values.concurrency), '--json', json, '--quiet'],
          { stdio: ['ignore', 'ignore', 'inherit'] },
        );
        results[label]!.push(figures(JSON.parse(readFileSync(json, 'utf8'))));
      }
    }
  } finally {
    stopping = true;
    await Promise.all([routed.stop(), plain.stop(), ...sims.map((sim) => sim.stop())]);
  }
  console.log(`gateway latency with routing on: ${values.repeat} runs x ${values.requests} requests, ${values.concurrency} concurrent, simulator 5 ms; medians of the runs`);
  console.log('                                      direct p50  proxy p50 (CPU µs/req)   gateway p50   p99   added p50   added p99   req/s   CPU µs/req');
  for (const [label, runs] of Object.entries(results)) {
    const m = (key: keyof Figures) => upperMedian(runs.map((r) => r[key]));
    console.log(
      `${label.padEnd(37)} ${m('directP50').toFixed(2).padStart(10)} ${m('proxyP50').toFixed(2).padStart(10)} (${m('proxyCpuMicrosPerRequest').toFixed(0)})` +
        `${m('p50').toFixed(2).padStart(15)} ${m('p99').toFixed(2).padStart(6)} ${m('addedP50').toFixed(2).padStart(10)} ${m('addedP99').toFixed(2).padStart(10)} ${m('rps').toFixed(0).padStart(8)} ${m('cpuMicrosPerRequest').toFixed(0).padStart(10)}`,
    );
  }
}

/** The gateway's figures from an overhead report (added = gateway minus direct, same run). */
function figures(report: any): Figures {
  // A run with failed requests gives no added latency; a table of medians must not hide that.
  if (report.overhead.refusedBecause) throw new Error(report.overhead.refusedBecause);
  const row = (p: string) => report.overhead.rows.find((r: any) => r.percentile === p);
  return {
    directP50: row('p50').directMs,
    proxyP50: row('p50').proxyMs,
    proxyCpuMicrosPerRequest: report.overhead.proxyCpuMicrosPerRequest,
    p50: row('p50').gatewayMs,
    p99: row('p99').gatewayMs,
    addedP50: row('p50').gatewayAddedMs,
    addedP99: row('p99').gatewayAddedMs,
    rps: report.overhead.requestsPerSecond.gateway,
    cpuMicrosPerRequest: report.overhead.gatewayCpuMicrosPerRequest,
  };
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
