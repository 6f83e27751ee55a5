/**
 * Which provider a "Benchmark on this machine" loads: a local one that serves the model
 * (`model` or `provider/model`). A cloud provider's speed says nothing about this machine.
 */
import type { ProviderRegistry } from '../providers/provider-registry';
import type { BenchTarget } from './run-model-benchmark';

export function benchTargetFinder(registry: ProviderRegistry): (model: string) => BenchTarget | undefined {
  return (model) => {
    const slash = model.indexOf('/');
    const named = slash > 0 ? registry.get(model.slice(0, slash)) : undefined;
    const modelName = named ? model.slice(slash + 1) : model;
    const candidates = named ? [named] : registry.providersFor(modelName);
    const provider = candidates.find((candidate) => candidate.settings.local && candidate.settings.kind !== 'anthropic');
    if (provider === undefined) return undefined;
    const { kind, baseUrl } = provider.settings;
    // The benchmark appends the protocol's own path (`/api/chat`, `/v1/chat/completions`).
    return kind === 'ollama' ? { baseUrl, api: 'ollama' } : { baseUrl: baseUrl.replace(/\/v1$/, ''), api: 'openai' };
  };
}
