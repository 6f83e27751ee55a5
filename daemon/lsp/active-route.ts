/**
 * Which provider and model the next editor completion goes to, as the status bar shows it and
 * as the completion pipeline is told: the route the user picked (a configured route, an alias,
 * `provider/model` or a model name), or by default the completion pipeline's own choice.
 * Read-only: it never advances a strategy's state the way a real request does.
 */
import type { ActiveRoute, CompletionSettings } from '../../shared/lsp/protocol';
import type { ProviderRegistry } from '../providers/provider-registry';
import type { Provider } from '../core/provider';
import type { Router } from '../routing/router';

export type RouteResolution =
  | { state: 'ok'; active: ActiveRoute; /** `provider/model`, or the route's name: what the pipeline is given. */ target: string }
  | { state: 'no-provider' | 'error'; message: string };

interface Choice {
  provider: Provider;
  model: string;
}

export function resolveCompletionRoute(
  router: Router,
  registry: ProviderRegistry,
  aliases: Record<string, string>,
  settings: Pick<CompletionSettings, 'route' | 'allowCloud'>,
  /** The completion pipeline's default route (`InlineCompletionService.defaultRoute`). */
  defaultOf: (allowCloud: boolean) => string | undefined,
): RouteResolution {
  const requested = settings.route.trim();
  if (requested === '') return defaultRoute(router, registry, aliases, settings.allowCloud, defaultOf);
  return namedRoute(router, registry, aliases, requested, settings.allowCloud, 0);
}

function namedRoute(router: Router, registry: ProviderRegistry, aliases: Record<string, string>, name: string, allowCloud: boolean, depth: number): RouteResolution {
  const route = router.route(name);
  if (route !== undefined) {
    const usable = route.candidates.filter((c) => (allowCloud || route.settings.allowCloud || c.local) && c.health.status !== 'down');
    const chosen = usable[0];
    if (chosen === undefined) {
      return { state: 'error', message: route.candidates.length === 0 ? `No provider of route "${name}" was found.` : `Every provider of route "${name}" is down or not allowed (cloud).` };
    }
    return { state: 'ok', target: name, active: { route: name, provider: chosen.provider.settings.name, model: chosen.model, local: chosen.local } };
  }
  const aliased = aliases[name];
  if (aliased !== undefined && depth < 4) {
    const resolved = namedRoute(router, registry, aliases, aliased, allowCloud, depth + 1);
    return resolved.state === 'ok' ? { ...resolved, active: { ...resolved.active, route: name } } : resolved;
  }
  const slash = name.indexOf('/');
  const prefixed = slash > 0 ? registry.get(name.slice(0, slash)) : undefined;
  const choices: Choice[] = prefixed !== undefined
    ? [{ provider: prefixed, model: name.slice(slash + 1) }]
    : registry.providersFor(name).map((provider) => ({ provider, model: name }));
  if (choices.length === 0) return { state: 'error', message: `No route, alias or model is named "${name}".` };
  const allowed = choices.filter((choice) => allowCloud || choice.provider.settings.local);
  if (allowed.length === 0) return { state: 'error', message: `"${name}" is served only by cloud providers, and completions may not go to the cloud (switchyard.allowCloud).` };
  const chosen = allowed.find((choice) => !router.prober.isDown(choice.provider.settings.name)) ?? allowed[0]!;
  return ok(chosen);
}

/** The pipeline's own default (so the status bar names what completions really use), resolved to a provider and model. */
function defaultRoute(router: Router, registry: ProviderRegistry, aliases: Record<string, string>, allowCloud: boolean, defaultOf: (allowCloud: boolean) => string | undefined): RouteResolution {
  const name = defaultOf(allowCloud);
  if (name !== undefined) return namedRoute(router, registry, aliases, name, allowCloud, 0);
  const anyCloud = registry.all().some((provider) => !provider.settings.local);
  return {
    state: 'no-provider',
    message: anyCloud && !allowCloud
      ? 'No local model server found; cloud providers are configured but completions may not use them (switchyard.allowCloud).'
      : 'No model server found: start Ollama, llama.cpp, LM Studio or vLLM, add a provider in the config, or set a cloud API key.',
  };
}

function ok(choice: Choice): RouteResolution {
  const key = `${choice.provider.settings.name}/${choice.model}`;
  return { state: 'ok', target: key, active: { provider: choice.provider.settings.name, model: choice.model, local: choice.provider.settings.local } };
}
