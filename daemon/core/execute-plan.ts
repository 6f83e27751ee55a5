import type { GatewayRequest } from '../../shared/gateway';
import { GatewayError } from './errors';
import type { GatewayResult, RequestContext, RoutePlan } from './pipeline';
import { runAttempt, type AttemptDeps } from './run-attempt';

/**
 * Sends the request to the plan's candidates. This first version tries the first candidate
 * once; retries, fallback, breakers, deadlines and hedging replace it (issue 3).
 */
export async function executePlan(
  plan: RoutePlan,
  request: GatewayRequest,
  context: RequestContext,
  deps: AttemptDeps,
): Promise<GatewayResult> {
  const candidate = plan.candidates[0];
  if (!candidate) throw new GatewayError('noCandidates', 'No provider can serve this request.');
  const outcome = await runAttempt(candidate, request, context.signal, deps);
  const servedBy = { provider: candidate.provider.settings.name, model: candidate.model, attempts: 1, cache: 'BYPASS' as const };
  return outcome.type === 'response'
    ? { type: 'response', response: outcome.response, servedBy }
    : { type: 'stream', events: outcome.events, servedBy };
}
