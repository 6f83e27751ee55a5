/**
 * One row measured with mitata: warm-up, then samples until enough CPU time has passed;
 * median and quartiles of the samples: one round (the rounds of a run each have a process of
 * their own and are merged in merge-rounds.ts). A one-off row takes three samples without
 * warm-up.
 * Rows shorter than mitata's batch threshold are timed in batches of about a millisecond, so
 * the CPU clock's microsecond resolution stays a small fraction of each sample.
 */
import { measure } from 'mitata';
import type { MicroRowResult } from '../baseline/micro-report';
import type { RowBody, RowSpec } from './micro-row';

/** The process's CPU time (user + system) in ns; microsecond resolution, so mitata batches the fast rows. */
function cpuNowNs(): number {
  const used = process.cpuUsage();
  return (used.user + used.system) * 1000;
}

/**
 * Calls per batch so that one batch takes about a millisecond: the CPU clock ticks in
 * microseconds, and a batch of a few thousand nanosecond calls would be a handful of ticks.
 * Timed on the CPU clock too: on a busy machine, wall time counts the moments another process
 * held the core, and a sub-nanosecond body once got batches of 121 calls, samples of zero or one
 * tick, and a median of 0.
 */
async function batchForCpuClock(body: RowBody): Promise<number> {
  const calls = 1_000;
  const started = cpuNowNs();
  for (let i = 0; i < calls; i++) {
    const result = body();
    if (result instanceof Promise) await result;
  }
  const perCallNs = Math.max(1, (cpuNowNs() - started) / calls);
  return Math.min(1 << 20, Math.max(64, Math.round(1_000_000 / perCallNs)));
}

/**
 * The batch for a body faster than a microsecond, sized from its warm speed: the cold estimate
 * above times its first calls, before it is optimized, and for a sub-nanosecond body gives a
 * batch that lasts a fraction of one CPU-clock tick (every sample is then zero or one tick, and
 * the median is one tick divided by the batch). A short wall-clock run of mitata's own loop
 * times it warm.
 */
async function warmBatch(body: RowBody, coldBatch: number): Promise<number> {
  // Always, even when the cold calls looked slow: a compile or a collection among them can make
  // a sub-nanosecond body look like a microsecond one.
  const probe = await measure(body, { batch_samples: coldBatch, batch_threshold: Number.POSITIVE_INFINITY, min_cpu_time: 20_000_000 });
  return Math.min(1 << 20, Math.max(coldBatch, Math.round(1_000_000 / Math.max(0.01, probe.p50))));
}

const ONE_OFF = { min_samples: 3, max_samples: 3, warmup_samples: 0, warmup_threshold: 0, batch_samples: 0, batch_threshold: 0, min_cpu_time: 0 };

export async function measureRow(group: string, spec: RowSpec, body: RowBody | undefined, openError: unknown): Promise<MicroRowResult> {
  const base = { group, name: spec.name, input: spec.input, hooshNs: spec.hooshNs, budgetNs: spec.budgetNs, ...(spec.requestsPerSample ? { requestsPerSample: spec.requestsPerSample } : {}) };
  const failed = (error: unknown): MicroRowResult => ({ ...base, status: 'failed', error: error instanceof Error ? error.message : String(error), ratio: null, budgetMet: null });
  if (openError !== undefined) return failed(openError);
  if (body === undefined) return failed(new Error('no benchmark body for this row: the feature is missing'));
  try {
    // One call first, outside the timing: a row that throws fails here with its own message.
    await body();
    const clock = spec.clock ?? 'cpu';
    // Always in batches on the CPU clock: mitata decides batching from one wall-timed call,
    // and on a busy machine that call can be preempted, leaving single calls timed in whole ticks.
    const cpu = clock === 'cpu' ? { now: cpuNowNs, batch_samples: await warmBatch(body, await batchForCpuClock(body)), batch_threshold: Number.POSITIVE_INFINITY } : {};
    const stats = await measure(body, { ...(spec.oneOff ? ONE_OFF : {}), ...cpu });
    const perRequest = stats.p50 / (spec.requestsPerSample ?? 1);
    return {
      ...base,
      status: 'ok',
      clock,
      medianNs: stats.p50,
      p25Ns: stats.p25,
      p75Ns: stats.p75,
      minNs: stats.min,
      maxNs: stats.max,
      samples: stats.samples.length,
      roundMediansNs: [stats.p50],
      ratio: spec.hooshNs === null ? null : stats.p50 / spec.hooshNs,
      budgetMet: spec.budgetNs === null ? null : perRequest < spec.budgetNs,
    };
  } catch (error) {
    return failed(error);
  }
}
