/**
 * A provider that closes the connection after each response while advertising keep-alive (as
 * some llama.cpp server builds do), against one that keeps it: the same streamed benchmark at
 * concurrency 1 through the gateway, alternating between the two in rounds so that drift on a
 * shared machine hits both alike. Each has its own simulator (`--close-after-response-ms` on
 * one) and its own daemon (a `llamacpp` provider).
 *
 *   npm run build && npx tsx bench/micro/keep-alive-close.ts [--requests 1000] [--repeat 3] [--close-after-ms 1]
 *
 * Prints each run's p50 and p99, the medians, the client errors, and what each daemon counted
 * against its provider (requests, failures, error rate). A request that hit a closed socket and
 * was retried with backoff shows as a tail of tens of milliseconds and as failures; sent again at
 * once on a fresh connection, it shows as neither. Reports go to .bench-results/keep-alive-close/.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { BenchReport } from '../../shared/report/schema';
import { upperMedian } from '../metrics/median';
import { resolveCliEntry } from '../targets/cli-entry';
import { startDaemonProcess, type DaemonProcess } from '../targets/daemon-process';
import { getJson } from '../targets/http-json';
import { startSimulatorProcess } from '../targets/self-started';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '1000' },
    repeat: { type: 'string', default: '3' },
    'close-after-ms': { type: 'string', default: '1' },
  },
});
const MODEL = 'sim-chat';
const outDir = join('.bench-results', 'keep-alive-close');
mkdirSync(outDir, { recursive: true });

interface Run {
  p50: number;
  p99: number;
  ok: number;
  errors: number;
}

interface SimFigures {
  received: number;
  refused: number;
}

interface ProviderFigures {
  requests: number;
  failures: number;
  errorRate: number;
  breaker: string;
  /** Retries the gateway made (each after a backoff), from its tally of requests that named a model. */
  retries: number;
}

const MODES = ['keeps connections', 'closes after each response'] as const;
type Mode = (typeof MODES)[number];

function daemonConfig(simUrl: string): string {
  return [
    '[discovery]\nlocal = false\ncloud_from_env = false',
    '[cache]\nenabled = false',
    `[[providers]]\nname = "llama"\nkind = "llamacpp"\nbase_url = "${new URL(simUrl).origin}"\nlocal = true\nmodels = ["${MODEL}"]`,
    '',
  ].join('\n\n');
}

function benchRun(daemon: DaemonProcess, json: string): Run {
  execFileSync(
    process.execPath,
    [resolveCliEntry(), 'bench', '--scenario', 'blast', '--stream', '--concurrency', '1', '--requests', values.requests!, '--warmup', '20',
      '--target', daemon.url, '--token', daemon.token, '--model', MODEL, '--json', json, '--quiet'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const report = JSON.parse(readFileSync(json, 'utf8')) as BenchReport;
  const phase = report.phases[0]!;
  return { p50: phase.latency!.summary.p50Ms, p99: phase.latency!.summary.p99Ms, ok: phase.counts.ok, errors: phase.counts.errors };
}

async function providerFigures(daemon: DaemonProcess): Promise<ProviderFigures> {
  const body = await getJson<{ providers: Array<ProviderFigures & { provider: string; model: string }>; directModels: { counts: { retries: number } } }>(
    `${daemon.url}/v1/switchyard/providers`,
    { authorization: `Bearer ${daemon.token}` },
  );
  const found = body.providers.find((p) => p.provider === 'llama' && p.model === MODEL)!;
  return { requests: found.requests, failures: found.failures, errorRate: found.errorRate, breaker: found.breaker, retries: body.directModels.counts.retries };
}

async function main(): Promise<void> {
  const closeAfterMs = Number(values['close-after-ms']);
  const sim = { latencyMs: 2, ttftMs: 2, outputTokens: 16 };
  const sims = await Promise.all([
    startSimulatorProcess(sim, [MODEL], 1),
    startSimulatorProcess({ ...sim, closeAfterResponseMs: closeAfterMs }, [MODEL], 1),
  ]);
  const daemons: DaemonProcess[] = [];
  const runs: Record<Mode, Run[]> = { 'keeps connections': [], 'closes after each response': [] };
  try {
    for (const s of sims) daemons.push(await startDaemonProcess('keep-alive', daemonConfig(s.ready.url)));
    for (let round = 1; round <= Number(values.repeat); round++) {
      // Alternate which goes first, so neither always runs on a machine the other just warmed.
      const order = round % 2 === 1 ? [0, 1] : [1, 0];
      for (const i of order) runs[MODES[i]!].push(benchRun(daemons[i]!, join(outDir, `${i === 0 ? 'keep' : 'close'}-run${round}.json`)));
    }
    const figures = await Promise.all(daemons.map(providerFigures));
    const simFigures = await Promise.all(sims.map((s) => getJson<SimFigures>(`${s.ready.url}/_sim/stats`)));
    console.log(`streamed chat, concurrency 1, ${values.requests} requests per run, ${values.repeat} alternating runs; simulator ttft 2 ms, 16 tokens; close after ${closeAfterMs} ms`);
    console.log('provider                      p99 per run (ms)            p50 median  p99 median  client errors  provider requests  failures  error rate  retries  breaker');
    MODES.forEach((mode, i) => {
      const r = runs[mode];
      const f = figures[i]!;
      console.log(
        `${mode.padEnd(29)} ${r.map((x) => x.p99.toFixed(2)).join(', ').padEnd(27)} ${upperMedian(r.map((x) => x.p50)).toFixed(2).padStart(10)} ${upperMedian(r.map((x) => x.p99)).toFixed(2).padStart(11)}` +
          ` ${String(r.reduce((s, x) => s + x.errors, 0)).padStart(14)} ${String(f.requests).padStart(18)} ${String(f.failures).padStart(9)} ${f.errorRate.toFixed(3).padStart(11)} ${String(f.retries).padStart(8)}  ${f.breaker}`,
      );
    });
    MODES.forEach((mode, i) => console.log(`${mode}: the simulator read ${simFigures[i]!.received} requests and left ${simFigures[i]!.refused} unanswered on closing connections`));
    const p99 = MODES.map((mode) => upperMedian(runs[mode].map((x) => x.p99)));
    console.log(`p99 difference (closing − keeping), medians: ${(p99[1]! - p99[0]!).toFixed(2)} ms`);
  } finally {
    await Promise.all([...daemons.map((d) => d.stop()), ...sims.map((s) => s.stop())]);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
