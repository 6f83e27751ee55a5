/**
 * Carries out a router plan: tries the chosen candidate, retries retryable failures with
 * backoff (honouring Retry-After), falls back to the next candidate the strategy picks, hedges
 * on routes that opt in, and stops at the deadline with a 504. The caller's own 4xx goes back
 * at once. A stream is handed to the door only once its first token is in hand, so a failure
 * before any output can still be retried elsewhere; after that nothing is retried, and a death
 * mid-stream reaches the client as an error event. A forwarded stream (bytes) is also offered to
 * the door when its upstream accepts it (`RequestContext.streamAcceptor`), so its first output
 * goes out in the read that brought it; the door gets no chunk of it unless it produces output.
 *
 * Each upstream call goes through the gateway's attempt runner (metrics, in-flight accounting,
 * budgets); this module adds the routing state around it: breaker, statistics, passive health.
 */
import { tapBytes, type ByteStream } from '../core/byte-stream';
import type { CancelSignal } from '../core/cancellation';
import type { GatewayRequest, GatewayResponse, StreamEvent } from '../../shared/gateway';
import { GatewayError, isGatewayError } from '../core/errors';
import type { AttemptAcceptor, AttemptRunner, AttemptWhere, GatewayResult, RequestContext, ServedBy } from '../core/pipeline';
import type { CompiledRoute, RoutingCandidate, SelectionRequest } from './compiled-route';
import { Deadline } from './deadline';
import { runHedged } from './hedge';
import { rateLimitRetryAfterMs } from './retry-after';
import { classifyFailure, decideRetry, deadlineError, sleep, type ClassifiedFailure, type RetryDecision } from './retry-policy';
import type { Router, RouteSelection } from './router';
import type { RouteTally } from './route-tally';

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
  | { type: 'stream'; candidate: RoutingCandidate; first: IteratorResult<StreamEvent>; iterator: AsyncIterator<StreamEvent>; startedAt: number }
  | { type: 'bytes'; candidate: RoutingCandidate; bytes: ByteStream };

/** The breaker refused (it opened during a retry's wait, or its half-open trial was taken meanwhile): not an attempt. */
class CandidateSkipped extends Error {}

export function executeRoutedPlan(selection: RouteSelection, request: GatewayRequest, context: RequestContext, attempts: AttemptRunner): Promise<GatewayResult> {
  return new PlanExecution(selection, request, context, attempts).run();
}

/** The state of one request's way through its route's candidates. One object per request, no closures. */
class PlanExecution implements AttemptAcceptor {
  private readonly router: Router;
  private readonly route: CompiledRoute;
  private readonly deadline: Deadline;
  private readonly debug: boolean;
  private readonly where: AttemptWhere;
  /** What got this request to the candidate that served it: the request's first try, a retry or a fallback. */
  private lastMove: 'first' | 'retry' | 'fallback' = 'first';
  /** Attempts and skips, made only once something failed. */
  private records: AttemptRecord[] | undefined;
  /** Candidates already tried (allocated at the first fallback). */
  private tried: Uint8Array | undefined;
  private upstreamCalls = 0;
  private hedged = false;
  /** The last error saying a candidate cannot take this request (budget, unsupported), returned when no candidate could. */
  private candidateError: GatewayError | undefined;
  /** The candidate of the attempt under way (for `attemptAccepted`; hedged attempts are not offered). */
  private current: RoutingCandidate | undefined;
  /** The stream last offered to the door, as the attempt gave it and as the door got it (with the route's taps). */
  private offeredBytes: ByteStream | undefined;
  private offeredRelay: ByteStream | undefined;

  constructor(
    private readonly selection: RouteSelection,
    private readonly request: GatewayRequest,
    private readonly context: RequestContext,
    private readonly attempts: AttemptRunner,
  ) {
    this.router = selection.router;
    this.route = selection.route;
    this.deadline = new Deadline(selection.deadlineMs, context.receivedAt, context.signal);
    this.debug = this.router.debugEnabled();
    this.where = { routeName: this.route.name, door: context.door, report: context.report, forward: context.forward };
    if (context.forward !== undefined && context.streamAcceptor !== undefined) this.where.acceptor = this;
  }

