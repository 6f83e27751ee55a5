/**
 * When to try again, where, and after how long.
 *
 * A failed attempt is one of:
 * - `cancelled`: the caller went away. Nothing more is tried and nothing is reported.
 * - `caller`: the caller's own fault (a 4xx such as 400, 401, or 404 for an unknown model).
 *   Another try or another provider would fail the same way, so the error goes back as is.
 * - `rate_limited`: a 429. Retried on the same candidate after its `Retry-After` when that is
 *   short, otherwise the next candidate is tried at once.
 * - `upstream`: a connection error, a timeout, a 5xx, a garbled reply. Retried with backoff,
 *   then the next candidate. These count against the candidate's health.
 * - `deadline`: the request's own deadline passed. Nothing more is tried; the caller gets 504.
 * - `candidate`: this candidate cannot take this request, before anything was sent: a budget
 *   refused it, or its protocol cannot do what was asked (fill-in-the-middle on Anthropic).
 *   The next candidate may still take it; when none can, that error goes back (the budget's
 *   429 saying which budget and when it resets, or the 400 saying what is unsupported).
 */
import type { CancelSignal } from '../core/cancellation';
import { GatewayError, isAbortError, isGatewayError } from '../core/errors';

export type FailureKind = 'cancelled' | 'caller' | 'rate_limited' | 'upstream' | 'deadline' | 'candidate';

export interface ClassifiedFailure {
  kind: FailureKind;
  /** Whether another attempt (same or next candidate) may succeed. */
  retryable: boolean;
  /** Whether it counts as a failure for the breaker and the error rate. */
  countsAgainstHealth: boolean;
  retryAfterMs?: number;
  /** A short reason for logs and for the 503 listing what was tried. */
  reason: string;
}

/** undici and Node socket error codes that mean the upstream could not be reached or dropped the connection. */
const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

export function classifyFailure(error: unknown): ClassifiedFailure {
  if (isGatewayError(error)) {
    if (error.code === 'deadlineExceeded') return { kind: 'deadline', retryable: false, countsAgainstHealth: false, reason: 'deadline exceeded' };
    if (error.code === 'budgetExceeded' || error.code === 'unsupported') {
      return { kind: 'candidate', retryable: true, countsAgainstHealth: false, reason: `${error.code === 'budgetExceeded' ? 'budget' : 'unsupported'}: ${error.message}` };
    }
    if (error.code === 'upstreamRateLimited') {
      return { kind: 'rate_limited', retryable: true, countsAgainstHealth: false, retryAfterMs: error.retryAfterMs, reason: `429 ${error.message}` };
    }
    if (error.retryable) return { kind: 'upstream', retryable: true, countsAgainstHealth: true, reason: `${error.status} ${error.message}` };
    // A non-retryable upstream 5xx (e.g. a protocol error after output) still says the upstream is unwell.
    const upstreamFault = error.status >= 500 && error.code.startsWith('upstream');
    return { kind: 'caller', retryable: false, countsAgainstHealth: upstreamFault, reason: `${error.status} ${error.message}` };
  }
  if (isAbortError(error)) return { kind: 'cancelled', retryable: false, countsAgainstHealth: false, reason: 'cancelled' };
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && CONNECTION_ERROR_CODES.has(code)) {
    return { kind: 'upstream', retryable: true, countsAgainstHealth: true, reason: `connection error ${code}` };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'caller', retryable: false, countsAgainstHealth: false, reason: `internal error: ${message}` };
}

export interface RetryOptions {
  /** Extra attempts on the same candidate after its first one fails retryably. */
  retriesPerCandidate: number;
  /** Upper bound on attempts across all candidates of one request. */
  maxAttempts: number;
  /** First backoff step, ms; doubled each retry. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A `Retry-After` longer than this moves to the next candidate instead of waiting. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_OPTIONS: RetryOptions = {
  retriesPerCandidate: 1,
  maxAttempts: 4,
  baseDelayMs: 50,
  maxDelayMs: 2_000,
  maxRetryAfterMs: 2_000,
};

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half is random, so retries
 * of many requests spread out without any of them retrying at once.
 * `retry` is 0 for the first retry.
 */
export function backoffDelayMs(retry: number, options: RetryOptions, random: () => number = Math.random): number {
  const step = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.min(retry, 30));
  return step / 2 + random() * (step / 2);
}

export type RetryDecision =
  | { action: 'stop' }
  | { action: 'next' }
  | { action: 'retry'; delayMs: number };

/**
 * What to do after a failed attempt on a candidate. `retriesDone` is how many retries this
 * candidate has had; `remainingMs` what is left of the deadline.
 */
export function decideRetry(failure: ClassifiedFailure, retriesDone: number, remainingMs: number, options: RetryOptions, random: () => number = Math.random): RetryDecision {
  if (!failure.retryable) return { action: 'stop' };
  if (failure.kind === 'candidate') return { action: 'next' };
  if (retriesDone >= options.retriesPerCandidate) return { action: 'next' };
  let delayMs = backoffDelayMs(retriesDone, options, random);
  if (failure.retryAfterMs !== undefined) {
    if (failure.retryAfterMs > options.maxRetryAfterMs) return { action: 'next' };
    delayMs = Math.max(delayMs, failure.retryAfterMs);
  }
  if (delayMs >= remainingMs) return { action: 'next' };
  return { action: 'retry', delayMs };
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal: CancelSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The error a caller gets when its deadline passes. */
export function deadlineError(deadlineMs: number, details?: Record<string, unknown>): GatewayError {
  return new GatewayError('deadlineExceeded', `The request's deadline of ${deadlineMs} ms passed before a provider answered`, { details });
}
