import type { GatewayRequest } from '../../shared/gateway';
import type { GatewayMetrics } from '../observability/metrics';
import { executePlan } from './execute-plan';
import type { GatewayResult, RequestContext } from './pipeline';
import { routeRequest, type RoutingTable } from './route-request';

export interface GatewayDeps {
  routing: RoutingTable;
  metrics: GatewayMetrics;
}

/** The core both doors call: route, then execute. Holds no protocol knowledge. */
export class Gateway {
  constructor(private readonly deps: GatewayDeps) {}

  async handle(request: GatewayRequest, context: RequestContext): Promise<GatewayResult> {
    const plan = routeRequest(request, context, this.deps.routing);
    return executePlan(plan, request, context, this.deps);
  }
}
