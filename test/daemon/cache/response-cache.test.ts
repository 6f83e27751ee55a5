import type { CancelSignal } from '../../../daemon/core/cancellation';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Registry } from 'prom-client';
import type { GatewayRequest, GatewayResponse, StreamEvent } from '../../../shared/gateway';
import { BackingStore } from '../../../daemon/cache/backing-store';
import { responseEvents, StreamAssembler } from '../../../daemon/cache/cached-entry';
import { CacheMetrics } from '../../../daemon/cache/cache-metrics';
import { EmbeddedFileStore } from '../../../daemon/cache/embedded-file-store';
import { MemoryLru } from '../../../daemon/cache/memory-lru';
import { ResponseCache } from '../../../daemon/cache/response-cache';
import { TypedAheadIndex } from '../../../daemon/cache/typed-ahead';
import { streamEvents, type GatewayResult, type RequestContext, type RoutePlan } from '../../../daemon/core/pipeline';

const plan = { candidates: [{ key: 'sim/m', model: 'm', provider: { settings: { name: 'sim', local: true } } }] } as unknown as RoutePlan;
const chat = (content: string, stream = false): GatewayRequest => ({ kind: 'chat', model: 'm', messages: [{ role: 'user', content }], stream, params: { temperature: 0 } });
const context = (signal = new AbortController().signal): RequestContext => ({ signal, door: 'openai', directives: {}, requestId: 't', receivedAt: 0 });
const servedBy = { provider: 'sim', model: 'm', attempts: 1, cache: 'BYPASS' as const };

function newCache(overrides: Partial<ConstructorParameters<typeof ResponseCache>[0]['settings']> = {}, embedded = new EmbeddedFileStore({})): ResponseCache {
  const metrics = new CacheMetrics(new Registry());
  return new ResponseCache({
    settings: { enabled: true, defaultPolicy: 'deterministic', ttlMs: 60_000, maxEntries: 100, maxBytes: 1 << 20, typedAhead: true, ...overrides },
    store: new BackingStore({ embedded, namespace: 't', metrics, warn: () => {} }),
    metrics,
    shared: false,
  });
}

/** An upstream stream that yields its words when `release` is called, or dies after `dieAfter` of them. */
function controlledStream(words: string[], options: { dieAfter?: number; signal?: CancelSignal } = {}) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  async function* events(): AsyncGenerator<StreamEvent> {
    await released;
    for (const [index, word] of words.entries()) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (options.dieAfter === index) throw new Error('upstream died mid-stream');
      yield { type: 'text', text: `${word} ` };
      await new Promise((resolve) => setImmediate(resolve));
    }
    yield { type: 'end', finishReason: 'stop', usage: { promptTokens: 3, completionTokens: words.length } };
  }
  return { events: events(), release };
}

async function collect(result: GatewayResult): Promise<string> {
  if (result.type === 'response') return result.response.text;
  let text = '';
  for await (const event of streamEvents(result)) if (event.type === 'text') text += event.text;
  return text;
}

