import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { boundCounter, boundGauge, boundHistogram } from '../../../daemon/observability/bound-series';

function metrics() {
  const registry = new Registry();
  const histogram = new Histogram({ name: 'h_seconds', help: 'h', labelNames: ['provider', 'stream'] as const, buckets: [0.001, 0.0025, 0.1, 1], registers: [registry] });
  const counter = new Counter({ name: 'c_total', help: 'c', labelNames: ['provider', 'direction'] as const, registers: [registry] });
  const gauge = new Gauge({ name: 'g', help: 'g', labelNames: ['provider'] as const, registers: [registry] });
  return { registry, histogram, counter, gauge };
}

// Values on the bounds, between them, above the last one, and zero.
const OBSERVED = [0.001, 0.0005, 0.0025, 0.05, 1, 7.5, 0, 0.1];

describe('bound metric series', () => {
  it('leave a scrape exactly as prom-client’s own label children do', async () => {
    const own = metrics();
    const bound = metrics();
    const h = boundHistogram(bound.histogram, { provider: 'sim', stream: 'false' });
    const hOther = boundHistogram(bound.histogram, { provider: 'sim', stream: 'true' });
    const c = boundCounter(bound.counter, { provider: 'sim', direction: 'input' });
    const g = boundGauge(bound.gauge, { provider: 'sim' });
    for (const value of OBSERVED) {
      own.histogram.labels('sim', 'false').observe(value);
      h.observe(value);
    }
    own.histogram.labels('sim', 'true').observe(0.2);
    hOther.observe(0.2);
    own.counter.labels('sim', 'input').inc(7);
    own.counter.labels('sim', 'input').inc();
    c.inc(7);
    c.inc();
    own.gauge.labels('sim').inc();
    own.gauge.labels('sim').inc();
    own.gauge.labels('sim').dec();
    g.inc();
    g.inc();
    g.dec();
    assert.equal(await bound.registry.metrics(), await own.registry.metrics());
  });

  it('add no series to a scrape until they are first updated', async () => {
    const { registry, histogram, counter, gauge } = metrics();
    boundHistogram(histogram, { provider: 'sim', stream: 'true' });
    boundCounter(counter, { provider: 'sim', direction: 'input' });
    boundGauge(gauge, { provider: 'sim' });
    assert.doesNotMatch(await registry.metrics(), /sim/);
  });

  it('bind to a series that already has values without resetting it', async () => {
    const { registry, histogram, counter } = metrics();
    histogram.labels('sim', 'false').observe(0.05);
    counter.labels('sim', 'input').inc(3);
    boundHistogram(histogram, { provider: 'sim', stream: 'false' }).observe(0.05);
    boundCounter(counter, { provider: 'sim', direction: 'input' }).inc(2);
    const text = await registry.metrics();
    assert.match(text, /h_seconds_count\{provider="sim",stream="false"\} 2/);
    assert.match(text, /c_total\{provider="sim",direction="input"\} 5/);
  });

  it('keep counting after the metric is reset, the series removed, or the gauge set', async () => {
    const { registry, histogram, counter, gauge } = metrics();
    const h = boundHistogram(histogram, { provider: 'sim', stream: 'false' });
    const c = boundCounter(counter, { provider: 'sim', direction: 'output' });
    const g = boundGauge(gauge, { provider: 'sim' });
    h.observe(0.5);
    c.inc(4);
    histogram.reset();
    counter.remove('sim', 'output');
    gauge.set({ provider: 'sim' }, 10);
    h.observe(0.5);
    c.inc(1);
    g.inc();
    const text = await registry.metrics();
    assert.match(text, /h_seconds_count\{provider="sim",stream="false"\} 1/);
    assert.match(text, /c_total\{provider="sim",direction="output"\} 1/);
    assert.match(text, /g\{provider="sim"\} 11/);
  });

  it('refuse what prom-client refuses: a value that is not a finite number, a counter going down', () => {
    const { histogram, counter } = metrics();
    assert.throws(() => boundHistogram(histogram, { provider: 'sim', stream: 'false' }).observe(Number.NaN), /not a valid number/);
    assert.throws(() => boundCounter(counter, { provider: 'sim', direction: 'input' }).inc(-1), /not possible to decrease/);
  });
});
