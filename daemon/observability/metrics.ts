import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Seconds buckets suited to LLM calls: from a cached hit (sub-millisecond) to a long generation. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/**
 * The daemon's Prometheus metrics, in a registry of its own (no global default registry),
 * owned by the app and exposed at `/metrics`.
 */
export class GatewayMetrics {
  readonly registry = new Registry();

  readonly requestDuration = new Histogram({
    name: 'switchyard_request_duration_seconds',
    help: 'End-to-end latency of upstream calls, by provider and model',
    labelNames: ['provider', 'model', 'stream'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly timeToFirstToken = new Histogram({
    name: 'switchyard_time_to_first_token_seconds',
    help: 'Time from sending a request upstream to its first output token (whole response for non-streamed calls)',
    labelNames: ['provider', 'model'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly requestsTotal = new Counter({
    name: 'switchyard_http_requests_total',
    help: 'Requests answered by the HTTP doors, by door and status code',
    labelNames: ['door', 'status'] as const,
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
}
