import type { Counter, Gauge, Histogram } from 'prom-client';
import { boundCounter, boundGauge, boundHistogram } from './bound-series';

interface Bindable {
  requestDuration: Histogram<'provider' | 'model' | 'route' | 'door' | 'stream'>;
  timeToFirstToken: Histogram<'provider' | 'model' | 'route' | 'door'>;
  timePerOutputToken: Histogram<'provider' | 'model' | 'route' | 'door'>;
  tokensTotal: Counter<'provider' | 'model' | 'direction'>;
  upstreamErrors: Counter<'provider' | 'model' | 'code'>;
  inFlight: Gauge<'provider'>;
  modelLabel(model: string): string;
}

type Observer = { observe(value: number): void };
type Incrementer = { inc(value?: number): void };

/**
 * The series one upstream call updates, bound once per provider, model, route and door (see
 * `bound-series.ts`: a prom-client label child hashes its values on every call).
 */
export class AttemptSeries {
  readonly wholeDuration: Observer;
  readonly streamDuration: Observer;
  readonly timeToFirstToken: Observer;
  readonly timePerOutputToken: Observer;
  readonly inputTokens: Incrementer;
  readonly outputTokens: Incrementer;
  readonly inFlight: { inc(): void; dec(): void };
  private readonly errorsByCode = new Map<string, Incrementer>();

  constructor(private readonly metrics: Bindable, readonly provider: string, readonly model: string, route: string, door: string) {
    const series = { provider, model, route, door };
    this.wholeDuration = boundHistogram(metrics.requestDuration, { ...series, stream: 'false' });
    this.streamDuration = boundHistogram(metrics.requestDuration, { ...series, stream: 'true' });
    this.timeToFirstToken = boundHistogram(metrics.timeToFirstToken, series);
    this.timePerOutputToken = boundHistogram(metrics.timePerOutputToken, series);
    this.inputTokens = boundCounter(metrics.tokensTotal, { provider, model, direction: 'input' });
    this.outputTokens = boundCounter(metrics.tokensTotal, { provider, model, direction: 'output' });
    this.inFlight = boundGauge(metrics.inFlight, { provider });
  }

  /** Error codes are a fixed set, so this map stays small. */
  countError(code: string): void {
    let child = this.errorsByCode.get(code);
    if (child === undefined) {
      child = boundCounter(this.metrics.upstreamErrors, { provider: this.provider, model: this.model, code });
      this.errorsByCode.set(code, child);
    }
    child.inc();
  }
}

/**
 * AttemptSeries by provider → model → route → door, in nested maps so that a lookup builds no
 * key string. A model outside the known set shares the "other" series and never becomes a key.
 */
export class AttemptSeriesCache {
  private readonly byProvider = new Map<string, Map<string, Map<string, Map<string, AttemptSeries>>>>();

  constructor(private readonly metrics: Bindable) {}

  get(provider: string, model: string, route: string, door: string): AttemptSeries {
    let byModel = this.byProvider.get(provider);
    if (byModel === undefined) this.byProvider.set(provider, (byModel = new Map()));
    let byRoute = byModel.get(model);
    if (byRoute === undefined) {
      const label = this.metrics.modelLabel(model);
      if (label !== model) return this.get(provider, label, route, door);
      byModel.set(model, (byRoute = new Map()));
    }
    let byDoor = byRoute.get(route);
    if (byDoor === undefined) byRoute.set(route, (byDoor = new Map()));
    let series = byDoor.get(door);
    if (series === undefined) byDoor.set(door, (series = new AttemptSeries(this.metrics, provider, model, route, door)));
    return series;
  }
}
