import type { CandidateStats } from './candidate-stats';

/**
 * Milliseconds until the first of `candidates` stops asking to be left alone (the Retry-After
 * of its last 429), for the Retry-After the caller gets back; undefined when none is waiting.
 */
export function rateLimitRetryAfterMs(candidates: readonly { readonly stats: CandidateStats }[], now: number): number | undefined {
  let retryAt = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) if (candidate.stats.rateLimitedUntil > now) retryAt = Math.min(retryAt, candidate.stats.rateLimitedUntil);
  return Number.isFinite(retryAt) ? Math.ceil(retryAt - now) : undefined;
}
