/**
 * The router's view of each provider+model, for `GET /v1/switchyard/providers` and the
 * Prometheus gauges: health, breaker state, moving-average time to first token, in-flight
 * count and error rate. The schemas below are also that route's response schema, so the shape
 * is defined once.
 */
import { Type, type Static } from '@sinclair/typebox';
import { RouteTally } from './route-tally';
import type { Router } from './router';

const NullableNumber = Type.Union([Type.Number(), Type.Null()]);

export const CandidateStatus = Type.Object({
  provider: Type.String(),
  model: Type.String(),
  kind: Type.String(),
  local: Type.Boolean(),
  /** From active probes and traffic: `unknown` until the first probe or request. */
  health: Type.Union([Type.Literal('unknown'), Type.Literal('up'), Type.Literal('down')]),
  lastProbeError: Type.Optional(Type.String()),
  breaker: Type.Union([Type.Literal('closed'), Type.Literal('open'), Type.Literal('half_open')]),
  /** Moving average of time to first token of streamed replies, ms; null until measured. */
  ttftMsAvg: NullableNumber,
  /** Moving average of the end-to-end time of non-streamed replies, ms; null until measured. */
  latencyMsAvg: NullableNumber,
  /** p95 of recent first answers (either kind), ms; null until measured. */
  firstAnswerMsP95: NullableNumber,
  inFlight: Type.Integer(),
  /** Failures among the recent outcomes, 0..1. */
  errorRate: Type.Number(),
  requests: Type.Integer(),
  failures: Type.Integer(),
  /** Configured routes this candidate belongs to. */
  routes: Type.Array(Type.String()),
});
export type CandidateStatus = Static<typeof CandidateStatus>;

export const RouteStatus = Type.Object({
  name: Type.String(),
  strategy: Type.String(),
  allowCloud: Type.Boolean(),
  hedge: Type.Boolean(),
  deadlineMs: NullableNumber,
  candidates: Type.Array(Type.String()),
  /** What happened to the route's requests since the daemon started. */
  counts: RouteTally,
});
export type RouteStatus = Static<typeof RouteStatus>;

function rounded(ms: number): number | null {
  return Number.isNaN(ms) ? null : Math.round(ms * 10) / 10;
}

/** Every model the providers serve (configured or listed), every route candidate and every model used directly. */
export function candidateStatuses(router: Router): CandidateStatus[] {
  for (const model of router.registry.models()) {
    const provider = router.registry.get(model.provider);
    if (provider !== undefined) router.candidate(provider, model.id, 1, undefined);
  }
  const routesOf = new Map<string, string[]>();
  for (const name of router.routeNames()) {
    for (const candidate of router.route(name)!.candidates) {
      const list = routesOf.get(candidate.key);
      if (list) list.push(name);
      else routesOf.set(candidate.key, [name]);
    }
  }
  const now = performance.now();
  return router.allCandidates().map((candidate) => ({
    provider: candidate.provider.settings.name,
    model: candidate.model,
    kind: candidate.provider.settings.kind,
    local: candidate.local,
    health: candidate.health.status,
    ...(candidate.health.lastError !== undefined && candidate.health.status !== 'up' ? { lastProbeError: candidate.health.lastError } : {}),
    breaker: candidate.breaker.state(now),
    ttftMsAvg: rounded(candidate.stats.ttftEwmaMs),
    latencyMsAvg: rounded(candidate.stats.latencyEwmaMs),
    firstAnswerMsP95: rounded(candidate.stats.p95FirstAnswerMs()),
    inFlight: candidate.stats.inFlight,
    errorRate: Math.round(candidate.stats.errorRate() * 1000) / 1000,
    requests: candidate.stats.requests,
    failures: candidate.stats.failures,
    routes: routesOf.get(candidate.key) ?? [],
  }));
}

export function routeStatuses(router: Router): RouteStatus[] {
  return router.routeNames().map((name) => {
    const route = router.route(name)!;
    return {
      name,
      strategy: route.strategyName,
      allowCloud: route.settings.allowCloud,
      hedge: route.settings.hedge !== undefined,
      deadlineMs: route.settings.deadlineMs ?? null,
      candidates: route.candidates.map((candidate) => candidate.key),
      counts: { ...route.settings.tally },
    };
  });
}
