/** Rejects impossible runs before any load is sent, each with a message saying what to change. */
import { SANE_CONCURRENCY_CAP, SANE_RATE_CAP, type BenchOptions } from './options';

export function validateOptions(o: BenchOptions, knownPresets: readonly string[]): string[] {
  const errors: string[] = [];
  const positive = (value: number | null, flag: string, what: string) => {
    if (value !== null && !(value > 0)) errors.push(`--${flag} must be above 0 (got ${value}): ${what}`);
  };
  const count = (value: number | null, flag: string, min: number) => {
    if (value !== null && (!Number.isInteger(value) || value < min))
      errors.push(`--${flag} must be a whole number of at least ${min} (got ${value})`);
  };
  positive(o.rate, 'rate', 'an open-loop run needs a rate in requests per second');
  positive(o.durationSec, 'duration', 'seconds of load');
  positive(o.scale, 'scale', 'a factor such as 0.1 shrinks every count and duration');
  positive(o.timeoutMs, 'timeout-ms', 'per-request timeout');
  count(o.requests, 'requests', 1);
  count(o.concurrency, 'concurrency', 1);
  count(o.maxInFlight, 'max-in-flight', 1);
  count(o.warmup, 'warmup', 0);
  count(o.rounds, 'rounds', 1);
  count(o.repeat, 'repeat', 1);
  count(o.maxTokens, 'max-tokens', 1);
  if (o.lateThresholdMs < 0) errors.push(`--late-ms must not be negative (got ${o.lateThresholdMs})`);
  for (const c of o.concurrencies ?? []) count(c, 'concurrencies', 1);
  if (o.concurrencies && o.concurrencies.length === 0) errors.push('--concurrencies is empty');

  const peaks = [o.concurrency, o.maxInFlight, ...(o.concurrencies ?? []), ...(o.stageKind === 'concurrency' ? (o.stages ?? []).map((s) => s.target) : [])];
  const peak = Math.max(0, ...peaks.filter((n): n is number => n !== null));
  const peakRate = Math.max(o.rate ?? 0, ...(o.stageKind === 'rate' ? (o.stages ?? []).map((s) => s.target) : []));
  if (peakRate > SANE_RATE_CAP && !o.force)
    errors.push(`rate ${peakRate}/s is above the sane cap of ${SANE_RATE_CAP}/s for one generator process; add --force if you mean it`);
  if (peak > SANE_CONCURRENCY_CAP && !o.force)
    errors.push(`concurrency ${peak} is above the sane cap of ${SANE_CONCURRENCY_CAP}; add --force if you mean it`);

  if (o.weights.length !== o.models.length)
    errors.push(`--weights has ${o.weights.length} values for ${o.models.length} models (${o.models.join(', ')})`);
  if (o.weights.some((w) => w < 0) || o.weights.reduce((a, b) => a + b, 0) <= 0) errors.push('--weights must be non-negative and not all 0');
  for (const s of o.stages ?? []) {
    if (!(s.durationSec > 0)) errors.push(`every stage needs a duration above 0 (got ${s.durationSec}s)`);
    if (s.target < 0) errors.push(`a stage target cannot be negative (got ${s.target})`);
  }
  if (o.stages && o.stageKind === 'rate' && o.stages.every((s) => s.target === 0)) errors.push('--stages: every stage has rate 0, so nothing would be sent');

  for (const [flag, url] of [['target', o.target], ['direct', o.direct], ...o.compareTargets.map((t) => [`targets ${t.name}`, t.url])] as const) {
    if (url !== null && !isHttpUrl(url)) errors.push(`--${flag} is not an http URL: "${url}"`);
  }
  if (o.preset !== null && !knownPresets.includes(o.preset)) errors.push(`unknown preset "${o.preset}"; choose one of: ${knownPresets.join(', ')}`);
  if (o.preset !== null && o.scenario !== null) errors.push('give either --preset or --scenario, not both');
  if (o.scenario === 'overhead' && o.target !== null && o.direct === null)
    errors.push('the overhead scenario with --target also needs --direct URL (the provider the gateway forwards to)');
  if (o.scenario === 'compare' && o.compareTargets.length < 2 && o.models.length < 2)
    errors.push('the compare scenario needs --targets a=URL,b=URL or at least two --models');
  return errors;
}

function isHttpUrl(raw: string): boolean {
  try {
    const u = new URL(raw);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}
