import type { GatewayRequest } from '../../shared/gateway';
import type { BudgetService } from '../budgets/budget-service';
import type { ResponseCache } from '../cache/response-cache';
import type { GatewayMetrics } from '../observability/metrics';
import { executePlan } from './execute-plan';
import type { GatewayResult, RequestContext } from './pipeline';
import { routeRequest, type RoutingTable } from './route-request';

export interface GatewayDeps {
  routing: RoutingTable;
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

  async handle(request: GatewayRequest, context: RequestContext): Promise<GatewayResult> {
    let plan = routeRequest(request, context, this.deps.routing);
    // --- cache and budgets (issue 4): reroute around exhausted fallback-local budgets, bind
    // the plan's budgets for runAttempt, and let the cache answer or run the plan once.
    const { cache, budgets } = this.deps;
    if (budgets === undefined && cache === undefined) return executePlan(plan, request, context, this.deps);
    if (budgets !== undefined) {
      plan = await budgets.rerouteForBudgets(plan, request, (model) => routeRequest({ ...request, model }, { ...context, directives: {} }, this.deps.routing).candidates);
    }
    const deps = budgets !== undefined ? { ...this.deps, budgets: budgets.forPlan(plan) } : this.deps;
    const routed = plan;
    if (cache === undefined) return executePlan(routed, request, context, deps);
    return cache.handle(request, routed, context, (shared) => executePlan(routed, request, shared, deps));
    // --- end cache and budgets
  }
}