describe('response cache (in process)', () => {
  it('a hit replays the same content as JSON and as stream events, for any response, under a fresh id', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string(),
        fc.array(fc.record({ name: fc.string({ minLength: 1 }), args: fc.string() }), { maxLength: 2 }),
        fc.constantFrom('stop' as const, 'length' as const, 'tool_calls' as const),
        async (text, calls, finishReason) => {
          const cache = newCache();
          const response: GatewayResponse = {
            id: 'r',
            model: 'm',
            created: 1,
            text,
            ...(calls.length > 0 ? { toolCalls: calls.map((call, i) => ({ id: `c${i}`, type: 'function' as const, function: { name: call.name, arguments: call.args } })) } : {}),
            finishReason,
            usage: { promptTokens: 2, completionTokens: 5 },
          };
          await cache.handle(chat('q'), plan, context(), async () => ({ type: 'response', response, servedBy }));
          const json = await cache.handle(chat('q'), plan, context(), async () => assert.fail('no upstream call on a hit'));
          assert.equal(json.type, 'response');
          assert.equal(json.servedBy.cache, 'HIT');
          assert.ok(json.type === 'response');
          const { id, created, ...content } = json.response;
          const { id: originalId, created: _originalCreated, ...originalContent } = response;
          assert.deepEqual(content, originalContent);
          assert.notEqual(id, originalId, 'a replay is a response of its own');
          assert.ok(created >= Math.floor(Date.now() / 1000) - 1);
          const streamed = await cache.handle(chat('q', true), plan, context(), async () => assert.fail('no upstream call on a hit'));
          assert.equal(streamed.type, 'stream');
          const assembler = new StreamAssembler();
          if (streamed.type === 'stream') for await (const event of streamed.events) assembler.add(event);
          const replayed = assembler.response('m', () => ({ promptTokens: 0, completionTokens: 0 }))!;
          assert.equal(replayed.text, text);
          assert.deepEqual(replayed.toolCalls, response.toolCalls);
          assert.equal(replayed.finishReason, finishReason);
          assert.deepEqual(replayed.usage, response.usage);
          const withoutId = (events: ReturnType<typeof responseEvents>) => events.map((event) => (event.type === 'end' ? { ...event, id: undefined } : event));
          assert.deepEqual(withoutId(responseEvents(replayed)), withoutId(responseEvents(response)));
          assert.notEqual(replayed.id, response.id);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('one client leaving does not cut the shared stream for the others; the answer is cached once complete', async () => {
    const cache = newCache();
    let calls = 0;
    let upstream!: ReturnType<typeof controlledStream>;
    const execute = async (shared: RequestContext): Promise<GatewayResult> => {
      calls++;
      upstream = controlledStream(['a', 'b', 'c', 'd'], { signal: shared.signal });
      return { type: 'stream', events: upstream.events, servedBy };
    };
    const leaver = new AbortController();
    const first = await cache.handle(chat('shared', true), plan, context(leaver.signal), execute);
    const second = await cache.handle(chat('shared', true), plan, context(), execute);
    assert.equal(second.servedBy.cache, 'COALESCED');
    upstream.release();
    // The first client reads one event and goes away.
    if (first.type === 'stream') {
      for await (const event of first.events) {
        assert.equal(event.type, 'text');
        break;
      }
    }
    assert.equal(await collect(second), 'a b c d ');
    assert.equal(calls, 1);
    const hit = await cache.handle(chat('shared'), plan, context(), execute);
    assert.equal(hit.servedBy.cache, 'HIT');
  });

  it('a stream whose only client stops at the end event is complete: stored, and its upstream not aborted', async () => {
    const cache = newCache();
    let sharedSignal!: CancelSignal;
    const execute = async (shared: RequestContext): Promise<GatewayResult> => {
      sharedSignal = shared.signal;
      async function* events(): AsyncGenerator<StreamEvent> {
        yield { type: 'text', text: 'all ' };
        yield { type: 'text', text: 'there' };
        yield { type: 'end', finishReason: 'stop', usage: { promptTokens: 1, completionTokens: 2 } };
        // What follows the end event upstream (the body's last bytes, settling) takes a moment.
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return { type: 'stream', events: events(), servedBy };
    };
    const result = await cache.handle(chat('stops at end', true), plan, context(), execute);
    assert.equal(result.type, 'stream');
    if (result.type === 'stream') {
      for await (const event of result.events) if (event.type === 'end') break;
    }
    assert.equal(sharedSignal.aborted, false, 'a finished call is not aborted when its last client leaves');
    const hit = await cache.handle(chat('stops at end'), plan, context(), async () => assert.fail('no upstream call on a hit'));
    assert.equal(hit.servedBy.cache, 'HIT');
    assert.equal(await collect(hit), 'all there');
  });

  it('a request that joined a shared call gets the answer under an id of its own', async () => {
    const cache = newCache();
    let release!: () => void;
    const answered = new Promise<void>((resolve) => (release = resolve));
    const response: GatewayResponse = { id: 'chatcmpl-upstream', model: 'm', created: 1, text: 'shared', finishReason: 'stop', usage: { promptTokens: 1, completionTokens: 1 } };
    const execute = async (): Promise<GatewayResult> => {
      await answered;
      return { type: 'response', response, servedBy };
    };
    const leader = cache.handle(chat('together'), plan, context(), execute);
    const joiner = cache.handle(chat('together'), plan, context(), execute);
    release();
    const [a, b] = await Promise.all([leader, joiner]);
    assert.equal(b.servedBy.cache, 'COALESCED');
    assert.ok(a.type === 'response' && b.type === 'response');
    assert.equal(a.response.id, 'chatcmpl-upstream');
    assert.notEqual(b.response.id, a.response.id);
    assert.match(b.response.id, /^chatcmpl-/);
    assert.equal(b.response.text, a.response.text);
  });

  it('when every client leaves, the upstream is aborted and nothing is cached', async () => {
    const cache = newCache();
    let sharedSignal!: CancelSignal;
    let upstream!: ReturnType<typeof controlledStream>;
    const execute = async (shared: RequestContext): Promise<GatewayResult> => {
      sharedSignal = shared.signal;
      upstream = controlledStream(['a', 'b', 'c'], { signal: shared.signal });
      return { type: 'stream', events: upstream.events, servedBy };
    };
    const result = await cache.handle(chat('abandoned', true), plan, context(), execute);
    upstream.release();
    if (result.type === 'stream') for await (const _ of result.events) break;
    assert.equal(sharedSignal.aborted, true);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const again = await cache.handle(chat('abandoned'), plan, context(), async () => ({ type: 'response', response: { id: 'x', model: 'm', created: 0, text: 'fresh', finishReason: 'stop', usage: { promptTokens: 1, completionTokens: 1 } }, servedBy }));
    assert.equal(again.servedBy.cache, 'MISS');
  });

  it('a stream that dies part-way fails every waiter and is not cached', async () => {
    const cache = newCache();
    let upstream!: ReturnType<typeof controlledStream>;
    const execute = async (): Promise<GatewayResult> => {
      upstream = controlledStream(['a', 'b', 'c'], { dieAfter: 2 });
      return { type: 'stream', events: upstream.events, servedBy };
    };
    const first = await cache.handle(chat('dies', true), plan, context(), execute);
    const whole = cache.handle(chat('dies'), plan, context(), execute).catch((error: Error) => error);
    upstream.release();
    await assert.rejects(collect(first), /died mid-stream/);
    assert.match(String(await whole), /died mid-stream/);
    const after = await cache.handle(chat('dies'), plan, context(), async () => ({ type: 'response', response: { id: 'y', model: 'm', created: 0, text: 'ok', finishReason: 'stop', usage: { promptTokens: 1, completionTokens: 1 } }, servedBy }));
    assert.equal(after.servedBy.cache, 'MISS');
  });

  it('an error is shared by the waiters and never cached', async () => {
    const cache = newCache();
    let calls = 0;
    const failing = async (): Promise<GatewayResult> => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw new Error('upstream 500');
    };
    const results = await Promise.allSettled([1, 2, 3].map(() => cache.handle(chat('err'), plan, context(), failing)));
    assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected', 'rejected']);
    assert.equal(calls, 1);
    await assert.rejects(cache.handle(chat('err'), plan, context(), failing));
    assert.equal(calls, 2);
  });

  it('lookup answers from memory or typed-ahead without calling upstream, and says which', async () => {
    const cache = newCache();
    const fim = (prompt: string): GatewayRequest => ({ kind: 'completion', model: 'm', prompt, suffix: ';\n', stream: false, params: { temperature: 0 } });
    const response = { id: 'c', model: 'm', created: 0, text: 'items.length', finishReason: 'stop' as const, usage: { promptTokens: 3, completionTokens: 2 } };
    assert.equal(cache.lookup(fim('const n = '), plan, context()), undefined);
    await cache.handle(fim('const n = '), plan, context(), async () => ({ type: 'response', response, servedBy }));
    const exact = cache.lookup(fim('const n = '), plan, context());
    assert.equal(exact?.typedAhead, false);
    assert.equal(exact?.result.type === 'response' && exact.result.response.text, 'items.length');
    const typed = cache.lookup(fim('const n = ite'), plan, context());
    assert.equal(typed?.typedAhead, true);
    assert.equal(typed?.result.type === 'response' && typed.result.response.text, 'ms.length');
    assert.equal(cache.lookup(fim('const n = x'), plan, context()), undefined);
    assert.equal(cache.lookup(fim('const n = '), plan, { ...context(), directives: { cache: 'off' } }), undefined);
  });
});

describe('memory layer', () => {
  it('never holds more than its entry and byte bounds, evicting the least recently used', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 1, max: 400 }), fc.boolean()), { maxLength: 200 }), (ops) => {
        const evicted: string[] = [];
        const lru = new MemoryLru<number>({ maxEntries: 8, maxBytes: 1000, onEvict: (key) => evicted.push(key) });
        const order: string[] = [];
        for (const [k, bytes, read] of ops) {
          const key = `k${k}`;
          if (read) {
            if (lru.get(key, 0) !== undefined) order.splice(order.indexOf(key), 1), order.push(key);
            continue;
          }
          if (order.includes(key)) order.splice(order.indexOf(key), 1);
          lru.set(key, k, bytes, 10);
          order.push(key);
          while (order.length > lru.size) order.shift();
          assert.ok(lru.size <= 8 && lru.bytes <= 1000);
          assert.deepEqual([...lru.entries(0)].map(([key]) => key), order);
        }
      }),
    );
  });

  it('expires entries after their TTL', () => {
    const lru = new MemoryLru<string>({ maxEntries: 10, maxBytes: 100 });
    lru.set('a', 'x', 1, 1_000);
    assert.equal(lru.get('a', 999), 'x');
    assert.equal(lru.get('a', 1_000), undefined);
    assert.equal(lru.size, 0);
  });

  it('renames an entry with its size and expiry, replacing what the new key held', () => {
    const lru = new MemoryLru<string>({ maxEntries: 10, maxBytes: 100 });
    lru.set('digest', 'restored', 30, 1_000);
    lru.set('index', 'other', 20, 1_000);
    assert.equal(lru.rename('digest', 'index', 0), 'restored');
    assert.equal(lru.get('digest', 0), undefined);
    assert.equal(lru.get('index', 999), 'restored');
    assert.equal(lru.bytes, 30);
    assert.equal(lru.get('index', 1_000), undefined, 'the expiry came along');
    lru.set('old', 'x', 1, 10);
    assert.equal(lru.rename('old', 'new', 10), undefined);
    assert.equal(lru.size, 0);
  });
});