  async run(): Promise<GatewayResult> {
    const { route, deadline, context } = this;
    const { retries, tally } = route.settings;
    tally.requests++;
    let handedOff = false;
    try {
      let index = this.selection.first;
      while (index >= 0) {
        const candidate = route.candidates[index]!;
        if (this.tried !== undefined) this.tried[index] = 1;
        let retriesDone = 0;
        for (;;) {
          let started: StartedAttempt;
          try {
            const hedgeIndex = route.settings.hedge !== undefined && !this.hedged && retriesDone === 0 && this.upstreamCalls + 2 <= retries.maxAttempts ? this.nextCandidate(index) : -1;
            started = hedgeIndex >= 0 ? await this.hedge(candidate, hedgeIndex) : await this.attempt(candidate, deadline.signal);
          } catch (error) {
            if (error instanceof CandidateSkipped) {
              this.countLoss(tally); // a retry or fallback the breaker refused is lost too
              const state = candidate.breaker.state(performance.now());
              const reason = state === 'half_open' ? 'circuit breaker half-open, its one trial already taken' : `circuit breaker ${state}`;
              this.record({ provider: candidate.provider.settings.name, model: candidate.model, outcome: 'skipped', reason });
              break;
            }
            if (context.signal.aborted) throw error; // the caller went away: silent
            this.countLoss(tally);
            if (deadline.signal.aborted || deadline.expired()) throw deadlineError(deadline.budgetMs, { tried: this.records ?? [] });
            const failure = classifyFailure(error);
            if (failure.kind === 'candidate') this.candidateError = error as GatewayError;
            const decision: RetryDecision =
              this.upstreamCalls >= retries.maxAttempts ? { action: 'stop' } : decideRetry(failure, retriesDone, deadline.remainingMs(), retries, this.router.random);
            if (this.debug) {
              this.router.log?.debug({ requestId: context.requestId, candidate: candidate.key, failure: failure.reason, decision: decision.action }, 'routing: attempt failed');
            }
            if (!failure.retryable) throw error; // the caller's own error: no retry, no fallback
            if (decision.action === 'stop') throw this.exhausted();
            if (decision.action === 'retry') {
              try {
                await sleep(decision.delayMs, deadline.signal);
              } catch (sleepError) {
                if (context.signal.aborted) throw sleepError;
                throw deadlineError(deadline.budgetMs, { tried: this.records ?? [] });
              }
              retriesDone++;
              tally.retries++;
              this.lastMove = 'retry';
              continue;
            }
            break; // next candidate
          }
          handedOff = true;
          return this.served(started);
        }
        if (this.upstreamCalls >= retries.maxAttempts) break;
        index = this.nextCandidate(index);
        if (index < 0) this.recordSkippedRest();
        else {
          tally.fallbacks++;
          this.lastMove = 'fallback';
        }
        if (index >= 0 && this.debug) this.router.log?.debug({ requestId: context.requestId, next: route.candidates[index]!.key }, 'routing: falling back');
      }
      if (deadline.expired()) throw deadlineError(deadline.budgetMs, { tried: this.records ?? [] });
      throw this.exhausted();
    } catch (error) {
      if (isGatewayError(error) && error.code === 'deadlineExceeded') tally.deadlineExceeded++;
      else if (!context.signal.aborted) tally.failed++;
      throw error;
    } finally {
      if (!handedOff) deadline.dispose();
    }
  }

