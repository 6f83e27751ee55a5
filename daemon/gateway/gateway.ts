import type { GatewayRequest } from '../../shared/gateway';
import type { BudgetService } from '../budgets/budget-service';
import type { CacheLookup, ResponseCache } from '../cache/response-cache';
import type { AttemptRunner, GatewayResult, RequestContext } from '../core/pipeline';
import type { GatewayMetrics } from '../observability/metrics';
import { executeRoutedPlan } from '../routing/execute-route';
import type { Router } from '../routing/router';
import { attemptRunner } from './run-attempt';
import { DIRECT_ROUTE } from '../core/pipeline';

export interface GatewayDeps {
  /** The daemon's router (routes, aliases, strategies, health, breakers), owned and closed by the app. */
  router: Router;
  metrics: GatewayMetrics;
  /** The response cache; absent when `[cache] enabled = false`. */
  cache?: ResponseCache;
  /** Budgets; absent when no `[[budgets]]` is configured. */
  budgets?: BudgetService;
}

/**
 * The orchestrator both doors call. A request passes each stage once: the router resolves the
 * route, budgets say which candidates they rule out, the router selects, then the cache answers
 * or the route executor tries candidates (retries, fallback, hedging, deadline), each attempt
 * through the attempt runner (metrics, in-flight, budget reservation). Holds no protocol knowledge.
 */
export class Gateway {
  private readonly attempts: AttemptRunner;

  constructor(private readonly deps: GatewayDeps) {
    this.attempts = attemptRunner({ metrics: deps.metrics, ...(deps.budgets ? { budgets: deps.budgets } : {}) });
  }

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
    const route = router.resolve(request, context);
    if (context.report !== undefined) context.report.route = route.name ?? DIRECT_ROUTE;
    const exclusions = budgets?.exclusionsFor(route.candidates, route.name, request);
    const plan = router.select(route, request, context, exclusions === undefined ? undefined : await exclusions);
    const attempts = this.attempts;
    if (cache === undefined) return executeRoutedPlan(plan.selection, request, context, attempts);
    // An answer the cache stores is read as events; only one it passes by may stay bytes.
    if (context.forward !== undefined && cache.usesCache(request, context)) context.forward = undefined;
    // The cache answers from a hit, joins an identical request in flight, or runs the plan once.
    return cache.handle(request, plan, context, (shared) => executeRoutedPlan(plan.selection, request, shared, attempts));
  }
}
