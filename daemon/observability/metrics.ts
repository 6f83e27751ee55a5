import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { AttemptSeriesCache, type AttemptSeries } from './attempt-series';
import { boundCounter, type BoundIncrementer } from './bound-series';
import { OTHER_MODEL } from './model-label';

/**
 * Seconds buckets suited to LLM calls: from a cached hit (sub-millisecond) to a long generation,
 * closer together from 50 ms to 2 s, where completions' times to first token lie and where a
 * p95 read from the histogram should not be off by a whole 250 ms.
 */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30, 60, 120];
/** Seconds per output token: from a fast GPU (sub-millisecond) to a CPU-only model at 1 token/s. */
const TPOT_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.035, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2];

/**
 * How often the event-loop delay is sampled. prom-client's default (10 ms) is a timer that
 * wakes the daemon a hundred times a second, idle or not: a process that stays up all day on
 * a laptop must not. Two samples a second still give each 15-second scrape 30 of them.
 */
const EVENT_LOOP_SAMPLE_MS = 500;

export interface GatewayMetricsOptions {
  /**
   * Whether a model name may be a label value: the configured and listed models and the
   * aliases. Anything else is counted as "other", so a client cannot grow the series.
   */
  isKnownModel?: (model: string) => boolean;
  /** prom-client's process metrics (CPU, memory, event-loop lag, GC), prefixed `switchyard_`. */
  processMetrics?: boolean;
}

/**
 * The daemon's Prometheus metrics, in a registry of its own (no global default registry),
 * owned by the app and exposed at `/metrics`.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly isKnownModel: (model: string) => boolean;

  readonly requestDuration = new Histogram({
    name: 'switchyard_request_duration_seconds',
    help: 'End-to-end latency of upstream calls, by provider, model, route and door',
    labelNames: ['provider', 'model', 'route', 'door', 'stream'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly timeToFirstToken = new Histogram({
    name: 'switchyard_time_to_first_token_seconds',
    help: 'Time from sending a request upstream to its first output token (whole response for non-streamed calls)',
    labelNames: ['provider', 'model', 'route', 'door'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly timePerOutputToken = new Histogram({
    name: 'switchyard_time_per_output_token_seconds',
    help: 'Streamed calls: time after the first token divided by the further output tokens',
    labelNames: ['provider', 'model', 'route', 'door'] as const,
    buckets: TPOT_BUCKETS,
    registers: [this.registry],
  });

  readonly requestsTotal = new Counter({
    name: 'switchyard_http_requests_total',
    help: 'Requests answered by the HTTP doors, by door and status code',
    labelNames: ['door', 'status'] as const,
    registers: [this.registry],
  });

  readonly requestErrors = new Counter({
    name: 'switchyard_request_errors_total',
    help: 'Requests answered with an error, by door and error code (the codes of the README error table)',
    labelNames: ['door', 'code'] as const,
    registers: [this.registry],
  });

  readonly upstreamErrors = new Counter({
    name: 'switchyard_upstream_errors_total',
    help: 'Failed upstream calls, by provider, model and error code',
    labelNames: ['provider', 'model', 'code'] as const,
    registers: [this.registry],
  });

  readonly inFlight = new Gauge({
    name: 'switchyard_in_flight_requests',
    help: 'Upstream calls in flight, by provider',
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });

  readonly tokensTotal = new Counter({
    name: 'switchyard_tokens_total',
    help: 'Tokens reported by providers, by provider, model and direction',
    labelNames: ['provider', 'model', 'direction'] as const,
    registers: [this.registry],
  });

  private readonly series = new AttemptSeriesCache(this);
  /** `requestsTotal` bound per door and status: both come from small fixed sets. */
  private readonly requestCounters = new Map<string, Map<number, BoundIncrementer>>();

  constructor(options: GatewayMetricsOptions = {}) {
    this.isKnownModel = options.isKnownModel ?? (() => true);
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'switchyard_', eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  }

  /** The label value for a model: its name if known, else "other". */
  modelLabel(model: string): string {
    return this.isKnownModel(model) ? model : OTHER_MODEL;
  }

  /** Counts one request answered by an HTTP door. */
  countRequest(door: string, status: number): void {
    let byStatus = this.requestCounters.get(door);
    if (byStatus === undefined) this.requestCounters.set(door, (byStatus = new Map()));
    let counter = byStatus.get(status);
    if (counter === undefined) byStatus.set(status, (counter = boundCounter(this.requestsTotal, { door, status: String(status) })));
    counter.inc();
  }

  /** The bound label children of one provider+model on one route and door (made once, then reused). */
  attemptSeries(provider: string, model: string, route: string, door: string): AttemptSeries {
    return this.series.get(provider, model, route, door);
  }
}