describe('entries restored from the file at start', () => {
  it('are served by digest on first use, then by index, with no upstream call', async () => {
    const embedded = new EmbeddedFileStore({});
    const first = newCache({}, embedded);
    const response = { id: 'c', model: 'm', created: 0, text: 'kept', finishReason: 'stop' as const, usage: { promptTokens: 1, completionTokens: 1 } };
    await first.handle(chat('kept?'), plan, context(), async () => ({ type: 'response', response, servedBy }));
    await new Promise((resolve) => setImmediate(resolve));
    // What the daemon does at start: the memory layer warmed from the embedded store's entries.
    const restarted = newCache();
    const kept = new BackingStore({ embedded, namespace: 't', metrics: new CacheMetrics(new Registry()), warn: () => {} });
    assert.equal(restarted.warm(kept.embeddedEntries()), 1);
    for (let i = 0; i < 2; i++) {
      const again = await restarted.handle(chat('kept?'), plan, context(), async () => assert.fail('no upstream call for a restored entry'));
      assert.equal(again.servedBy.cache, 'HIT');
      assert.equal(again.type === 'response' && again.response.text, 'kept');
    }
    const other = await restarted.handle(chat('not kept'), plan, context(), async () => ({ type: 'response', response: { ...response, text: 'fresh' }, servedBy }));
    assert.equal(other.type === 'response' && other.response.text, 'fresh');
  });
});

