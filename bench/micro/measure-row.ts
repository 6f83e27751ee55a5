/**
 * One row measured with mitata: warm-up, then samples until enough CPU time has passed;
 * median and quartiles of the samples. A one-off row takes three samples without warm-up.
 * Rows shorter than mitata's batch threshold are timed in batches of 4,096 calls, so the
 * CPU clock's microsecond resolution is a fraction of a nanosecond per call.
 */
import { measure } from 'mitata';
import type { MicroRowResult } from './micro-result';
import type { RowBody, RowSpec } from './micro-row';

/** The process's CPU time (user + system) in ns; microsecond resolution, so mitata batches the fast rows. */
function cpuNowNs(): number {
  const used = process.cpuUsage();
  return (used.user + used.system) * 1000;
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
    const stats = await measure(body, { ...(spec.oneOff ? ONE_OFF : {}), ...(clock === 'cpu' ? { now: cpuNowNs } : {}) });
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
      ratio: spec.hooshNs === null ? null : stats.p50 / spec.hooshNs,
      budgetMet: spec.budgetNs === null ? null : perRequest < spec.budgetNs,
    };
  } catch (error) {
    return failed(error);
  }
}