  /** One call to `candidate`; resolves with its first answer (the whole response, or the first stream event). */
  private async attempt(candidate: RoutingCandidate, signal: CancelSignal): Promise<StartedAttempt> {
    if (!candidate.breaker.acquire(performance.now())) throw new CandidateSkipped();
    this.upstreamCalls++;
    this.current = candidate;
    const startedAt = performance.now();
    const stats = candidate.stats;
    stats.inFlight++;
    let kept = false;
    try {
      const request = this.context.adaptRequest?.(this.request, candidate) ?? this.request;
      const outcome = await this.attempts.run(candidate, request, signal, this.where);
      if (outcome.type === 'response') {
        this.recordFirstAnswer(candidate, performance.now() - startedAt, false);
        stats.recordOutcome(false);
        return { type: 'response', candidate, response: outcome.response };
      }
      if (outcome.type === 'bytes') {
        // The provider settled with the first event in hand: the same moment as `first` below.
        this.recordFirstAnswer(candidate, performance.now() - startedAt, true);
        kept = true;
        return { type: 'bytes', candidate, bytes: outcome.bytes };
      }
      const iterator = outcome.events[Symbol.asyncIterator]();
      const first = await iterator.next();
      this.recordFirstAnswer(candidate, performance.now() - startedAt, true);
      kept = true;
      return { type: 'stream', candidate, first, iterator, startedAt };
    } catch (error) {
      const failure = this.recordFailure(candidate, error);
      const lost = failure.kind === 'cancelled' && !this.context.signal.aborted && !this.deadline.signal.aborted;
      // A hedge loser had not answered after this long: recorded so lowest-latency routing learns it is slow.
      if (lost) stats.recordNoAnswerAfter(performance.now() - startedAt, this.request.stream, performance.now());
      this.record({
        provider: candidate.provider.settings.name,
        model: candidate.model,
        outcome: lost ? 'lost_hedge' : 'failed',
        status: error instanceof GatewayError ? error.status : undefined,
        reason: failure.reason,
        ms: Math.round(performance.now() - startedAt),
      });
      throw error;
    } finally {
      if (!kept) stats.inFlight--;
    }
  }

  /** A forwarded stream's upstream accepted it: offered to the door with the route's taps on (see the file comment). */
  attemptAccepted(bytes: ByteStream): void {
    const acceptor = this.context.streamAcceptor;
    if (acceptor === undefined || this.hedged) return;
    const candidate = this.current!;
    const relayed = relayBytes(bytes, candidate, this.deadline, this.context.signal);
    this.offeredBytes = bytes;
    this.offeredRelay = relayed;
    acceptor.streamAccepted(relayed, this.servedBy(candidate));
  }

  /** The primary and, after its recent p95 without an answer, the hedge; the first to answer is served. */
  private async hedge(primary: RoutingCandidate, secondaryIndex: number): Promise<StartedAttempt> {
    this.hedged = true;
    this.tried![secondaryIndex] = 1;
    const secondary = this.route.candidates[secondaryIndex]!;
    const delay = this.hedgeDelayMs(primary);
    let secondaryStarted = false;
    try {
      const result = await runHedged<StartedAttempt>({
        primary: (signal) => this.attempt(primary, signal),
        secondary: (signal) => {
          secondaryStarted = true;
          this.route.settings.tally.hedges++;
          if (this.debug) {
            this.router.log?.debug({ requestId: this.context.requestId, primary: primary.key, secondary: secondary.key, afterMs: Math.round(delay) }, 'routing: hedge fired');
          }
          return this.attempt(secondary, signal);
        },
        hedgeAfterMs: delay,
        signal: this.deadline.signal,
        discard: releaseStarted,
      });
      if (result.winner === 1) this.route.settings.tally.hedgeWins++;
      else if (secondaryStarted) this.route.settings.tally.hedgeLosses++;
      return result.value;
    } catch (error) {
      if (secondaryStarted && !this.context.signal.aborted) this.route.settings.tally.hedgeLosses++;
      if (!secondaryStarted) {
        // The primary failed before the hedge was due: the other candidate is still untried, and may be hedged to later.
        this.tried![secondaryIndex] = 0;
        this.hedged = false;
      }
      throw error;
    }
  }

  /** The attempt a retry or a fallback led to has failed: that retry or fallback is lost. */
  private countLoss(tally: RouteTally): void {
    if (this.lastMove === 'retry') tally.retryLosses++;
    else if (this.lastMove === 'fallback') tally.fallbackLosses++;
    this.lastMove = 'first';
  }

  private hedgeDelayMs(candidate: RoutingCandidate): number {
    const hedge = this.route.settings.hedge!;
    if (hedge.afterMs !== undefined) return hedge.afterMs;
    return candidate.stats.sampleCount() >= hedge.minSamples ? candidate.stats.p95FirstAnswerMs() : hedge.fallbackMs;
  }

  /** The strategy's next choice with the candidates tried so far excluded, on health as it is now; -1 if none. */
  private nextCandidate(lastIndex: number): number {
    const n = this.route.candidates.length;
    if (this.tried === undefined) {
      this.tried = new Uint8Array(n);
      this.tried[this.selection.first] = 1;
      this.tried[lastIndex] = 1;
    }
    return this.route.selectNext(this.selectionNow(), this.tried, lastIndex);
  }

