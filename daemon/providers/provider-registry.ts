import { childCancellation, type CancelSignal } from '../core/cancellation';
import type { ModelInfo } from '../../shared/gateway';
import type { Provider, ProviderSettings } from '../core/provider';

/**
 * Owns every provider (and so every connection pool) of the daemon, and knows which
 * provider serves which model: the configured model list, or else what the provider's
 * own listing route said last.
 */
export class ProviderRegistry {
  private readonly providers = new Map<string, Provider>();
  private readonly listed = new Map<string, ModelInfo[]>();
  private modelIndex = new Map<string, Provider[]>();
  private closed = false;
  private refreshing: Promise<void> | undefined;
  private added = 0;

  constructor(private readonly create: (settings: ProviderSettings) => Provider) {}

  add(settings: ProviderSettings): Provider {
    if (this.providers.has(settings.name)) throw new Error(`provider "${settings.name}" is already registered`);
    const provider = this.create(settings);
    this.providers.set(settings.name, provider);
    this.added++;
    this.rebuildIndex();
    return provider;
  }

  /** How many providers were ever added: it moves when one is (a local server found after the start), so what was built from the set can tell it is stale. */
  get generation(): number {
    return this.added;
  }

  get(name: string): Provider | undefined {
    return this.providers.get(name);
  }

  all(): Provider[] {
    return [...this.providers.values()];
  }

  /** Providers that serve `model`, in configuration order. */
  providersFor(model: string): readonly Provider[] {
    return this.modelIndex.get(model) ?? [];
  }

  /** Whether some provider serves `model` (configured, or in its last listing). */
  knowsModel(model: string): boolean {
    return this.modelIndex.has(model);
  }

  /** Every model of every provider, for the listing routes. */
  models(): ModelInfo[] {
    const models: ModelInfo[] = [];
    for (const provider of this.providers.values()) {
      const listed = this.listed.get(provider.settings.name);
      if (provider.settings.models.length > 0) {
        for (const id of provider.settings.models) {
          // A configured `llama3.2` is the `llama3.2:latest` Ollama lists.
          const info = listed?.find((m) => m.id === id || m.id === `${id}:latest`);
          models.push({ ...info, id, provider: provider.settings.name });
        }
      } else if (listed) {
        models.push(...listed.map((m) => ({ ...m, provider: provider.settings.name })));
      }
    }
    return models;
  }

  /**
   * Asks every provider for its models. A provider that fails keeps its last list. Callers
   * that ask while a refresh is under way share it, so a burst of listing requests sends one
   * listing request to each provider.
   */
  refreshModels(signal: CancelSignal): Promise<void> {
    this.refreshing ??= this.fetchModels(signal).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async fetchModels(signal: CancelSignal): Promise<void> {
    // One listener on the caller's signal, fanned out to every provider's call: an AbortSignal
    // given a listener per provider warns of a leak from the eleventh provider on.
    const { cancellation, unlink } = childCancellation(signal);
    try {
      await Promise.all(
        this.all().map(async (provider) => {
          try {
            this.listed.set(provider.settings.name, await provider.listModels(cancellation));
          } catch {
            // Unreachable right now; health reporting is the router's job, the last list stays.
          }
        }),
      );
    } finally {
      unlink();
    }
    this.rebuildIndex();
  }

  private rebuildIndex(): void {
    const index = new Map<string, Provider[]>();
    for (const provider of this.providers.values()) {
      const ids = provider.settings.models.length > 0
        ? provider.settings.models
        : (this.listed.get(provider.settings.name) ?? []).map((m) => m.id);
      for (const id of ids) {
        addToIndex(index, id, provider);
        // Ollama lists `llama3.2:latest` and serves it as `llama3.2` too.
        if (id.endsWith(':latest')) addToIndex(index, id.slice(0, -':latest'.length), provider);
      }
    }
    this.modelIndex = index;
  }

  /** Closes every provider's pool; safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled(this.all().map((provider) => provider.close()));
  }
}

function addToIndex(index: Map<string, Provider[]>, id: string, provider: Provider): void {
  const list = index.get(id);
  if (!list) index.set(id, [provider]);
  else if (!list.includes(provider)) list.push(provider);
}
