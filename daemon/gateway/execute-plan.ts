import type { GatewayRequest } from '../../shared/gateway';
import { GatewayError } from '../core/errors';
import type { GatewayResult, RequestContext, RoutePlan } from '../core/pipeline';
import type { AttemptDeps } from './run-attempt';
import { executeRoutedPlan } from '../routing/execute-route';
import { isRouterPlan } from '../routing/router';

/**
 * Sends the request to the plan's candidates: retries with backoff, fallback to the next
 * candidate, breakers, deadlines and hedging (see `daemon/routing/execute-route.ts`). Each
 * upstream call goes through `runAttempt`. Every plan comes from the router (`routeRequest`);
 * one a later stage rewrote (a budget reroute) keeps the router's selection.
 */
export async function executePlan(plan: RoutePlan, request: GatewayRequest, context: RequestContext, deps: AttemptDeps): Promise<GatewayResult> {
  if (!isRouterPlan(plan)) throw new GatewayError('internal', 'A route plan was not made by the router.');
  return executeRoutedPlan(plan.selection.router.selectionFor(plan, request, context), request, context, deps);
}
