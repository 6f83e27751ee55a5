import type { GatewayRequest, StreamEvent } from '../../shared/gateway';
import type { GatewayMetrics } from '../observability/metrics';
import type { AttemptBudgets, Reservation } from '../budgets/budget-service';
import { isAbortError, isGatewayError } from '../core/errors';
import type { AttemptOutcome, AttemptRunner, Candidate } from '../core/pipeline';

export interface AttemptDeps {
  metrics: GatewayMetrics;
  /** Budgets, when configured: reserve before the call, commit after, release on failure. */
  budgets?: AttemptBudgets;
}

/** The runner the route executor calls for each attempt, bound once to the daemon's metrics and budgets. */
export function attemptRunner(deps: AttemptDeps): AttemptRunner {
  return { run: (candidate, request, signal, routeName) => runAttempt(candidate, request, signal, deps, routeName) };
}

/**
 * One call to one candidate: the provider call itself, with in-flight accounting and the
 * latency, time-to-first-token, token and error metrics. Budgets reserve before and commit
 * after in this same place, so every attempt is accounted once.
 */
export async function runAttempt(
  candidate: Candidate,
  request: GatewayRequest,
  signal: AbortSignal,
  deps: AttemptDeps,
  /** The route the candidate was chosen on (budgets scoped to a pool count it). */
  routeName?: string,
): Promise<AttemptOutcome> {
  const { provider, model } = candidate;
  const providerName = provider.settings.name;
  const inFlight = deps.metrics.inFlight.labels(providerName);
  const started = performance.now();
  const call = { request, model, signal };
  // Budgets: a 429 here, before anything is sent upstream; the reservation is settled below.
  const reservation = await deps.budgets?.reserve(candidate, request, routeName);
  inFlight.inc();

  if (!request.stream) {
    try {
      const response = await provider.complete(call);
      await reservation?.commit(response.usage);
      const seconds = (performance.now() - started) / 1000;
      deps.metrics.requestDuration.labels(providerName, model, 'false').observe(seconds);
      deps.metrics.timeToFirstToken.labels(providerName, model).observe(seconds);
      countTokens(deps.metrics, providerName, model, response.usage.promptTokens, response.usage.completionTokens);
      return { type: 'response', response };
    } catch (error) {
      reservation?.release();
      countError(deps.metrics, providerName, model, error);
      throw error;
    } finally {
      inFlight.dec();
    }
  }

  let events: AsyncIterable<StreamEvent>;
  try {
    events = await provider.stream(call);
  } catch (error) {
    reservation?.release();
    inFlight.dec();
    countError(deps.metrics, providerName, model, error);
    throw error;
  }
  return { type: 'stream', events: observeStream(events, candidate, started, deps, reservation) };
}

/**
 * Passes a stream through, recording its metrics and settling its budget reservation: usage is
 * committed from the final `end` event before the client sees it (from an estimate of the text
 * when the provider reported none), and the reservation is released if the stream fails or the
 * client leaves first.
 */
async function* observeStream(
  events: AsyncIterable<StreamEvent>,
  candidate: Candidate,
  started: number,
  deps: AttemptDeps,
  reservation: Reservation | undefined,
): AsyncGenerator<StreamEvent> {
  const providerName = candidate.provider.settings.name;
  let firstTokenSeen = false;
  let text = '';
  try {
    for await (const event of events) {
      if (event.type === 'end') {
        deps.metrics.requestDuration.labels(providerName, candidate.model, 'true').observe((performance.now() - started) / 1000);
        if (event.usage) countTokens(deps.metrics, providerName, candidate.model, event.usage.promptTokens, event.usage.completionTokens);
        await reservation?.commit(event.usage, text);
      } else {
        if (!firstTokenSeen) {
          firstTokenSeen = true;
          deps.metrics.timeToFirstToken.labels(providerName, candidate.model).observe((performance.now() - started) / 1000);
        }
        if (reservation !== undefined && event.type === 'text') text += event.text;
      }
      yield event;
    }
  } catch (error) {
    countError(deps.metrics, providerName, candidate.model, error);
    throw error;
  } finally {
    reservation?.release();
    deps.metrics.inFlight.labels(providerName).dec();
  }
}

function countTokens(metrics: GatewayMetrics, provider: string, model: string, prompt: number, completion: number): void {
  metrics.tokensTotal.labels(provider, model, 'input').inc(prompt);
  metrics.tokensTotal.labels(provider, model, 'output').inc(completion);
}

function countError(metrics: GatewayMetrics, provider: string, model: string, error: unknown): void {
  if (isAbortError(error)) return;
  metrics.upstreamErrors.labels(provider, model, isGatewayError(error) ? error.code : 'internal').inc();
}
