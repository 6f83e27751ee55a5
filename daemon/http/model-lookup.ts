import type { ModelInfo } from '../../shared/gateway';
import { GatewayError } from '../core/errors';
import type { ProviderRegistry } from '../providers/provider-registry';
import type { Provider } from '../core/provider';
import type { Router } from '../routing/router';

/** The provider and upstream model a listed name stands for, and what the provider's listing said of it. */
export interface ModelTarget {
  provider: Provider;
  /** The upstream model name. */
  model: string;
  info?: ModelInfo;
}

export interface ModelLookup {
  registry: ProviderRegistry;
  router: Router;
  aliases: Record<string, string>;
}

/**
 * What a name a client sends stands for, without sending anything: a route's first candidate,
 * an alias's target, `provider/model`, or the first provider that lists the model. For the
 * routes that describe a model (`/api/show`, a load request) rather than run it.
 */
export function lookUpModel(name: string, lookup: ModelLookup): ModelTarget {
  const target = findTarget(name, lookup, 0);
  if (target === undefined) {
    throw new GatewayError('unknownModel', `model "${name}" not found: GET /api/tags lists the models you can use.`, { param: 'model' });
  }
  const models = lookup.registry.models();
  const provider = target.provider.settings.name;
  const info = models.find((m) => m.provider === provider && (m.id === target.model || m.id === `${target.model}:latest`));
  return info === undefined ? target : { ...target, info };
}

function findTarget(name: string, lookup: ModelLookup, depth: number): ModelTarget | undefined {
  const route = lookup.router.route(name);
  const first = route?.candidates[0];
  if (first !== undefined) return { provider: first.provider, model: first.model };
  const alias = lookup.aliases[name];
  if (alias !== undefined && depth < 4) return findTarget(alias, lookup, depth + 1);
  const slash = name.indexOf('/');
  const prefixed = slash > 0 ? lookup.registry.get(name.slice(0, slash)) : undefined;
  if (prefixed !== undefined) return { provider: prefixed, model: name.slice(slash + 1) };
  const provider = lookup.registry.providersFor(name)[0];
  return provider === undefined ? undefined : { provider, model: name };
}
