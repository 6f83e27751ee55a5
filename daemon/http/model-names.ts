import type { ProviderRegistry } from '../providers/provider-registry';

export interface ClientModelName {
  /** What a client sends as `model`: the plain model id, or `provider/model` when two providers serve the same id. */
  name: string;
  provider: string;
}

/** The model names the listing routes show: one per provider+model, then the configured routes and aliases. */
export function clientModelNames(registry: ProviderRegistry, aliases: Record<string, string>, routes: readonly string[] = []): ClientModelName[] {
  const models = registry.models();
  const providersById = new Map<string, number>();
  for (const model of models) providersById.set(model.id, (providersById.get(model.id) ?? 0) + 1);
  const names: ClientModelName[] = models.map((model) => ({
    name: (providersById.get(model.id) ?? 0) > 1 ? `${model.provider}/${model.id}` : model.id,
    provider: model.provider,
  }));
  for (const route of routes) names.push({ name: route, provider: 'switchyard' });
  for (const alias of Object.keys(aliases)) if (!routes.includes(alias)) names.push({ name: alias, provider: 'switchyard' });
  return names;
}
