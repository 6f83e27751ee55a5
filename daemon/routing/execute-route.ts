/**
 * Carries out a router plan: tries the chosen candidate, retries retryable failures with
 * backoff (honouring Retry-After), falls back to the next candidate the strategy picks, hedges
 * on routes that opt in, and stops at the deadline with a 504. The caller's own 4xx goes back
 * at once. A stream is handed to the door only once its first token is in hand, so a failure
 * before any output can still be retried elsewhere; after that nothing is retried, and a death
 * mid-stream reaches the client as an error event.
 *
 * Each upstream call goes through `runAttempt` (metrics, in-flight accounting, budgets); this
 * module adds the routing state around it: breaker, statistics, passive health.
 */
import type { GatewayRequest, GatewayResponse, StreamEvent } from '../../shared/gateway';
import { GatewayError } from '../core/errors';
import type { GatewayResult, RequestContext, ServedBy } from '../core/pipeline';
import { runAttempt, type AttemptDeps } from '../core/run-attempt';
import type { RoutingCandidate, SelectionRequest } from './compiled-route';
import { Deadline } from './deadline';
import { runHedged } from './hedge';
import { classifyFailure, decideRetry, deadlineError, sleep, type ClassifiedFailure } from './retry-policy';
import type { RouteSelection } from './router';

/** One upstream call (or skip) of a request, listed in errors and logs. */
export interface AttemptRecord {
  provider: string;
  model: string;
  outcome: 'served' | 'failed' | 'skipped' | 'lost_hedge';
  status?: number;
  reason?: string;
  ms?: number;
}

type StartedAttempt =
  | { type: 'response'; candidate: RoutingCandidate; response: GatewayResponse }
  | { type: 'stream'; candidate: RoutingCandidate; first: IteratorResult<StreamEvent>; iterator: AsyncIterator<StreamEvent>; startedAt: number };

/** The breaker refused (its half-open trial was taken meanwhile): not an attempt. */
class CandidateSkipped extends Error {}

