/**
 * Prometheus gauges of the router's state, computed at scrape time (nothing is done per
 * request): breaker state, provider health, moving-average TTFT, in-flight and error rate per
 * provider+model.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import { candidateStatuses } from './provider-status';
import { DIRECT_ROUTE } from '../core/pipeline';
import type { RouteTally } from './route-tally';
import type { Router } from './router';

const BREAKER_VALUE = { closed: 0, half_open: 1, open: 2 } as const;
const EVENT_NAMES: ReadonlyArray<[keyof RouteTally, string]> = [
  ['requests', 'requests'],
  ['served', 'served'],
  ['retries', 'retries'],
  ['retryWins', 'retry_wins'],
  ['retryLosses', 'retry_losses'],
  ['fallbacks', 'fallbacks'],
  ['fallbackWins', 'fallback_wins'],
  ['fallbackLosses', 'fallback_losses'],
  ['hedges', 'hedges'],
  ['hedgeWins', 'hedge_wins'],
  ['hedgeLosses', 'hedge_losses'],
  ['deadlineExceeded', 'deadline_exceeded'],
  ['failed', 'failed'],
];

export function registerRoutingMetrics(registry: Registry, router: Router): void {
  const labelNames = ['provider', 'model'] as const;
  const breaker = new Gauge({ name: 'switchyard_breaker_state', help: 'Circuit breaker per provider and model: 0 closed, 1 half-open, 2 open', labelNames, registers: [registry], collect: () => collectAll() });
  const health = new Gauge({ name: 'switchyard_provider_up', help: 'Provider health from probes and traffic: 1 up, 0 down (absent while unknown)', labelNames: ['provider'] as const, registers: [registry], collect: () => collectAll() });
  const ttft = new Gauge({ name: 'switchyard_ttft_moving_average_seconds', help: 'Moving average of time to first token (streamed) or end-to-end time (non-streamed), per provider and model', labelNames: ['provider', 'model', 'stream'] as const, registers: [registry], collect: () => collectAll() });
  const inFlight = new Gauge({ name: 'switchyard_candidate_in_flight', help: 'Requests in flight per provider and model, as the router counts them', labelNames, registers: [registry], collect: () => collectAll() });
  const errorRate = new Gauge({ name: 'switchyard_candidate_error_rate', help: 'Failures among recent requests per provider and model (0..1)', labelNames, registers: [registry], collect: () => collectAll() });

  const events = new Counter({
    name: 'switchyard_route_events_total',
    help: 'What happened to the requests of each route (route "(direct)": models named directly): requests, served, retries, fallbacks, hedges, hedge_wins, deadline_exceeded, failed',
    labelNames: ['route', 'event'] as const,
    registers: [registry],
    collect() {
      events.reset();
      for (const [route, tally] of routeTallies()) {
        for (const [key, event] of EVENT_NAMES) events.inc({ route, event }, tally[key]);
      }
    },
  });

  // Fired, won and lost as one label: `sum by (result)` reads naturally. Won and lost are counted
  // when known, so won + lost trails fired while attempts run (and one cut off by the caller
  // leaving is neither).
  const recovery = (name: string, what: string, fired: keyof RouteTally, won: keyof RouteTally, lost: keyof RouteTally): void => {
    const counter: Counter<'route' | 'result'> = new Counter({
      name,
      help: `${what} per route: result "fired", and of those "won" (served the request) or "lost"`,
      labelNames: ['route', 'result'] as const,
      registers: [registry],
      collect() {
        counter.reset();
        for (const [route, tally] of routeTallies()) {
          counter.inc({ route, result: 'fired' }, tally[fired]);
          counter.inc({ route, result: 'won' }, tally[won]);
          counter.inc({ route, result: 'lost' }, tally[lost]);
        }
      },
    });
  };
  recovery('switchyard_retries_total', 'Retries of the same candidate', 'retries', 'retryWins', 'retryLosses');
  recovery('switchyard_fallbacks_total', 'Moves to the next candidate after a failure', 'fallbacks', 'fallbackWins', 'fallbackLosses');
  recovery('switchyard_hedges_total', 'Hedged second requests', 'hedges', 'hedgeWins', 'hedgeLosses');

  function routeTallies(): Array<[string, RouteTally]> {
    const tallies: Array<[string, RouteTally]> = router.routeNames().map((name) => [name, router.route(name)!.settings.tally]);
    tallies.push([DIRECT_ROUTE, router.directTally]);
    return tallies;
  }

  // One collect fills every gauge, so a scrape walks the candidates once.
  let lastCollect = -1;
  function collectAll(): void {
    const now = Date.now();
    if (now === lastCollect) return;
    lastCollect = now;
    for (const gauge of [breaker, health, ttft, inFlight, errorRate]) gauge.reset();
    for (const status of candidateStatuses(router)) {
      const labels = { provider: status.provider, model: status.model };
      breaker.set(labels, BREAKER_VALUE[status.breaker]);
      if (status.health !== 'unknown') health.set({ provider: status.provider }, status.health === 'up' ? 1 : 0);
      if (status.ttftMsAvg !== null) ttft.set({ ...labels, stream: 'true' }, status.ttftMsAvg / 1000);
      if (status.latencyMsAvg !== null) ttft.set({ ...labels, stream: 'false' }, status.latencyMsAvg / 1000);
      inFlight.set(labels, status.inFlight);
      errorRate.set(labels, status.errorRate);
    }
  }
}