  private selectionNow(): SelectionRequest {
    const now = performance.now();
    return {
      streamed: this.request.stream,
      now,
      exploreAfterMs: this.router.config.exploreAfterMs,
      remainingMs: this.deadline.at - now,
      excluded: this.selection.excluded,
      localOnly: this.context.directives.localOnly === true,
    };
  }

  private recordFirstAnswer(candidate: RoutingCandidate, ms: number, streamed: boolean): void {
    candidate.stats.recordFirstAnswer(ms, streamed, performance.now());
    // A stream's outcome is told to the breaker when it ends (see `relay`): it may still die part-way.
    if (!streamed) candidate.breaker.onSuccess();
    if (candidate.health.status !== 'up') this.router.prober.recordTrafficSuccess(candidate.provider.settings.name);
  }

  private recordFailure(candidate: RoutingCandidate, error: unknown): ClassifiedFailure {
    // An attempt cut short by the deadline says nothing about the upstream's health.
    const cutByDeadline = this.deadline.signal.aborted && !this.context.signal.aborted;
    const failure = classifyFailure(cutByDeadline ? deadlineError(this.deadline.budgetMs) : error);
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
  }

  private record(record: AttemptRecord): void {
    (this.records ??= []).push(record);
  }

  /** Lists why each candidate never tried was left out (for the 503). */
  private recordSkippedRest(): void {
    const health = this.selectionNow();
    const candidates = this.route.candidates;
    for (let i = 0; i < candidates.length; i++) {
      if (this.tried![i] !== 0) continue;
      const reason = this.route.whySkipped(i, health);
      if (reason !== undefined) this.record({ provider: candidates[i]!.provider.settings.name, model: candidates[i]!.model, outcome: 'skipped', reason });
    }
  }

  private served(started: StartedAttempt): GatewayResult {
    const candidate = started.candidate;
    const tally = this.route.settings.tally;
    tally.served++;
    if (this.lastMove === 'retry') tally.retryWins++;
    else if (this.lastMove === 'fallback') tally.fallbackWins++;
    const servedBy = this.servedBy(candidate);
    if (this.debug) this.router.log?.debug({ requestId: this.context.requestId, served: candidate.key, attempts: this.upstreamCalls }, 'routing: served');
    if (started.type === 'response') {
      this.deadline.dispose();
      return { type: 'response', response: started.response, servedBy };
    }
    // The response has started: the deadline no longer applies, the caller's cancellation still does.
    this.deadline.stopClock();
    if (started.type === 'bytes') {
      const bytes = this.offeredBytes === started.bytes ? this.offeredRelay! : relayBytes(started.bytes, candidate, this.deadline, this.context.signal);
      return { type: 'bytes', bytes, servedBy };
    }
    return { type: 'stream', events: relay(started, this.deadline, this.context.signal), servedBy };
  }

  private servedBy(candidate: RoutingCandidate): ServedBy {
    return { provider: candidate.provider.settings.name, model: candidate.model, attempts: this.upstreamCalls, cache: 'BYPASS' };
  }

  private exhausted(): GatewayError {
    const records = this.records ?? [];
    const what = this.route.name ?? this.request.model;
    const failed = records.filter((r) => r.outcome === 'failed');
    // No candidate could take it (budgets spent, protocol cannot do it): that error says why, and what to do.
    if (this.candidateError !== undefined && failed.every((r) => /^(budget|unsupported): /.test(r.reason ?? ''))) return this.candidateError;
    const list = records.map((r) => `${r.provider}/${r.model}: ${r.outcome}${r.reason ? ` (${r.reason})` : ''}`).join('; ');
    if (failed.length > 0 && failed.every((r) => r.status === 429)) {
      // The caller may try again when the first candidate's Retry-After has passed.
      return new GatewayError('upstreamRateLimited', `Every candidate for "${what}" is rate limited: ${list}`, { details: { tried: records }, retryAfterMs: rateLimitRetryAfterMs(this.route.candidates, performance.now()) });
    }
    return new GatewayError('noCandidates', `Every candidate for "${what}" failed: ${list}`, { details: { tried: records } });
  }
}

