/**
 * The one module behind every hardware door (HTTP, LSP, `switchyard hw`): detection, the
 * catalog, the estimates and recommendations, measured figures, "Benchmark on this machine"
 * and "Pull with Ollama". No door computes anything of its own.
 */
import type { HardwareReport } from '../../shared/hardware/hardware-report';
import type { MeasuredFigures, PullProgress, Recommendations } from '../../shared/hardware/recommendations';
import { GatewayError } from '../core/errors';
import type { CatalogModel } from './catalog/catalog-schema';
import { loadCatalog } from './catalog/load-catalog';
import { cachedProbes } from './cached-probes';
import { detectHardware } from './detect-hardware';
import { systemProbes, type HardwareProbes } from './hardware-probes';
import { DEFAULT_OLLAMA_URL, type HardwareSection } from './hardware-schema';
import { listOllamaModels, matchInstalled } from './installed-models';
import { MeasuredStore } from './measured-store';
import { measuredFromReport } from './measured-from-report';
import { pullOllamaModel } from './pull-ollama-model';
import { recommendModels } from './recommend-models';
import { defaultBenchCommand, runModelBenchmark, type BenchCommand, type BenchTarget } from './run-model-benchmark';

export interface HardwareServiceOptions {
  stateDir: string;
  settings?: HardwareSection;
  probes?: HardwareProbes;
  catalog?: CatalogModel[];
  /** The Ollama whose installed models are matched and which pulls models (default: `hardware.ollama_url`, else 127.0.0.1:11434). */
  ollamaUrl?: string;
  /** The provider that serves a model, for "Benchmark on this machine"; undefined when none does. */
  findBenchTarget?: (model: string) => BenchTarget | undefined;
  benchCommand?: BenchCommand;
  warn?: (message: string) => void;
}

export class HardwareService {
  readonly catalog: CatalogModel[];
  readonly ollamaUrl: string;
  private readonly probes: HardwareProbes;
  private readonly settings: HardwareSection;
  private readonly measured: MeasuredStore;
  private readonly closing = new AbortController();

  constructor(private readonly options: HardwareServiceOptions) {
    this.settings = options.settings ?? {};
    this.probes = cachedProbes(options.probes ?? systemProbes());
    this.catalog = options.catalog ?? loadCatalog();
    this.ollamaUrl = (options.ollamaUrl ?? this.settings.ollama_url ?? DEFAULT_OLLAMA_URL).replace(/\/+$/, '');
    this.measured = new MeasuredStore(options.stateDir, options.warn);
  }

  hardware(signal: AbortSignal): Promise<HardwareReport> {
    return detectHardware(this.probes, this.settings, this.linked(signal));
  }

  async recommendations(signal: AbortSignal): Promise<Recommendations> {
    const linked = this.linked(signal);
    const [hardware, ollama] = await Promise.all([this.hardware(linked), listOllamaModels(this.ollamaUrl, linked)]);
    return recommendModels({
      hardware,
      catalog: this.catalog,
      ollama: { ...ollama, url: this.ollamaUrl },
      measured: this.measured.forMachine(hardware.machineId),
    });
  }

  /** Records a benchmark report's figures for `model` on this machine. */
  async recordBenchmark(reportJson: string, model: string, signal: AbortSignal): Promise<MeasuredFigures> {
    const figures = measuredFromReport(reportJson, model);
    const hardware = await this.hardware(signal);
    this.measured.record(hardware.machineId, figures);
    return figures;
  }

  /** Benchmarks `model` through the provider that serves it, records the figures, and returns the updated recommendations. */
  async benchmark(model: string, signal: AbortSignal, onProgress?: (message: string) => void): Promise<{ measured: MeasuredFigures; recommendations: Recommendations }> {
    const target = this.options.findBenchTarget?.(model);
    if (target === undefined) {
      throw new GatewayError('unknownModel', `No provider serves "${model}", so it cannot be benchmarked here. Pull it with Ollama first, or check the name with GET /v1/models.`, { param: 'model' });
    }
    const linked = this.linked(signal);
    const report = await runModelBenchmark({ command: this.options.benchCommand ?? defaultBenchCommand(), target, model, signal: linked, onProgress });
    const measured = await this.recordBenchmark(report, model, linked);
    return { measured, recommendations: await this.recommendations(linked) };
  }

  /** Pulls a catalog model into Ollama, streaming its progress. */
  async pull(model: string, signal: AbortSignal, onProgress: (progress: PullProgress) => void): Promise<PullProgress> {
    const entry = this.findCatalogModel(model);
    if (entry === undefined) {
      throw new GatewayError('unknownModel', `Unknown model "${model}". The catalog has: ${this.catalog.map((m) => m.ollamaTag).join(', ')}.`, { param: 'model' });
    }
    return pullOllamaModel(this.ollamaUrl, entry.ollamaTag, this.linked(signal), onProgress);
  }

  /** A catalog model by Ollama tag, catalog id, or an installed variant's name. */
  findCatalogModel(name: string): CatalogModel | undefined {
    return this.catalog.find((model) => model.ollamaTag === name || model.id === name || matchInstalled(model.ollamaTag, [name]) !== undefined);
  }

  /** Stops benchmarks and pulls in flight. Safe to call twice. */
  async close(): Promise<void> {
    this.closing.abort(new DOMException('the hardware service is closing', 'AbortError'));
  }

  private linked(signal: AbortSignal): AbortSignal {
    return AbortSignal.any([signal, this.closing.signal]);
  }
}