describe('typed-ahead index', () => {
  /** A context key whose digest is its index: these tests are about prompts, not about collisions. */
  const ctx = { index: 'ctx', digest: 'ctx' };
  const source = (prompt: string, text: string) => ({ prompt, provider: 'sim', model: 'm', response: { id: 'r', model: 'm', created: 0, text, finishReason: 'stop' as const, usage: { promptTokens: 1, completionTokens: 1 } } });

  it('serves the rest of the completion for any typed start of it, and nothing else', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ minLength: 2, maxLength: 30 }), fc.nat(), fc.string({ minLength: 1, maxLength: 3 }), (prefix, completion, cut, other) => {
        const index = new TypedAheadIndex(60_000, 16, 1 << 20);
        index.record(ctx, source(prefix, completion));
        const typed = 1 + (cut % (completion.length - 1));
        assert.equal(index.lookup(ctx, prefix + completion.slice(0, typed))?.rest, completion.slice(typed));
        assert.equal(index.lookup({ index: 'other-ctx', digest: 'other-ctx' }, prefix + completion.slice(0, typed)), undefined);
        assert.equal(index.lookup(ctx, prefix + completion), undefined, 'nothing left to serve');
        if (!completion.startsWith(other)) assert.equal(index.lookup(ctx, prefix + other), undefined);
      }),
    );
  });

  it('follows an editor whose prefix window moves on as the user types', () => {
    const index = new TypedAheadIndex(60_000, 16, 1 << 20);
    const text = 'x'.repeat(50) + Array.from({ length: 40 }, (_, i) => `line ${i};\n`).join('');
    const window = 200;
    const prefix = text.slice(-window);
    index.record(ctx, source(prefix, 'return total;\n'));
    // The user typed "retu": the editor sends the last 200 characters of text + "retu".
    const moved = (prefix + 'retu').slice(-window);
    assert.equal(index.lookup(ctx, moved)?.rest, 'rn total;\n');
    // A short prefix never slides.
    const short = new TypedAheadIndex(60_000, 16, 1 << 20);
    short.record(ctx, source('abc', 'def'));
    assert.equal(short.lookup(ctx, 'bcd'), undefined);
  });
});
