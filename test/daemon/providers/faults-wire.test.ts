/**
 * Failure and cancellation at the wire: garbage, resets, stalls, a stream cut part-way, aborts and
 * early exits, against a scripted server. Each must end as the classified GatewayError (or, for a
 * cancellation, the abort reason) in bounded time, and an abandoned stream must close upstream.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { GatewayRequest } from '../../../shared/gateway';
import { isGatewayError } from '../../../daemon/core/errors';
import { createProvider } from '../../../daemon/providers/create-provider';
import type { Provider } from '../../../daemon/core/provider';
import { sendJson, settingsFor, startWireServer, type WireServer } from './wire-server';

const chat: GatewayRequest = { kind: 'chat', model: 'm', stream: false, params: {}, messages: [{ role: 'user', content: 'hi' }] };
const streamed: GatewayRequest = { ...chat, stream: true };
const signal = () => new AbortController().signal;
const sse = (text: string) => `data: ${JSON.stringify({ id: 'x', choices: [{ index: 0, delta: { content: text }, finish_reason: null }] })}\n\n`;

function isCode(code: string, check?: (error: any) => boolean) {
  return (error: any) => {
    assert.ok(isGatewayError(error), `expected a GatewayError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (check) assert.ok(check(error), error.message);
    return true;
  };
}

describe('faults and cancellation (wire)', () => {
  let server: WireServer;
  let provider: Provider;

  before(async () => {
    server = await startWireServer((_req, res) => sendJson(res, 500, {}));
    provider = createProvider(settingsFor('openai', server.url, { headersTimeoutMs: 300, bodyTimeoutMs: 300, maxConnections: 2 }));
  });
  after(async () => {
    await provider.close();
    await server.close();
  });

  it('a 200 whose body is not JSON is upstreamProtocol', async () => {
    server.setHandler((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('<html>definitely not json');
    });
    await assert.rejects(provider.complete({ request: chat, model: 'm', signal: signal() }), isCode('upstreamProtocol'));
  });

  it('a 200 JSON body without choices is upstreamProtocol', async () => {
    server.setHandler((_req, res) => sendJson(res, 200, { hello: 'world' }));
    await assert.rejects(provider.complete({ request: chat, model: 'm', signal: signal() }), isCode('upstreamProtocol'));
  });

  it('a streamed 200 of garbage is upstreamProtocol, before any event', async () => {
    server.setHandler((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('\x00\x01garbage garbage\nmore garbage without any event\n\n');
    });
    const events = await provider.stream({ request: streamed, model: 'm', signal: signal() });
    await assert.rejects(async () => {
      for await (const _ of events) assert.fail('no event expected');
    }, isCode('upstreamProtocol', (e) => e.retryable === true));
  });

  it('a data line that is not JSON is upstreamProtocol', async () => {
    server.setHandler((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(sse('ok') + 'data: {not json\n\n');
    });
    const seen: unknown[] = [];
    await assert.rejects(async () => {
      for await (const event of await provider.stream({ request: streamed, model: 'm', signal: signal() })) seen.push(event);
    }, isCode('upstreamProtocol', (e) => e.retryable === false));
    assert.equal(seen.length, 1);
  });

  it('a stream that ends cleanly but early (no finish, no [DONE]) is upstreamProtocol', async () => {
    server.setHandler((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(sse('a') + sse('b'));
    });
    const seen: unknown[] = [];
    await assert.rejects(async () => {
      for await (const event of await provider.stream({ request: streamed, model: 'm', signal: signal() })) seen.push(event);
    }, isCode('upstreamProtocol'));
    assert.equal(seen.length, 2);
  });

  it('a connection reset before the response is upstreamUnavailable, retryable', async () => {
    server.setHandler((_req, res) => {
      res.socket?.destroy();
    });
    await assert.rejects(provider.complete({ request: chat, model: 'm', signal: signal() }), isCode('upstreamUnavailable', (e) => e.retryable === true));
  });

  it('a stream cut part-way throws from the iterator after the events that arrived', async () => {
    server.setHandler(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(sse('one') + sse('two'));
      await new Promise((r) => setTimeout(r, 20));
      res.socket?.destroy();
    });
    const seen: unknown[] = [];
    await assert.rejects(async () => {
      for await (const event of await provider.stream({ request: streamed, model: 'm', signal: signal() })) seen.push(event);
    }, isCode('upstreamUnavailable', (e) => e.retryable === false));
    assert.deepEqual(seen, [
      { type: 'text', text: 'one' },
      { type: 'text', text: 'two' },
    ]);
  });

  it('no response headers within headersTimeoutMs is upstreamTimeout', async () => {
    server.setHandler(() => {
      // never answers
    });
    const started = Date.now();
    await assert.rejects(provider.complete({ request: chat, model: 'm', signal: signal() }), isCode('upstreamTimeout', (e) => e.retryable === true));
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 250 && elapsed < 1500, `took ${elapsed} ms`);
  });

  it('a stream that goes silent for bodyTimeoutMs is upstreamTimeout', async () => {
    server.setHandler((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(sse('first'));
    });
    const seen: unknown[] = [];
    await assert.rejects(async () => {
      for await (const event of await provider.stream({ request: streamed, model: 'm', signal: signal() })) seen.push(event);
    }, isCode('upstreamTimeout'));
    assert.equal(seen.length, 1);
  });

  it('a 429 carries Retry-After as retryAfterMs', async () => {
    server.setHandler((_req, res) => sendJson(res, 429, { error: { message: 'Rate limit reached', type: 'rate_limit_error' } }, { 'retry-after': '3' }));
    await assert.rejects(provider.stream({ request: streamed, model: 'm', signal: signal() }), isCode('upstreamRateLimited', (e) => e.retryAfterMs === 3000 && e.retryable));
  });

  it('an unreachable provider is upstreamUnavailable', async () => {
    const closed = await startWireServer(() => {});
    const url = closed.url;
    await closed.close();
    const gone = createProvider(settingsFor('openai', url));
    try {
      await assert.rejects(gone.complete({ request: chat, model: 'm', signal: signal() }), isCode('upstreamUnavailable'));
      await assert.rejects(gone.probe(signal()), isCode('upstreamUnavailable'));
    } finally {
      await gone.close();
    }
  });

  it('aborting while waiting for headers rejects with the abort reason at once and aborts upstream', async () => {
    server.setHandler(() => {});
    const controller = new AbortController();
    const aborted = server.nextAbort();
    const call = provider.complete({ request: chat, model: 'm', signal: controller.signal });
    setTimeout(() => controller.abort(new Error('client went away')), 30);
    await assert.rejects(call, (error: any) => !isGatewayError(error) && error.message === 'client went away');
    const record = await aborted;
    assert.equal(record.path, '/chat/completions');
  });

  it('aborting mid-stream ends the iteration with the abort reason and aborts upstream', async () => {
    server.setHandler((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(sse('first'));
    });
    const controller = new AbortController();
    const aborted = server.nextAbort();
    const events = await provider.stream({ request: streamed, model: 'm', signal: controller.signal });
    await assert.rejects(async () => {
      for await (const _ of events) controller.abort();
    }, (error: any) => error.name === 'AbortError');
    await aborted;
  });

  it('breaking out of the iteration destroys the upstream body', async () => {
    server.setHandler((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(sse('first') + sse('second'));
    });
    const aborted = server.nextAbort();
    for await (const event of await provider.stream({ request: streamed, model: 'm', signal: signal() })) {
      assert.equal(event.type, 'text');
      break;
    }
    await aborted;
  });

  it('dropping a stream that was never iterated (return() first) aborts upstream', async () => {
    server.setHandler((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(sse('first'));
    });
    const aborted = server.nextAbort();
    const events = await provider.stream({ request: streamed, model: 'm', signal: signal() });
    const result = await events[Symbol.asyncIterator]().return!();
    assert.equal(result.done, true);
    await aborted;
    await new Promise((r) => setTimeout(r, 20));
  });

  it('reuses keep-alive connections and never opens more than maxConnections', async () => {
    server.setHandler(async (_req, res) => {
      await new Promise((r) => setTimeout(r, 20));
      sendJson(res, 200, { id: 'x', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }] });
    });
    const fresh = createProvider(settingsFor('openai', server.url, { maxConnections: 2 }));
    try {
      const before = server.requests.length;
      await Promise.all(Array.from({ length: 8 }, () => fresh.complete({ request: chat, model: 'm', signal: signal() })));
      const ports = new Set(server.requests.slice(before).map((r) => r.remotePort));
      assert.ok(ports.size <= 2, `used ${ports.size} connections`);
    } finally {
      await fresh.close();
    }
  });
});