export async function executeRoutedPlan(selection: RouteSelection, request: GatewayRequest, context: RequestContext, deps: AttemptDeps): Promise<GatewayResult> {
  const { router, route, deadlineMs } = selection;
  const { retries } = route.settings;
  const candidates = route.candidates;
  const deadline = new Deadline(deadlineMs, context.receivedAt, context.signal);
  const records: AttemptRecord[] = [];
  const tried = new Uint8Array(candidates.length);
  let eligible: Uint8Array | undefined;
  let upstreamCalls = 0;
  let handedOff = false;
  let hedged = false;
  let budgetError: GatewayError | undefined;
  const debug = router.debugEnabled();

  /** One call to `candidate`; resolves with its first answer (whole response, or first stream event). */
  const attempt = async (candidate: RoutingCandidate, signal: AbortSignal): Promise<StartedAttempt> => {
    if (!candidate.breaker.acquire(performance.now())) throw new CandidateSkipped();
    upstreamCalls++;
    const startedAt = performance.now();
    candidate.stats.inFlight++;
    let kept = false;
    try {
      const outcome = await runAttempt(candidate, request, signal, deps);
      if (outcome.type === 'response') {
        recordFirstAnswer(candidate, performance.now() - startedAt, false);
        candidate.stats.recordOutcome(false);
        return { type: 'response', candidate, response: outcome.response };
      }
      const iterator = outcome.events[Symbol.asyncIterator]();
      const first = await iterator.next();
      recordFirstAnswer(candidate, performance.now() - startedAt, true);
      kept = true;
      return { type: 'stream', candidate, first, iterator, startedAt };
    } catch (error) {
      const failure = recordFailure(candidate, error);
      const lost = failure.kind === 'cancelled' && !context.signal.aborted && !deadline.signal.aborted;
      // A hedge loser had not answered after this long: recorded so lowest-latency routing learns it is slow.
      if (lost) candidate.stats.recordNoAnswerAfter(performance.now() - startedAt, request.stream, performance.now());
      records.push({
        provider: candidate.provider.settings.name,
        model: candidate.model,
        outcome: lost ? 'lost_hedge' : 'failed',
        status: error instanceof GatewayError ? error.status : undefined,
        reason: failure.reason,
        ms: Math.round(performance.now() - startedAt),
      });
      throw error;
    } finally {
      if (!kept) candidate.stats.inFlight--;
    }
  };

  const recordFirstAnswer = (candidate: RoutingCandidate, ms: number, streamed: boolean): void => {
    candidate.stats.recordFirstAnswer(ms, streamed, performance.now());
    candidate.breaker.onSuccess();
    router.prober.recordTrafficSuccess(candidate.provider.settings.name);
  };

  const recordFailure = (candidate: RoutingCandidate, error: unknown): ClassifiedFailure => {
    // An attempt cut short by the deadline says nothing about the upstream's health.
    const failure = deadline.signal.aborted && !context.signal.aborted ? classifyFailure(deadlineError(deadlineMs)) : classifyFailure(error);
    if (failure.countsAgainstHealth) {
      candidate.breaker.onFailure(performance.now());
      candidate.stats.recordOutcome(true);
    } else {
      candidate.breaker.onNeutral();
      if (failure.kind === 'rate_limited' && failure.retryAfterMs !== undefined) {
        candidate.stats.rateLimitedUntil = Math.max(candidate.stats.rateLimitedUntil, performance.now() + failure.retryAfterMs);
      }
    }
    return failure;
  };

  const release = (started: StartedAttempt): void => {
    if (started.type !== 'stream') return;
    started.candidate.stats.inFlight--;
    void started.iterator.return?.().catch(() => {});
  };

  const selectionNow = (): SelectionRequest => {
    const now = performance.now();
    return { streamed: request.stream, now, exploreAfterMs: router.config.exploreAfterMs, remainingMs: deadline.at - now };
  };

  const hedgeDelayMs = (candidate: RoutingCandidate): number => {
    const hedge = route.settings.hedge!;
    if (hedge.afterMs !== undefined) return hedge.afterMs;
    return candidate.stats.sampleCount() >= hedge.minSamples ? candidate.stats.p95FirstAnswerMs() : hedge.fallbackMs;
  };

  try {
    let index = selection.first;
    while (index >= 0) {
      tried[index] = 1;
      const candidate = candidates[index]!;
      let retriesDone = 0;
      for (;;) {
        let started: StartedAttempt;
        try {
          let hedgeIndex = -1;
          if (route.settings.hedge !== undefined && !hedged && retriesDone === 0 && upstreamCalls + 2 <= retries.maxAttempts) {
            eligible ??= new Uint8Array(candidates.length);
            hedgeIndex = route.selectNext(selectionNow(), tried, index, eligible);
          }
          if (hedgeIndex >= 0) {
            hedged = true;
            tried[hedgeIndex] = 1;
            const secondary = candidates[hedgeIndex]!;
            const delay = hedgeDelayMs(candidate);
            const result = await runHedged<StartedAttempt>({
              primary: (signal) => attempt(candidate, signal),
              secondary: (signal) => {
                if (debug) router.log?.debug({ requestId: context.requestId, primary: candidate.key, secondary: secondary.key, afterMs: Math.round(delay) }, 'routing: hedge fired');
                return attempt(secondary, signal);
              },
              hedgeAfterMs: delay,
              signal: deadline.signal,
              discard: release,
            });
            started = result.value;
          } else {
            // The request's own signal: the deadline, then (once a stream is handed over) the caller's cancellation.
            started = await attempt(candidate, deadline.signal);
          }
        } catch (error) {
          if (error instanceof CandidateSkipped) {
            records.push({ provider: candidate.provider.settings.name, model: candidate.model, outcome: 'skipped', reason: 'circuit breaker trial in use' });
            break;
          }
          if (context.signal.aborted) throw error; // the caller went away: silent
          if (deadline.signal.aborted || deadline.expired()) throw deadlineError(deadlineMs, { tried: records });
          const failure = classifyFailure(error);
          if (failure.kind === 'budget') budgetError = error as GatewayError;
          const decision = upstreamCalls >= retries.maxAttempts ? { action: 'stop' as const } : decideRetry(failure, retriesDone, deadline.remainingMs(), retries, router.random);
          if (debug) {
            router.log?.debug({ requestId: context.requestId, candidate: candidate.key, failure: failure.reason, decision: decision.action }, 'routing: attempt failed');
          }
          if (!failure.retryable) throw error; // the caller's own error: no retry, no fallback
          if (decision.action === 'stop') throw exhausted(records, route.name ?? request.model, budgetError);
          if (decision.action === 'retry') {
            try {
              await sleep(decision.delayMs, deadline.signal);
            } catch (sleepError) {
              if (context.signal.aborted) throw sleepError;
              throw deadlineError(deadlineMs, { tried: records });
            }
            retriesDone++;
            continue;
          }
          break; // next candidate
        }

        handedOff = true;
        return served(started);
      }
      if (upstreamCalls >= retries.maxAttempts) break;
      eligible ??= new Uint8Array(candidates.length);
      const health = selectionNow();
      index = route.selectNext(health, tried, index, eligible);
      if (index < 0) {
        for (let i = 0; i < candidates.length; i++) {
          if (tried[i] !== 0) continue;
          const reason = route.whySkipped(i, health);
          if (reason !== undefined) records.push({ provider: candidates[i]!.provider.settings.name, model: candidates[i]!.model, outcome: 'skipped', reason });
        }
      } else if (debug) {
        router.log?.debug({ requestId: context.requestId, next: candidates[index]!.key }, 'routing: falling back');
      }
    }
    if (deadline.expired()) throw deadlineError(deadlineMs, { tried: records });
    throw exhausted(records, route.name ?? request.model, budgetError);
  } finally {
    if (!handedOff) deadline.dispose();
  }

  function served(started: StartedAttempt): GatewayResult {
    const candidate = started.candidate;
    const servedBy: ServedBy = { provider: candidate.provider.settings.name, model: candidate.model, attempts: upstreamCalls, cache: 'BYPASS' };
    if (debug) router.log?.debug({ requestId: context.requestId, served: candidate.key, attempts: upstreamCalls }, 'routing: served');
    if (started.type === 'response') {
      deadline.dispose();
      return { type: 'response', response: started.response, servedBy };
    }
    // The response has started: the deadline no longer applies, the caller's cancellation still does.
    deadline.stopClock();
    return { type: 'stream', events: relay(started, deadline, context.signal), servedBy };
  }
}

