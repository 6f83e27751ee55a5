/**
 * A streamed attempt's bookkeeping (budget commit, latency and token metrics, in-flight gauge)
 * is settled when the `end` event passes, so a consumer that stops reading there, as every door
 * does, still commits what was spent. A stream cut before its end is charged for the output it
 * produced (a provider bills it), and releases the reservation only when it produced none.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GatewayRequest, StreamEvent, Usage } from '../../../shared/gateway';
import type { Reservation } from '../../../daemon/budgets/budget-service';
import type { Candidate } from '../../../daemon/core/pipeline';
import { runAttempt } from '../../../daemon/gateway/run-attempt';
import { GatewayError } from '../../../daemon/core/errors';
import { GatewayMetrics } from '../../../daemon/observability/metrics';
import type { Provider } from '../../../daemon/core/provider';

const request: GatewayRequest = { kind: 'chat', model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true, params: {} };

/** A provider whose stream yields two words and an end event, then takes a moment to finish (as a body's last bytes do). */
function candidateStreaming(): Candidate {
  const provider = {
    settings: { name: 'p' },
    async stream() {
      async function* events(): AsyncGenerator<StreamEvent> {
        yield { type: 'text', text: 'two ' };
        yield { type: 'text', text: 'words' };
        yield { type: 'end', finishReason: 'stop', usage: { promptTokens: 3, completionTokens: 2 } };
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return events();
    },
  } as unknown as Provider;
  return { provider, model: 'm', key: 'p/m' };
}

/** A provider whose stream yields `words`, then fails as an upstream that dies part-way. */
function candidateDying(words: string[]): Candidate {
  const provider = {
    settings: { name: 'p' },
    async stream() {
      async function* events(): AsyncGenerator<StreamEvent> {
        for (const text of words) yield { type: 'text', text };
        throw new GatewayError('upstreamError', 'the upstream closed the stream part-way');
      }
      return events();
    },
  } as unknown as Provider;
  return { provider, model: 'm', key: 'p/m' };
}

function recordingReservation() {
  const seen: { committed?: Usage; commits: number; outputText?: string; released: boolean; releasedBeforeCommit: boolean } = { commits: 0, released: false, releasedBeforeCommit: false };
  const reservation: Reservation = {
    async commit(usage, outputText) {
      seen.commits++;
      seen.committed = usage;
      seen.outputText = outputText;
    },
    release() {
      seen.released = true;
      if (seen.committed === undefined) seen.releasedBeforeCommit = true;
    },
  };
  return { seen, budgets: { reserve: async () => reservation } };
}

async function metricValue(metrics: GatewayMetrics, name: string, labels: Record<string, string>): Promise<number> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const match = metric?.values.find((v) => Object.entries(labels).every(([key, value]) => v.labels[key] === value));
  return match?.value ?? 0;
}

describe('a streamed attempt settles its bookkeeping at the end event', () => {
  it('a consumer that stops at the end event: usage committed, latency and tokens recorded, nothing in flight', async () => {
    const metrics = new GatewayMetrics();
    const { seen, budgets } = recordingReservation();
    const outcome = await runAttempt(candidateStreaming(), request, new AbortController().signal, { metrics, budgets }, { routeName: undefined, door: 'openai' });
    assert.equal(outcome.type, 'stream');
    if (outcome.type === 'stream') {
      for await (const event of outcome.events) if (event.type === 'end') break;
    }
    assert.deepEqual(seen.committed, { promptTokens: 3, completionTokens: 2 });
    assert.equal(seen.releasedBeforeCommit, false);
    const count = (await metrics.registry.getMetricsAsJSON())
      .find((m) => m.name === 'switchyard_request_duration_seconds')!
      .values.find((v) => (v as { metricName?: string }).metricName === 'switchyard_request_duration_seconds_count');
    assert.equal(count?.value, 1);
    assert.equal(await metricValue(metrics, 'switchyard_tokens_total', { provider: 'p', model: 'm', direction: 'output' }), 2);
    assert.equal(await metricValue(metrics, 'switchyard_in_flight_requests', { provider: 'p' }), 0);
  });

  it('a consumer that leaves after the first words: charged once for what it got, as an estimate (no usage was reported)', async () => {
    const metrics = new GatewayMetrics();
    const { seen, budgets } = recordingReservation();
    const outcome = await runAttempt(candidateStreaming(), request, new AbortController().signal, { metrics, budgets }, { routeName: undefined, door: 'openai' });
    if (outcome.type === 'stream') {
      for await (const event of outcome.events) if (event.type === 'text') break;
    }
    assert.equal(seen.commits, 1);
    assert.equal(seen.committed, undefined, 'no usage reported: the budget estimates it from the prompt and the text');
    assert.equal(seen.outputText, 'two ');
    assert.equal(seen.releasedBeforeCommit, false);
    assert.equal(await metricValue(metrics, 'switchyard_in_flight_requests', { provider: 'p' }), 0);
  });

  it('an upstream that dies part-way: charged for the words it produced, and its error still reaches the consumer', async () => {
    const metrics = new GatewayMetrics();
    const { seen, budgets } = recordingReservation();
    const outcome = await runAttempt(candidateDying(['three ', 'short ', 'words']), request, new AbortController().signal, { metrics, budgets }, { routeName: undefined, door: 'openai' });
    const got: string[] = [];
    await assert.rejects(async () => {
      if (outcome.type === 'stream') for await (const event of outcome.events) if (event.type === 'text') got.push(event.text);
    }, /part-way/);
    assert.deepEqual(got, ['three ', 'short ', 'words']);
    assert.equal(seen.commits, 1);
    assert.equal(seen.outputText, 'three short words');
    assert.equal(await metricValue(metrics, 'switchyard_in_flight_requests', { provider: 'p' }), 0);
  });

  it('an upstream that dies before any output: the reservation is released, nothing charged', async () => {
    const metrics = new GatewayMetrics();
    const { seen, budgets } = recordingReservation();
    const outcome = await runAttempt(candidateDying([]), request, new AbortController().signal, { metrics, budgets }, { routeName: undefined, door: 'openai' });
    await assert.rejects(async () => {
      if (outcome.type === 'stream') for await (const _event of outcome.events);
    }, /part-way/);
    assert.equal(seen.commits, 0);
    assert.equal(seen.released, true);
  });
});
