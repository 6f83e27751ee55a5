import type { LatencySpec } from './contract';
import { normalDeviate, type Random } from './random';

/** Draws one latency in milliseconds (never negative). */
export type LatencySampler = () => number;

/** Returns a message naming what is wrong with `spec`, or undefined when it is valid. */
export function checkLatencySpec(name: string, spec: LatencySpec | undefined): string | undefined {
  if (spec === undefined) return undefined;
  if (typeof spec === 'number') {
    return Number.isFinite(spec) && spec >= 0 ? undefined : `${name} must be a number >= 0, got ${String(spec)}`;
  }
  const finiteNonNegative = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value >= 0;
  switch (spec.dist) {
    case 'uniform':
      return finiteNonNegative(spec.minMs) && finiteNonNegative(spec.maxMs) && spec.minMs <= spec.maxMs
        ? undefined
        : `${name}: uniform needs 0 <= minMs <= maxMs`;
    case 'normal':
      return finiteNonNegative(spec.meanMs) && finiteNonNegative(spec.stddevMs)
        ? undefined
        : `${name}: normal needs meanMs >= 0 and stddevMs >= 0`;
    case 'lognormal':
      return finiteNonNegative(spec.medianMs) && finiteNonNegative(spec.sigma)
        ? undefined
        : `${name}: lognormal needs medianMs >= 0 and sigma >= 0`;
    default:
      return `${name}: unknown distribution ${JSON.stringify((spec as { dist?: unknown }).dist)} (uniform, normal or lognormal)`;
  }
}

/** Builds a sampler for a valid spec, drawing from the simulator's seeded stream. */
export function latencySampler(spec: LatencySpec | undefined, random: Random): LatencySampler | undefined {
  if (spec === undefined) return undefined;
  if (typeof spec === 'number') return () => spec;
  switch (spec.dist) {
    case 'uniform': {
      const { minMs, maxMs } = spec;
      return () => minMs + (maxMs - minMs) * random();
    }
    case 'normal': {
      const { meanMs, stddevMs } = spec;
      return () => Math.max(0, meanMs + stddevMs * normalDeviate(random));
    }
    case 'lognormal': {
      const { medianMs, sigma } = spec;
      return () => medianMs * Math.exp(sigma * normalDeviate(random));
    }
  }
}

/**
 * Parses the CLI / header form: `20`, `uniform:10:30`, `normal:20:5`, `lognormal:20:0.5`.
 * Returns undefined when the text is not one of those.
 */
export function parseLatencySpec(text: string): LatencySpec | undefined {
  const parts = text.split(':');
  const numbers = parts.slice(1).map(Number);
  if (parts.length === 1) {
    const value = Number(text);
    return text.trim() !== '' && Number.isFinite(value) ? value : undefined;
  }
  if (parts.length !== 3 || numbers.some((n) => !Number.isFinite(n))) return undefined;
  const [a, b] = numbers as [number, number];
  if (parts[0] === 'uniform') return { dist: 'uniform', minMs: a, maxMs: b };
  if (parts[0] === 'normal') return { dist: 'normal', meanMs: a, stddevMs: b };
  if (parts[0] === 'lognormal') return { dist: 'lognormal', medianMs: a, sigma: b };
  return undefined;
}
