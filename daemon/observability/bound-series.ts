/**
 * Handles on one label set of a prom-client metric, bound once, that update its stored values
 * directly. A prom-client label child (`histogram.labels(...)`) still re-validates and
 * re-hashes its label values on every `observe`/`inc`, and a histogram looks its bucket up by
 * a number turned into a property key: about a microsecond per call, several calls per
 * request. These do the same update without that work; scrapes read the metric unchanged.
 *
 * They rely on how prom-client 15 stores a series (`hashMap[key]` holding `sum`, `count` and
 * `bucketValues` for a histogram, `value` for a counter or gauge). The tests compare every
 * handle's effect with prom-client's own methods, so a version that stores them differently
 * fails there. A series replaced or dropped behind a handle's back (`reset()`, `remove()`,
 * a gauge's `set()`) is found or made again on the next update. A series is made on its
 * first update, not when bound, so a scrape lists the same series prom-client would.
 */
import type { Counter, Gauge, Histogram, LabelValues } from 'prom-client';

interface HistogramEntry {
  labels: LabelValues<string>;
  bucketValues: Record<string, number>;
  sum: number;
  count: number;
}

interface ValueEntry {
  labels: LabelValues<string>;
  value: number;
}

interface StoredMetric<E> {
  hashMap: Record<string, E>;
  labelNames: readonly string[];
}

export interface BoundObserver {
  observe(value: number): void;
}

export interface BoundIncrementer {
  inc(value?: number): void;
}

export interface BoundUpDown {
  inc(value?: number): void;
  dec(value?: number): void;
}

function sameLabels(a: LabelValues<string>, b: LabelValues<string>, names: readonly string[]): boolean {
  for (const name of names) if (String(a[name] ?? '') !== String(b[name] ?? '')) return false;
  return true;
}

/**
 * The stored series of `labels` and its key, made through the metric's own API when absent:
 * `touch` adds nothing to its value (a zero observation's twin is `zero`, a counter's `inc(0)`).
 */
function locate<E extends { labels: LabelValues<string> }>(metric: StoredMetric<E>, labels: LabelValues<string>, touch: () => void): { key: string; entry: E } {
  const find = (): { key: string; entry: E } | undefined => {
    for (const key of Object.keys(metric.hashMap)) {
      const entry = metric.hashMap[key]!;
      if (sameLabels(entry.labels, labels, metric.labelNames)) return { key, entry };
    }
    return undefined;
  };
  const found = find();
  if (found !== undefined) return found;
  touch();
  const made = find();
  if (made === undefined) throw new Error('prom-client did not store the series where this module expects it (see bound-series.ts)');
  return made;
}

function checkedValue(value: number): number {
  if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${value}`);
  return value;
}

export function boundHistogram(histogram: Histogram<string>, labels: LabelValues<string>): BoundObserver {
  const metric = histogram as unknown as StoredMetric<HistogramEntry> & { upperBounds: readonly number[] };
  const bounds = metric.upperBounds;
  // The property keys prom-client's `bucketValues[bound]` turns each bound into.
  const keys = bounds.map(String);
  const touch = (): void => histogram.zero(labels);
  let key = '';
  let entry: HistogramEntry | undefined;
  return {
    observe(value: number): void {
      checkedValue(value);
      if (entry === undefined || metric.hashMap[key] !== entry) ({ key, entry } = locate(metric, labels, touch));
      entry.sum += value;
      entry.count += 1;
      for (let i = 0; i < bounds.length; i++) {
        if (value <= bounds[i]!) {
          entry.bucketValues[keys[i]!]! += 1;
          return;
        }
      }
    },
  };
}

export function boundCounter(counter: Counter<string>, labels: LabelValues<string>): BoundIncrementer {
  const metric = counter as unknown as StoredMetric<ValueEntry>;
  const touch = (): void => counter.inc(labels, 0);
  let key = '';
  let entry: ValueEntry | undefined;
  return {
    inc(value = 1): void {
      if (checkedValue(value) < 0) throw new Error('It is not possible to decrease a counter');
      if (entry === undefined || metric.hashMap[key] !== entry) ({ key, entry } = locate(metric, labels, touch));
      entry.value += value;
    },
  };
}

export function boundGauge(gauge: Gauge<string>, labels: LabelValues<string>): BoundUpDown {
  const metric = gauge as unknown as StoredMetric<ValueEntry>;
  const touch = (): void => gauge.inc(labels, 0);
  let key = '';
  let entry: ValueEntry | undefined;
  const add = (delta: number): void => {
    if (entry === undefined || metric.hashMap[key] !== entry) ({ key, entry } = locate(metric, labels, touch));
    entry.value += delta;
  };
  return {
    inc: (value = 1) => add(checkedValue(value)),
    dec: (value = 1) => add(-checkedValue(value)),
  };
}
