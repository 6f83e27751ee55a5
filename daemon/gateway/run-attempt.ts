import { tapBytes, type ByteStream } from '../core/byte-stream';
import type { CancelSignal } from '../core/cancellation';
import type { GatewayRequest, StreamEvent, Usage } from '../../shared/gateway';
import type { GatewayMetrics } from '../observability/metrics';
import type { AttemptSeries } from '../observability/attempt-series';
import type { AttemptBudgets, Reservation } from '../budgets/budget-service';
import { isAbortError, isGatewayError } from '../core/errors';
import { DIRECT_ROUTE } from '../core/pipeline';
import type { AttemptAcceptor, AttemptOutcome, AttemptRunner, AttemptWhere, Candidate, RequestReport } from '../core/pipeline';
import type { ProviderCall } from '../core/provider';

export interface AttemptDeps {
  metrics: GatewayMetrics;
  /** Budgets, when configured: reserve before the call, commit after, release on failure. */
  budgets?: AttemptBudgets;
}

/** The runner the route executor calls for each attempt, bound once to the daemon's metrics and budgets. */
export function attemptRunner(deps: AttemptDeps): AttemptRunner {
  return { run: (candidate, request, signal, where) => runAttempt(candidate, request, signal, deps, where) };
}

/**
 * One call to one candidate: the provider call itself, with in-flight accounting and the
 * latency, time-to-first-token, time-per-output-token, token and error metrics. Budgets
 * reserve before and commit after in this same place, so every attempt is accounted once.
 */
export async function runAttempt(
  candidate: Candidate,
  request: GatewayRequest,
  signal: CancelSignal,
  deps: AttemptDeps,
  where: AttemptWhere,
): Promise<AttemptOutcome> {
  const { provider, model } = candidate;
  const series = deps.metrics.attemptSeries(provider.settings.name, model, where.routeName ?? DIRECT_ROUTE, where.door);
  const started = performance.now();
  const call = { request, model, signal };
  // Budgets: a 429 here, before anything is sent upstream; the reservation is settled below.
  const reservation = await deps.budgets?.reserve(candidate, request, where.routeName);
  series.inFlight.inc();

  if (!request.stream) {
    try {
      const response = await provider.complete(call);
      await reservation?.commit(response.usage);
      const seconds = (performance.now() - started) / 1000;
      series.wholeDuration.observe(seconds);
      series.timeToFirstToken.observe(seconds);
      series.inputTokens.inc(response.usage.promptTokens);
      series.outputTokens.inc(response.usage.completionTokens);
      report(where.report, seconds, response.usage.promptTokens, response.usage.completionTokens);
      return { type: 'response', response };
    } catch (error) {
      reservation?.release();
      countError(series, error);
      throw error;
    } finally {
      series.inFlight.dec();
    }
  }

  const forward = where.forward;
  if (forward !== undefined && provider.canForward?.(request, forward) === true) {
    // Accepted before its first output: the stream gets its taps then, so whoever starts it early counts through them.
    const taps = where.acceptor === undefined ? undefined : new AcceptedStreamTaps(where.acceptor, series, started, reservation, where.report);
    const forwardCall: ProviderCall = taps === undefined ? call : { request, model, signal, acceptor: taps };
    let bytes: ByteStream;
    try {
      bytes = await provider.forward!(forwardCall, forward);
    } catch (error) {
      // A failure before the first output is not told to the taps: it is counted here, once.
      return failedToStart(error, series, reservation);
    }
    if (bytes.produced) series.timeToFirstToken.observe((bytes.firstOutputAt - started) / 1000);
    return { type: 'bytes', bytes: taps?.accounted ?? accountBytes(bytes, series, started, reservation, where.report) };
  }

  let events: AsyncIterable<StreamEvent>;
  try {
    events = await provider.stream(call);
  } catch (error) {
    return failedToStart(error, series, reservation);
  }
  return { type: 'stream', events: observeStream(events, series, started, reservation, where.report) };
}

/** Puts the attempt's taps on a forwarded stream when its upstream accepts it, and tells the route. */
class AcceptedStreamTaps {
  /** The stream with the taps on, once accepted. */
  accounted: ByteStream | undefined;

  constructor(
    private readonly acceptor: AttemptAcceptor,
    private readonly series: AttemptSeries,
    private readonly started: number,
    private readonly reservation: Reservation | undefined,
    private readonly requestReport: RequestReport | undefined,
  ) {}

  accepted(raw: ByteStream): void {
    this.accounted = accountBytes(raw, this.series, this.started, this.reservation, this.requestReport);
    this.acceptor.attemptAccepted(this.accounted);
  }
}

