/**
 * `switchyard bench crosscheck`: the generator against `wrk` (throughput, same duration and
 * connections) and `hey` (p50/p99 of the same closed-loop load: same request count and
 * concurrency), on a trivial server in its own process. Runs alternate; medians reported.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeText } from '../baseline/report-files';
import { GeneratorClient } from '../generator/generator-client';
import type { PhaseSpec } from '../generator/phase-spec';
import { buildWireRequest } from '../generator/wire';
import { decodeHistogram } from '../metrics/hdr';
import { median } from '../metrics/median';
import { textTable } from '../report/text-table';
import { resolveWorkerEntry } from '../generator/worker-entry';
import { spawnReady } from '../targets/spawn-ready';
import { ensureTools, runHey, runWrk, type ToolFigures } from './external-tools';

interface RunFigures {
  wrk: ToolFigures;
  oursTimed: ToolFigures;
  hey: ToolFigures;
  oursCounted: ToolFigures;
}

export async function runCrosscheckCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string' },
      concurrency: { type: 'string' },
      requests: { type: 'string' },
      duration: { type: 'string' },
      'delay-ms': { type: 'string' },
      json: { type: 'string' },
      'out-dir': { type: 'string' },
    },
  });
  const runs = Number(values.runs ?? 3);
  const concurrency = Number(values.concurrency ?? 50);
  const requests = Number(values.requests ?? 20_000);
  const durationSec = Number(values.duration ?? 5);
  const delayMs = Number(values['delay-ms'] ?? 5);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  if (![runs, concurrency, requests, durationSec].every((n) => Number.isInteger(n) && n > 0) || !(delayMs >= 0)) {
    log('switchyard bench crosscheck: --runs, --concurrency, --requests and --duration must be whole numbers above 0');
    return 2;
  }
  const missing = ensureTools(['wrk', 'hey'], log);
  if (missing.length) {
    log(`switchyard bench crosscheck: ${missing.join('; ')}`);
    return 1;
  }

  const entry = resolveWorkerEntry();
  // Throughput against wrk on a server that answers at once; latency against hey on one
  // that takes a fixed time, so the figures measure the tools and not CPU contention alone.
  const server = await spawnReady<{ ready: true; url: string }>('the trivial server', entry.file, ['trivial', '--delay-ms', '0'], entry.execArgv);
  const slowServer = await spawnReady<{ ready: true; url: string }>('the trivial server', entry.file, ['trivial', '--delay-ms', String(delayMs)], entry.execArgv);
  const generator = await GeneratorClient.start();
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-crosscheck-'));
  const url = `${server.ready.url}/v1/chat/completions`;
  const slowUrl = `${slowServer.ready.url}/v1/chat/completions`;
  const body = buildWireRequest('openai', 'trivial', false, 16).body.toString();
  const spec = (load: PhaseSpec['load'], warmupRequests = 0, targetUrl = server.ready.url): PhaseSpec => ({
    targetUrl,
    api: 'openai',
    models: ['trivial'],
    weights: [1],
    stream: false,
    maxTokens: 16,
    headers: {},
    timeoutMs: 30_000,
    seed: 1,
    load,
    warmupRequests,
    lateThresholdMs: 10,
    slo: null,
    progressIntervalMs: 60_000,
  });
  const ours = async (load: PhaseSpec['load'], targetUrl?: string): Promise<ToolFigures> => {
    const o = await generator.runPhase(spec(load, 0, targetUrl));
    const h = o.hdr.latency ? decodeHistogram(o.hdr.latency) : null;
    return { requestsPerSecond: o.windowMs > 0 ? (o.counts.ok * 1000) / o.windowMs : 0, p50Ms: h ? h.getValueAtPercentile(50) / 1000 : null, p99Ms: h ? h.getValueAtPercentile(99) / 1000 : null };
  };
  const results: RunFigures[] = [];
  try {
    log(`Cross-check: ${concurrency} connections; wrk for ${durationSec} s against an instant server, hey for ${requests} requests against a ${delayMs} ms server; ${runs} runs`);
    await generator.runPhase(spec({ mode: 'closed', concurrency, requests: 20_000 }, concurrency * 2)); // warm the generator's JIT
    for (let i = 0; i < runs; i++) {
      const wrk = await runWrk(url, body, concurrency, durationSec, dir);
      const oursTimed = await ours({ mode: 'closed', concurrency, durationSec });
      const hey = await runHey(slowUrl, body, concurrency, requests);
      const oursCounted = await ours({ mode: 'closed', concurrency, requests }, slowServer.ready.url);
      results.push({ wrk, oursTimed, hey, oursCounted });
      log(`run ${i + 1}: wrk ${wrk.requestsPerSecond.toFixed(0)} req/s, ours ${oursTimed.requestsPerSecond.toFixed(0)}; hey p50/p99 ${fmt(hey.p50Ms)}/${fmt(hey.p99Ms)} ms, ours ${fmt(oursCounted.p50Ms)}/${fmt(oursCounted.p99Ms)} ms`);
    }
  } finally {
    await generator.close();
    await Promise.all([server.stop(), slowServer.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
  const med = (pick: (r: RunFigures) => number | null) => median(results.map(pick).filter((v): v is number => v !== null));
  const summary = {
    settings: { runs, concurrency, requests, durationSec, delayMs },
    medians: {
      wrkRequestsPerSecond: med((r) => r.wrk.requestsPerSecond),
      oursTimedRequestsPerSecond: med((r) => r.oursTimed.requestsPerSecond),
      heyRequestsPerSecond: med((r) => r.hey.requestsPerSecond),
      oursCountedRequestsPerSecond: med((r) => r.oursCounted.requestsPerSecond),
      heyP50Ms: med((r) => r.hey.p50Ms),
      oursP50Ms: med((r) => r.oursCounted.p50Ms),
      heyP99Ms: med((r) => r.hey.p99Ms),
      oursP99Ms: med((r) => r.oursCounted.p99Ms),
      wrkP50Ms: med((r) => r.wrk.p50Ms),
      wrkP99Ms: med((r) => r.wrk.p99Ms),
    },
    runs: results,
  };
  const m = summary.medians;
  const throughputRatio = m.oursTimedRequestsPerSecond / m.wrkRequestsPerSecond;
  const p50Diff = (m.oursP50Ms / m.heyP50Ms - 1) * 100;
  const p99Diff = (m.oursP99Ms / m.heyP99Ms - 1) * 100;
  process.stdout.write(
    `\n${textTable(
      ['median of ' + runs, 'req/s', 'p50', 'p99'],
      [
        ['wrk (same duration, instant server)', m.wrkRequestsPerSecond.toFixed(0), fmt(m.wrkP50Ms), fmt(m.wrkP99Ms)],
        ['switchyard (same duration, instant server)', m.oursTimedRequestsPerSecond.toFixed(0), '', ''],
        [`hey (same requests, ${delayMs} ms server)`, m.heyRequestsPerSecond.toFixed(0), fmt(m.heyP50Ms), fmt(m.heyP99Ms)],
        [`switchyard (same requests, ${delayMs} ms server)`, m.oursCountedRequestsPerSecond.toFixed(0), fmt(m.oursP50Ms), fmt(m.oursP99Ms)],
      ],
    )}\n\nThroughput against wrk: ${throughputRatio.toFixed(2)} (target ≥ 0.70)\np50 against hey: ${signed(p50Diff)}, p99 against hey: ${signed(p99Diff)} (target within 10–15%)\n`,
  );
  const path = values.json ?? join(values['out-dir'] ?? '.bench-results', `crosscheck-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeText(path, `${JSON.stringify({ ...summary, throughputRatio, p50DiffPct: p50Diff, p99DiffPct: p99Diff }, null, 2)}\n`);
  process.stdout.write(`Figures: ${path}\n`);
  return 0;
}

const fmt = (v: number | null) => (v === null || !Number.isFinite(v) ? '–' : v.toFixed(2));
const signed = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(1)}%`;
