import type { FastifyPluginAsync } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { CandidateStatus, candidateStatuses, RouteStatus, routeStatuses } from '../../routing/provider-status';
import { RouteTally } from '../../routing/route-tally';
import { registerRoutingMetrics } from '../../routing/routing-metrics';

export const ProvidersResponse = Type.Object({
  providers: Type.Array(CandidateStatus),
  routes: Type.Array(RouteStatus),
  /** Requests that named a model directly (`provider/model`, a model, an alias to one). */
  directModels: Type.Object({ counts: RouteTally }),
});
export type ProvidersResponse = Static<typeof ProvidersResponse>;

/**
 * `GET /v1/switchyard/providers`: the router's view of each provider+model (health, breaker
 * state, moving-average time to first token, in-flight count, error rate) and of each route.
 * Also registers the same figures as Prometheus gauges.
 */
export const switchyardProvidersRoutes: FastifyPluginAsync = async (app) => {
  const router = app.switchyard.router;
  registerRoutingMetrics(app.switchyard.metrics.registry, router);

  app.get('/v1/switchyard/providers', { schema: { response: { 200: ProvidersResponse } } }, async (): Promise<ProvidersResponse> => ({
    providers: candidateStatuses(router),
    routes: routeStatuses(router),
    directModels: { counts: { ...router.directTally } },
  }));
};
