import type { FastifyPluginAsync } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { candidateStatuses, routeStatuses } from '../../routing/provider-status';
import { registerRoutingMetrics } from '../../routing/routing-metrics';

const Nullable = <T extends ReturnType<typeof Type.Number>>(schema: T) => Type.Union([schema, Type.Null()]);

const CandidateStatus = Type.Object({
  provider: Type.String(),
  model: Type.String(),
  kind: Type.String(),
  local: Type.Boolean(),
  health: Type.Union([Type.Literal('unknown'), Type.Literal('up'), Type.Literal('down')]),
  lastProbeError: Type.Optional(Type.String()),
  breaker: Type.Union([Type.Literal('closed'), Type.Literal('open'), Type.Literal('half_open')]),
  ttftMsAvg: Nullable(Type.Number()),
  latencyMsAvg: Nullable(Type.Number()),
  firstAnswerMsP95: Nullable(Type.Number()),
  inFlight: Type.Integer(),
  errorRate: Type.Number(),
  requests: Type.Integer(),
  failures: Type.Integer(),
  routes: Type.Array(Type.String()),
});

const RouteCounts = Type.Object({
  requests: Type.Integer(),
  served: Type.Integer(),
  retries: Type.Integer(),
  fallbacks: Type.Integer(),
  hedges: Type.Integer(),
  hedgeWins: Type.Integer(),
  deadlineExceeded: Type.Integer(),
  failed: Type.Integer(),
});

const RouteStatus = Type.Object({
  name: Type.String(),
  strategy: Type.String(),
  allowCloud: Type.Boolean(),
  hedge: Type.Boolean(),
  deadlineMs: Nullable(Type.Number()),
  candidates: Type.Array(Type.String()),
  counts: RouteCounts,
});

export const ProvidersResponse = Type.Object({
  providers: Type.Array(CandidateStatus),
  routes: Type.Array(RouteStatus),
  /** Requests that named a model directly (`provider/model`, a model, an alias to one). */
  directModels: Type.Object({ counts: RouteCounts }),
});
export type ProvidersResponse = Static<typeof ProvidersResponse>;

/**
 * `GET /v1/switchyard/providers`: the router's view of each provider+model (health, breaker
 * state, moving-average time to first token, in-flight count, error rate) and of each route.
 * Also registers the same figures as Prometheus gauges, and closes the router with the app.
 */
export const switchyardProvidersRoutes: FastifyPluginAsync = async (app) => {
  const router = app.switchyard.router;
  if (router === undefined) return;
  registerRoutingMetrics(app.switchyard.metrics.registry, router);
  app.addHook('onClose', async () => {
    await router.close();
  });

  app.get('/v1/switchyard/providers', { schema: { response: { 200: ProvidersResponse } } }, async (): Promise<ProvidersResponse> => ({
    providers: candidateStatuses(router),
    routes: routeStatuses(router),
    directModels: { counts: { ...router.directTally } },
  }));
};