/**
 * Passes a started stream on, and settles the candidate's statistics when it ends or dies. If
 * the caller goes away before iterating at all (a generator that never started runs no
 * `finally`), the upstream is released from the caller's abort instead.
 */
function relay(started: Extract<StartedAttempt, { type: 'stream' }>, deadline: Deadline, callerSignal: AbortSignal): AsyncIterable<StreamEvent> {
  const { candidate, iterator } = started;
  let begun = false;
  let settled = false;
  const settle = (): void => {
    if (settled) return;
    settled = true;
    candidate.stats.inFlight--;
    deadline.dispose();
  };
  const onAbortBeforeStart = (): void => {
    if (begun) return;
    settle();
    void iterator.return?.()?.catch(() => {});
  };
  callerSignal.addEventListener('abort', onAbortBeforeStart, { once: true });

  async function* events(): AsyncGenerator<StreamEvent> {
    begun = true;
    callerSignal.removeEventListener('abort', onAbortBeforeStart);
    if (settled) return;
    let done = started.first.done === true;
    try {
      if (!done) yield started.first.value;
      while (!done) {
        const next = await iterator.next();
        if (next.done) {
          done = true;
          break;
        }
        yield next.value;
      }
      candidate.stats.recordOutcome(false);
    } catch (error) {
      const failure = classifyFailure(error);
      if (failure.countsAgainstHealth) {
        candidate.breaker.onFailure(performance.now());
        candidate.stats.recordOutcome(true);
      }
      done = true;
      throw error;
    } finally {
      settle();
      if (!done) await iterator.return?.();
    }
  }
  return events();
}

function exhausted(records: AttemptRecord[], what: string, budgetError: GatewayError | undefined): GatewayError {
  const failed = records.filter((r) => r.outcome === 'failed');
  // Every candidate refused by a budget: the budget's own 429 says which one and when it resets.
  if (budgetError !== undefined && failed.every((r) => r.reason?.startsWith('budget:'))) return budgetError;
  const list = records.map((r) => `${r.provider}/${r.model}: ${r.outcome}${r.reason ? ` (${r.reason})` : ''}`).join('; ');
  if (failed.length > 0 && failed.every((r) => r.status === 429)) {
    return new GatewayError('upstreamRateLimited', `Every candidate for "${what}" is rate limited: ${list}`, { details: { tried: records } });
  }
  return new GatewayError('noCandidates', `Every candidate for "${what}" failed: ${list}`, { details: { tried: records } });
}