/**
 * Passes a stream through, recording its metrics and settling its budget reservation: usage is
 * committed from the final `end` event before the client sees it (from an estimate of the text
 * when the provider reported none). A stream that ends early is settled by what it produced:
 * one cut after output began (the client left, the upstream died part-way, a hedge's loser that
 * had answered) is charged for its prompt and the output so far, estimated, because the
 * provider bills those tokens; one that produced nothing releases the reservation.
 */
async function* observeStream(
  events: AsyncIterable<StreamEvent>,
  series: AttemptSeries,
  started: number,
  reservation: Reservation | undefined,
  requestReport: RequestReport | undefined,
): AsyncGenerator<StreamEvent> {
  let firstTokenAt = 0;
  // The output so far, kept only to estimate a charge when the provider reports no usage.
  let text = '';
  let committed = false;
  try {
    for await (const event of events) {
      if (event.type === 'end') {
        recordStreamEnd(series, started, firstTokenAt, event.usage, requestReport);
        committed = true;
        await reservation?.commit(event.usage, text);
      } else {
        if (firstTokenAt === 0) {
          firstTokenAt = performance.now();
          series.timeToFirstToken.observe((firstTokenAt - started) / 1000);
        }
        if (reservation !== undefined) text += event.type === 'text' ? event.text : event.argumentsDelta;
      }
      yield event;
    }
  } catch (error) {
    countError(series, error);
    throw error;
  } finally {
    series.inFlight.dec();
    if (reservation !== undefined && !committed) await settleCutStream(reservation, firstTokenAt > 0, text);
  }
}

/**
 * `observeStream` for a byte stream: the same metrics and budget settlement, as a tap (the time
 * to the first token is observed where the attempt is handed on). The usage is what the upstream
 * reported, or an estimate from the text read out of the bytes. A failure before the first output
 * does not reach the tap (`ByteStream.start`): the attempt counts it.
 */
function accountBytes(
  bytes: ByteStream,
  series: AttemptSeries,
  started: number,
  reservation: Reservation | undefined,
  requestReport: RequestReport | undefined,
): ByteStream {
  return tapBytes(bytes, {
    end: ({ usage }) => {
      series.inFlight.dec();
      recordStreamEnd(series, started, bytes.firstOutputAt, usage, requestReport);
      if (reservation === undefined) return undefined;
      return reservation.commit(usage, usage === undefined ? bytes.text() : undefined);
    },
    fail: (error) => {
      series.inFlight.dec();
      countError(series, error);
      if (reservation !== undefined) void settleCutStream(reservation, bytes.produced, bytes.produced ? bytes.text() : '');
    },
  });
}

/** A stream's end, in the metrics and the request's report; `firstTokenAt` is 0 if it had no output. */
function recordStreamEnd(series: AttemptSeries, started: number, firstTokenAt: number, usage: Usage | undefined, requestReport: RequestReport | undefined): void {
  const now = performance.now();
  series.streamDuration.observe((now - started) / 1000);
  const output = usage?.completionTokens ?? 0;
  if (usage) {
    series.inputTokens.inc(usage.promptTokens);
    series.outputTokens.inc(output);
  }
  // The first token is not part of the steady rate: TPOT spans the tokens after it.
  if (firstTokenAt > 0 && output > 1) series.timePerOutputToken.observe((now - firstTokenAt) / 1000 / (output - 1));
  report(requestReport, firstTokenAt > 0 ? (firstTokenAt - started) / 1000 : undefined, usage?.promptTokens, usage?.completionTokens);
}

/** A stream that failed before it began: nothing to charge, and one error to count. */
function failedToStart(error: unknown, series: AttemptSeries, reservation: Reservation | undefined): never {
  reservation?.release();
  series.inFlight.dec();
  countError(series, error);
  throw error;
}

/** A stream that ended before its `end` event: charged for the output it produced, if any; else released. */
async function settleCutStream(reservation: Reservation, produced: boolean, text: string): Promise<void> {
  if (!produced) {
    reservation.release();
    return;
  }
  try {
    await reservation.commit(undefined, text);
  } catch {
    // The ledger's own failure (it reports its state on the budgets route) must not replace
    // the stream's outcome: the upstream's error, or a client that already left.
  }
}

function report(target: RequestReport | undefined, ttftSeconds: number | undefined, input: number | undefined, output: number | undefined): void {
  if (target === undefined) return;
  if (ttftSeconds !== undefined) target.ttftMs = Math.round(ttftSeconds * 10_000) / 10;
  target.inputTokens = input;
  target.outputTokens = output;
}

function countError(series: AttemptSeries, error: unknown): void {
  if (isAbortError(error)) return;
  series.countError(isGatewayError(error) ? error.code : 'internal');
}