/** Closes a started attempt that lost the race after all (it answered just after the winner). */
function releaseStarted(started: StartedAttempt): void {
  if (started.type === 'response') return;
  started.candidate.stats.inFlight--;
  started.candidate.breaker.onNeutral();
  if (started.type === 'bytes') started.bytes.release();
  else void started.iterator.return?.()?.catch(() => {});
}

/** The candidate's side of a stream's end, shared by event and byte streams; see `relay`. */
class StreamSettlement {
  private settled = false;
  private outcomeKnown = false;

  constructor(
    private readonly candidate: RoutingCandidate,
    private readonly deadline: Deadline,
  ) {}

  succeed(): void {
    if (this.outcomeKnown) return;
    this.outcomeKnown = true;
    this.candidate.stats.recordOutcome(false);
    this.candidate.breaker.onSuccess();
  }

  /** The upstream died part-way; a caller that left says nothing about the provider. */
  failed(error: unknown): void {
    if (this.outcomeKnown || !classifyFailure(error).countsAgainstHealth) return;
    this.outcomeKnown = true;
    this.candidate.breaker.onFailure(performance.now());
    this.candidate.stats.recordOutcome(true);
  }

  settle(): void {
    if (this.settled) return;
    this.settled = true;
    this.candidate.stats.inFlight--;
    this.deadline.dispose();
    // Left before the end: neither success nor failure, but a half-open trial is free again.
    if (!this.outcomeKnown) this.candidate.breaker.onNeutral();
  }
}

/**
 * A byte stream with the candidate's outcome settled as it passes (see `relay`): the end is a
 * success before the consumer sees it, a failure counts against the candidate's health. A
 * caller that goes away before starting it releases the upstream. A failure before the first
 * output never reaches these taps (`ByteStream.start`): the attempt records it.
 */
function relayBytes(bytes: ByteStream, candidate: RoutingCandidate, deadline: Deadline, callerSignal: CancelSignal): ByteStream {
  const settlement = new StreamSettlement(candidate, deadline);
  const onAbortBeforeStart = (): void => stream.release(callerSignal.reason);
  callerSignal.addEventListener('abort', onAbortBeforeStart, { once: true });
  const stream = tapBytes(bytes, {
    start: () => callerSignal.removeEventListener('abort', onAbortBeforeStart),
    end: () => {
      settlement.succeed();
      settlement.settle();
    },
    fail: (error) => {
      settlement.failed(error);
      settlement.settle();
    },
  });
  return stream;
}

/**
 * Passes a started stream on, and settles the candidate's outcome where it becomes known: a
 * success when the `end` event comes through (before the caller sees it: a door stops reading
 * at that event, and what it does not read must not decide the outcome), a failure when the
 * upstream dies part-way. A caller that leaves mid-stream says nothing about the provider. If
 * the caller goes away before iterating at all (a generator that never started runs no
 * `finally`), the upstream is released from the caller's abort instead.
 */
function relay(started: Extract<StartedAttempt, { type: 'stream' }>, deadline: Deadline, callerSignal: CancelSignal): AsyncIterable<StreamEvent> {
  const { iterator } = started;
  const settlement = new StreamSettlement(started.candidate, deadline);
  let begun = false;
  let released = false;
  const onAbortBeforeStart = (): void => {
    if (begun) return;
    released = true;
    settlement.settle();
    void iterator.return?.()?.catch(() => {});
  };
  callerSignal.addEventListener('abort', onAbortBeforeStart, { once: true });

  async function* events(): AsyncGenerator<StreamEvent> {
    begun = true;
    callerSignal.removeEventListener('abort', onAbortBeforeStart);
    if (released) return;
    let done = started.first.done === true;
    try {
      if (!done) {
        if (started.first.value.type === 'end') settlement.succeed();
        yield started.first.value;
      }
      while (!done) {
        const next = await iterator.next();
        if (next.done) {
          done = true;
          break;
        }
        if (next.value.type === 'end') settlement.succeed();
        yield next.value;
      }
    } catch (error) {
      settlement.failed(error);
      done = true;
      throw error;
    } finally {
      settlement.settle();
      if (!done) await iterator.return?.();
    }
  }
  return events();
}
