import type { GatewayRequest } from '../../shared/gateway';
import type { RequestContext, RoutePlan } from '../core/pipeline';
import type { Router } from '../routing/router';

/**
 * The one routing step both doors go through: maps the route or model a client named
 * (`X-Switchyard-Route`, a configured route, an alias, `provider/model`, or a model some
 * provider serves; `X-Switchyard-Provider` pins the provider) to a plan whose first candidate
 * is the route strategy's choice among the candidates that may take the request now.
 * Throws 404 for a name nothing serves, 503 when no candidate is usable.
 */
export function routeRequest(request: GatewayRequest, context: RequestContext, router: Router): RoutePlan {
  return router.plan(request, context);
}
