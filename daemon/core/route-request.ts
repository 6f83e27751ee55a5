import type { GatewayRequest } from '../../shared/gateway';
import { GatewayError } from './errors';
import type { Candidate, RequestContext, RoutePlan } from './pipeline';
import type { ProviderRegistry } from './provider-registry';
import type { Provider } from '../providers/provider';

export interface RoutingTable {
  registry: ProviderRegistry;
  /** `alias → model` or `alias → provider/model`. */
  aliases: Record<string, string>;
}

/**
 * The one routing step both doors go through: maps the model a client named to the
 * candidates that may serve it. Accepts `provider/model`, a model some provider serves,
 * or an alias; `X-Switchyard-Provider` pins the provider.
 */
export function routeRequest(request: GatewayRequest, context: RequestContext, table: RoutingTable): RoutePlan {
  const requested = context.directives.route ?? request.model;
  const name = table.aliases[requested] ?? requested;
  const pinned = context.directives.provider;

  const slash = name.indexOf('/');
  if (slash > 0) {
    const provider = table.registry.get(name.slice(0, slash));
    if (provider && (pinned === undefined || pinned === provider.settings.name)) {
      return { candidates: [candidate(provider, name.slice(slash + 1))] };
    }
  }

  if (pinned !== undefined) {
    const provider = table.registry.get(pinned);
    if (!provider) {
      throw new GatewayError('unknownModel', `No provider named "${pinned}" (from X-Switchyard-Provider).`, { param: 'model' });
    }
    return { candidates: [candidate(provider, name)] };
  }

  const providers = table.registry.providersFor(name);
  if (providers.length === 0) {
    throw new GatewayError('unknownModel', `The model "${requested}" does not exist or no configured provider serves it. GET /v1/models lists the models you can use.`, {
      param: 'model',
    });
  }
  return { candidates: providers.map((provider) => candidate(provider, name)) };
}

function candidate(provider: Provider, model: string): Candidate {
  return { provider, model, key: `${provider.settings.name}/${model}` };
}
