import type { ProviderRegistry } from '../providers/provider-registry';
import type { Provider, ProviderSettings } from '../core/provider';
import { discoverLocalProviders } from './discover-local';

export interface RediscoveryOptions {
  registry: ProviderRegistry;
  /** The local servers to look for (the standard ports, or the config's `[discovery] servers`). */
  candidates: ProviderSettings[];
  create: (settings: ProviderSettings) => Provider;
  intervalMs: number;
  /** A server was found and added, or a provider listed its first models. */
  onFound: (names: string[]) => void;
}

/**
 * First run: most people start the editor before any model server. While the daemon has no
 * model at all, it looks for the local servers again every `intervalMs` and adds those that
 * answer, so completions start without a restart. The timer never keeps the process alive.
 */
export class LocalRediscovery {
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private readonly controller = new AbortController();

  constructor(private readonly options: RediscoveryOptions) {}

  start(): void {
    if (this.options.intervalMs <= 0 || this.timer !== undefined || this.controller.signal.aborted) return;
    this.timer = setInterval(() => {
      this.round ??= this.lookAgain().finally(() => {
        this.round = undefined;
      });
    }, this.options.intervalMs);
    this.timer.unref();
  }

  /** One round: nothing to do while some provider lists a model. */
  async lookAgain(): Promise<void> {
    const { registry, candidates, create, onFound } = this.options;
    if (registry.models().length > 0) return;
    const signal = this.controller.signal;
    // A provider that is there but listed nothing yet (Ollama before a pull) may list models now.
    if (registry.all().length > 0) await registry.refreshModels(AbortSignal.any([signal, AbortSignal.timeout(3_000)]));
    const absent = candidates.filter((candidate) => registry.get(candidate.name) === undefined);
    const found = absent.length === 0 ? [] : await discoverLocalProviders(absent, create);
    if (signal.aborted) return;
    for (const settings of found) registry.add(settings);
    if (found.length > 0) await registry.refreshModels(AbortSignal.any([signal, AbortSignal.timeout(3_000)]));
    if (registry.models().length > 0) onFound(found.map((settings) => settings.name));
  }

  /** Stops looking; safe to call twice. */
  async close(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.controller.abort();
    await this.round;
  }
}
