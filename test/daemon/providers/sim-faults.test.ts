/**
 * Each adapter against the simulator's fault modes and cancellation. Every fault must end as
 * the GatewayError the router can act on, within the configured timeouts; a cancelled call must
 * show up at the simulator as an aborted request.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SIM_FAULT_HEADER, SIM_TTFT_HEADER, startSimulator, type FaultKind, type Simulator } from '../../../bench/sim';
import { isGatewayError } from '../../../daemon/core/errors';
import type { Provider } from '../../../daemon/core/provider';
import { chatRequest, KINDS, ROUTES, simProvider } from './sim-fixtures';

const signal = () => new AbortController().signal;
const TIMEOUT_MS = 300;

function expectCode(code: string, retryable?: boolean) {
  return (error: any) => {
    assert.ok(isGatewayError(error), `expected a GatewayError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (retryable !== undefined) assert.equal(error.retryable, retryable, error.message);
    return true;
  };
}

for (const kind of KINDS) {
  describe(`${kind} adapter: simulator faults and cancellation`, () => {
    let sim: Simulator;
    const providers: Provider[] = [];

    /** A provider whose every request asks the simulator for `fault`. */
    const faulty = (fault: FaultKind): Provider => {
      const provider = simProvider(sim, kind, { headers: { [SIM_FAULT_HEADER]: fault }, headersTimeoutMs: TIMEOUT_MS, bodyTimeoutMs: TIMEOUT_MS });
      providers.push(provider);
      return provider;
    };

    before(async () => {
      sim = await startSimulator({ seed: 3, outputTokens: 20, retryAfterSeconds: 2 });
    });
    after(async () => {
      await Promise.all(providers.map((p) => p.close()));
      await sim.close();
    });

    it('500 → upstreamError, retryable', async () => {
      await assert.rejects(faulty('http500').complete({ request: chatRequest(false), model: 'sim-chat', signal: signal() }), expectCode('upstreamError', true));
    });

    it('503 → upstreamUnavailable, retryable (also before a stream starts)', async () => {
      const provider = faulty('http503');
      await assert.rejects(provider.complete({ request: chatRequest(false), model: 'sim-chat', signal: signal() }), expectCode('upstreamUnavailable', true));
      await assert.rejects(provider.stream({ request: chatRequest(true), model: 'sim-chat', signal: signal() }), expectCode('upstreamUnavailable', true));
    });

    it('429 → upstreamRateLimited with Retry-After', async () => {
      await assert.rejects(faulty('http429').complete({ request: chatRequest(false), model: 'sim-chat', signal: signal() }), (error: any) => {
        expectCode('upstreamRateLimited', true)(error);
        assert.equal(error.retryAfterMs, 2000);
        return true;
      });
    });

    it('connection reset → upstreamUnavailable, retryable', async () => {
      await assert.rejects(faulty('reset').complete({ request: chatRequest(false), model: 'sim-chat', signal: signal() }), expectCode('upstreamUnavailable', true));
    });

    it('garbage → upstreamProtocol, streamed or not', async () => {
      const provider = faulty('garbage');
      await assert.rejects(provider.complete({ request: chatRequest(false), model: 'sim-chat', signal: signal() }), expectCode('upstreamProtocol'));
      const events = await provider.stream({ request: chatRequest(true), model: 'sim-chat', signal: signal() });
      await assert.rejects(async () => {
        for await (const _ of events) {
          // garbage may or may not parse into a first event; the stream must still fail
        }
      }, expectCode('upstreamProtocol'));
    });

    it('dying mid-stream → a GatewayError from the iterator after some events', async () => {
      const events = await faulty('midstream').stream({ request: chatRequest(true), model: 'sim-chat', signal: signal() });
      let seen = 0;
      await assert.rejects(async () => {
        for await (const event of events) {
          assert.notEqual(event.type, 'end');
          seen++;
        }
      }, expectCode('upstreamUnavailable', false));
      assert.ok(seen > 0, 'some output arrived before the cut');
    });

    it('an in-band stream error → a GatewayError from the iterator after some events', async () => {
      const events = await faulty('stream-error').stream({ request: chatRequest(true), model: 'sim-chat', signal: signal() });
      let seen = 0;
      await assert.rejects(async () => {
        for await (const event of events) {
          assert.notEqual(event.type, 'end');
          seen++;
        }
      }, (error: any) => isGatewayError(error) && error.retryable === false && error.status >= 500);
      assert.ok(seen > 0);
    });

    it('stall before headers → upstreamTimeout within the headers timeout', async () => {
      const started = performance.now();
      await assert.rejects(faulty('stall').complete({ request: chatRequest(false), model: 'sim-chat', signal: signal() }), expectCode('upstreamTimeout', true));
      const elapsed = performance.now() - started;
      assert.ok(elapsed >= TIMEOUT_MS - 50 && elapsed < TIMEOUT_MS + 1000, `took ${elapsed.toFixed(0)} ms`);
    });

    it('a streamed stall → upstreamTimeout within the body timeout', async () => {
      const started = performance.now();
      await assert.rejects(async () => {
        for await (const _ of await faulty('stall').stream({ request: chatRequest(true), model: 'sim-chat', signal: signal() })) {
          // nothing comes
        }
      }, expectCode('upstreamTimeout'));
      assert.ok(performance.now() - started < TIMEOUT_MS * 2 + 1000);
    });

    it('aborting while the model thinks aborts the upstream request at once', async () => {
      const provider = simProvider(sim, kind, { headers: { [SIM_TTFT_HEADER]: '5000' } });
      providers.push(provider);
      const controller = new AbortController();
      const call = provider.complete({ request: chatRequest(false), model: 'sim-chat', signal: controller.signal });
      const aborted = sim.waitForAbort((r) => r.route === ROUTES[kind].chat, 2000);
      setTimeout(() => controller.abort(), 50);
      await assert.rejects(call, (error: any) => !isGatewayError(error) && error.name === 'AbortError');
      const record = await aborted;
      assert.ok(record.abortedAt! - record.receivedAt < 1000);
    });

    it('aborting mid-stream, or breaking out of the stream, aborts the upstream request', async () => {
      const slow = simProvider(sim, kind);
      providers.push(slow);
      sim.configure({ tokensPerSecond: 50 });
      try {
        const controller = new AbortController();
        const aborted = sim.waitForAbort((r) => r.route === ROUTES[kind].chat, 2000);
        const events = await slow.stream({ request: chatRequest(true), model: 'sim-chat', signal: controller.signal });
        await assert.rejects(async () => {
          for await (const _ of events) controller.abort();
        }, (error: any) => error.name === 'AbortError');
        await aborted;

        const abandoned = sim.waitForAbort((r) => r.route === ROUTES[kind].chat, 2000);
        for await (const event of await slow.stream({ request: chatRequest(true), model: 'sim-chat', signal: signal() })) {
          assert.equal(event.type, 'text');
          break;
        }
        await abandoned;
      } finally {
        sim.configure({ tokensPerSecond: 0 });
      }
    });
  });
}
