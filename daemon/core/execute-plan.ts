import type { GatewayRequest } from '../../shared/gateway';
import { GatewayError } from './errors';
import type { GatewayResult, RequestContext, RoutePlan } from './pipeline';
import { runAttempt, type AttemptDeps } from './run-attempt';
import { executeRoutedPlan } from '../routing/execute-route';
import { isRouterPlan } from '../routing/router';

/**
 * Sends the request to the plan's candidates: retries with backoff, fallback to the next
 * candidate, breakers, deadlines and hedging (see `daemon/routing/execute-route.ts`). Each
 * upstream call goes through `runAttempt`. A plan not made by the router (a hand-built one)
 * is tried on its first candidate once.
 */
export async function executePlan(plan: RoutePlan, request: GatewayRequest, context: RequestContext, deps: AttemptDeps): Promise<GatewayResult> {
  if (isRouterPlan(plan)) return executeRoutedPlan(plan.selection.router.selectionFor(plan, request, context), request, context, deps);
  const candidate = plan.candidates[0];
  if (!candidate) throw new GatewayError('noCandidates', 'No provider can serve this request.');
  const outcome = await runAttempt(candidate, request, context.signal, deps);
  const servedBy = { provider: candidate.provider.settings.name, model: candidate.model, attempts: 1, cache: 'BYPASS' as const };
  return outcome.type === 'response'
    ? { type: 'response', response: outcome.response, servedBy }
    : { type: 'stream', events: outcome.events, servedBy };
}
