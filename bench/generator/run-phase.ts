/**
 * Runs one phase inside the generator process: an undici pool sized to the concurrency,
 * a warm-up that is not recorded, then the measured load, with self-monitoring and
 * progress reports.
 */
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { arrivalSchedule } from './arrival-schedule';
import { runClosedLoop } from './closed-loop';
import type { LoopContext } from './loop-context';
import { runOpenLoop, type OpenLoopStats } from './open-loop';
import { PhaseRecorder } from './phase-recorder';
import type { PhaseOutcome, PhaseProgress, PhaseSpec } from './phase-spec';
import { seededRandom, weightedPicker } from './rng';
import { startSelfMonitor } from './self-monitor';
import { sendRequest, type SendOptions } from './send-request';
import { buildWireRequest } from './wire';

export interface PhaseControl {
  signal: AbortSignal;
  onProgress(progress: PhaseProgress): void;
}

export async function runPhase(spec: PhaseSpec, control: PhaseControl): Promise<PhaseOutcome> {
  const origin = new URL(spec.targetUrl).origin;
  const connections = spec.load.mode === 'closed' ? maxConcurrency(spec.load) : spec.load.maxInFlight;
  const pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 60_000, keepAliveMaxTimeout: 600_000 });
  const pickModel = weightedPicker(spec.weights, seededRandom(spec.seed ^ 0x5bd1e995));
  const headers = { 'content-type': 'application/json', ...spec.headers };
  const now = () => performance.now();
  // Everything a request needs but its timing is the same for every request to a model.
  const sendOptions = spec.models.map((model, modelIndex): SendOptions => {
    const request = buildWireRequest(spec.api, model, spec.stream, spec.maxTokens);
    return {
      pool,
      dispatch: { origin, path: request.path, method: 'POST', headers, body: request.body, headersTimeout: spec.timeoutMs, bodyTimeout: spec.timeoutMs },
      api: spec.api,
      modelIndex,
      stream: spec.stream,
      signal: control.signal,
      now,
    };
  });
  const send = (scheduledMs: number) => sendRequest(sendOptions[pickModel()]!, scheduledMs);
  const whenStopped = new Promise<void>((resolve) => {
    if (control.signal.aborted) resolve();
    control.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  const stopped = () => control.signal.aborted;
  // One listener for the phase, not one per request: stopping destroys the pool, which
  // ends every in-flight request (recorded as cancelled, not as an error).
  void whenStopped.then(() => pool.destroy().catch(() => undefined));

  try {
    if (spec.warmupRequests > 0 && !stopped()) {
      const warm: LoopContext = {
        now,
        stopped,
        whenStopped,
        send: (scheduledMs) => send(scheduledMs).then(() => undefined),
      };
      await runClosedLoop(warm, { concurrency: Math.min(connections, spec.warmupRequests), requests: spec.warmupRequests });
    }

    const recorder = new PhaseRecorder(spec.models.length, spec.lateThresholdMs, spec.slo);
    const ctx: LoopContext = {
      now,
      stopped,
      whenStopped,
      send: (scheduledMs) => {
        recorder.scheduled();
        recorder.sent(scheduledMs, now());
        return send(scheduledMs).then((o) => recorder.record(o));
      },
    };
    const monitor = startSelfMonitor();
    const startMs = now();
    recorder.startAt(startMs);
    const progress = startProgress(recorder, startMs, now, spec.progressIntervalMs, control.onProgress);
    let lag: OpenLoopStats | undefined;
    try {
      if (spec.load.mode === 'closed') {
        await runClosedLoop(ctx, spec.load);
      } else {
        const load = spec.load;
        lag = await runOpenLoop(ctx, {
          nextArrival: arrivalSchedule(load.plan, seededRandom(spec.seed)),
          maxInFlight: load.maxInFlight,
          dropAfterMs: load.dropAfterMs,
          lateThresholdMs: spec.lateThresholdMs,
          onDropped: () => {
            recorder.scheduled();
            recorder.dropped();
          },
        });
      }
    } finally {
      progress.stop();
    }
    const generator = monitor.stop(lag);
    const raw = recorder.finish(stopped());
    raw.counts.warmup = spec.warmupRequests;
    return { ...raw, generator };
  } finally {
    await pool.destroy().catch(() => undefined);
  }
}

function maxConcurrency(load: { concurrency: number; stages?: { target: number }[] }): number {
  const peak = Math.max(load.concurrency, ...(load.stages ?? []).map((s) => Math.ceil(s.target)));
  return Math.max(1, peak);
}

function startProgress(
  recorder: PhaseRecorder,
  startMs: number,
  now: () => number,
  intervalMs: number,
  emit: (p: PhaseProgress) => void,
): { stop(): void } {
  let lastCount = 0;
  let lastAt = startMs;
  const timer = setInterval(() => {
    const t = now();
    const completed = recorder.completed;
    emit({
      completed,
      errors: recorder.failed,
      elapsedSec: (t - startMs) / 1000,
      currentRate: ((completed - lastCount) * 1000) / Math.max(1, t - lastAt),
      p99Ms: recorder.latency.totalCount > 0 ? recorder.latency.getValueAtPercentile(99) / 1000 : null,
    });
    lastCount = completed;
    lastAt = t;
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
