import type { GatewayRequest } from '../../shared/gateway';
import type { BudgetService } from '../budgets/budget-service';
import type { CacheLookup, ResponseCache } from '../cache/response-cache';
import type { GatewayMetrics } from '../observability/metrics';
import type { Router } from '../routing/router';
import { executePlan } from './execute-plan';
import type { AttemptDeps } from './run-attempt';
import type { GatewayResult, RequestContext } from '../core/pipeline';
import { routeRequest } from './route-request';

export interface GatewayDeps {
  /** The daemon's router (routes, aliases, strategies, health, breakers), owned and closed by the app. */
  router: Router;
  metrics: GatewayMetrics;
  /** The response cache (issue 4); absent when `[cache] enabled = false`. */
  cache?: ResponseCache;
  /** Budgets (issue 4); absent when no `[[budgets]]` is configured. */
  budgets?: BudgetService;
}

/** The core both doors call: route, then execute. Holds no protocol knowledge. */
export class Gateway {
  constructor(private readonly deps: GatewayDeps) {}

  get cache(): ResponseCache | undefined {
    return this.deps.cache;
  }

  get budgets(): BudgetService | undefined {
    return this.deps.budgets;
  }

  /**
   * What the cache can answer for this request right now (a stored entry, or the rest of a
   * completion the user is typing), without calling upstream; undefined on a miss or with no
   * cache. The name is resolved as `handle` resolves it (one nothing serves throws the same
   * error), but no candidate is chosen and no budget is asked: a cached answer costs nothing.
   */
  lookupCached(request: GatewayRequest, context: RequestContext): CacheLookup | undefined {
    const cache = this.deps.cache;
    if (cache === undefined || !cache.usesCache(request, context)) return undefined;
    const route = this.deps.router.resolve(request, context);
    return cache.lookup(request, { routeName: route.name, candidates: [...route.candidates] }, context);
  }

  async handle(request: GatewayRequest, context: RequestContext): Promise<GatewayResult> {
    const { cache, budgets, router } = this.deps;
    let plan = routeRequest(request, context, router);
    let attemptDeps: AttemptDeps = { metrics: this.deps.metrics };
    if (budgets !== undefined) {
      // An exhausted fallback-local budget moves the plan to local candidates before anything is sent.
      plan = await budgets.rerouteForBudgets(plan, request, (model) => routeRequest({ ...request, model }, { ...context, directives: {} }, router).candidates);
      attemptDeps = { ...attemptDeps, budgets: budgets.forPlan(plan) };
    }
    const routed = plan;
    if (cache === undefined) return executePlan(routed, request, context, attemptDeps);
    // The cache answers from a hit, joins an identical request in flight, or runs the plan once.
    return cache.handle(request, routed, context, (shared) => executePlan(routed, request, shared, attemptDeps));
  }
}
