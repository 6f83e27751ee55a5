/**
 * Two different requests can share a 64-bit index. These tests force it (every request gets
 * the same index) and check that no layer ever serves one prompt's answer for another: each
 * candidate is confirmed by its SHA-256 digest, a mismatch is a miss, and it is counted.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Registry } from 'prom-client';
import type { GatewayRequest, GatewayResponse } from '../../../shared/gateway';
import { BackingStore } from '../../../daemon/cache/backing-store';
import { CacheKey, CacheKeys } from '../../../daemon/cache/cache-key';
import { CacheMetrics } from '../../../daemon/cache/cache-metrics';
import { EmbeddedFileStore } from '../../../daemon/cache/embedded-file-store';
import { ResponseCache } from '../../../daemon/cache/response-cache';
import type { GatewayResult, RequestContext, RoutePlan } from '../../../daemon/core/pipeline';

/** Keys whose index is the same for every request: the worst case of a hash collision. */
class CollidingKeys extends CacheKeys {
  override key(request: GatewayRequest, target: string): CacheKey {
    return new CacheKey('same-index', target, request);
  }
}

const plan = { candidates: [{ key: 'sim/m', model: 'm', provider: { settings: { name: 'sim', local: true } } }] } as unknown as RoutePlan;
const context = (): RequestContext => ({ signal: new AbortController().signal, door: 'openai', directives: {}, requestId: 't', receivedAt: 0 });
const chat = (content: string): GatewayRequest => ({ kind: 'chat', model: 'm', messages: [{ role: 'user', content }], stream: false, params: { temperature: 0 } });
const fim = (prompt: string, suffix: string): GatewayRequest => ({ kind: 'completion', model: 'm', prompt, suffix, stream: false, params: { temperature: 0 } });

function collidingCache(): { cache: ResponseCache; collisions: () => Promise<number> } {
  const metrics = new CacheMetrics(new Registry());
  const cache = new ResponseCache({
    settings: { enabled: true, defaultPolicy: 'deterministic', ttlMs: 60_000, maxEntries: 100, maxBytes: 1 << 20, typedAhead: true },
    store: new BackingStore({ embedded: new EmbeddedFileStore({}), namespace: 't', metrics, warn: () => {} }),
    metrics,
    shared: false,
    keys: new CollidingKeys(),
  });
  return { cache, collisions: async () => (await metrics.keyCollisions.get()).values[0]?.value ?? 0 };
}

/** An upstream that answers each prompt with a text naming it, and counts its calls. */
function echoUpstream(request: GatewayRequest) {
  const upstream = {
    calls: 0,
    execute: async (): Promise<GatewayResult> => {
      upstream.calls++;
      const asked = request.prompt ?? String(request.messages?.[0]?.content);
      const response: GatewayResponse = { id: 'r', model: 'm', created: 0, text: `answer to ${asked}`, finishReason: 'stop', usage: { promptTokens: 1, completionTokens: 3 } };
      return { type: 'response', response, servedBy: { provider: 'sim', model: 'm', attempts: 1, cache: 'BYPASS' } };
    },
  };
  return upstream;
}

async function textOf(result: GatewayResult): Promise<string> {
  assert.equal(result.type, 'response');
  return result.type === 'response' ? result.response.text : '';
}

describe('cache key collisions', () => {
  it('an entry stored under a shared index is never served for another prompt: a miss, counted', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.string({ maxLength: 8 }), { minLength: 2, maxLength: 5 }), fc.array(fc.nat(), { minLength: 1, maxLength: 12 }), async (prompts, order) => {
        const { cache, collisions } = collidingCache();
        let misses = 0;
        for (const pick of order) {
          const prompt = prompts[pick % prompts.length]!;
          const upstream = echoUpstream(chat(prompt));
          const result = await cache.handle(chat(prompt), plan, context(), upstream.execute);
          assert.equal(await textOf(result), `answer to ${prompt}`);
          misses += upstream.calls;
        }
        // Every miss after the first found another prompt's entry under the index.
        assert.equal(await collisions(), misses - 1);
      }),
      { numRuns: 40 },
    );
  });

  it('lookup (what an editor asks before it debounces) does not serve the other prompt either', async () => {
    const { cache, collisions } = collidingCache();
    await cache.handle(chat('first'), plan, context(), echoUpstream(chat('first')).execute);
    assert.equal(cache.lookup(chat('second'), plan, context()), undefined);
    assert.equal(await collisions(), 1);
    const again = cache.lookup(chat('first'), plan, context());
    assert.equal(again?.result.type === 'response' && again.result.response.text, 'answer to first');
  });

  it('a request does not join a call in flight for another prompt under the same index', async () => {
    const { cache, collisions } = collidingCache();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const slow = echoUpstream(chat('slow'));
    const first = cache.handle(chat('slow'), plan, context(), async () => {
      await released;
      return slow.execute();
    });
    const other = echoUpstream(chat('quick'));
    assert.equal(await textOf(await cache.handle(chat('quick'), plan, context(), other.execute)), 'answer to quick');
    assert.equal(other.calls, 1);
    release();
    assert.equal(await textOf(await first), 'answer to slow');
    assert.equal(await collisions(), 1);
  });

  it('typed-ahead does not serve the rest of a completion made for another context', async () => {
    const { cache, collisions } = collidingCache();
    await cache.handle(fim('const n = ', ';\n'), plan, context(), echoUpstream(fim('const n = ', ';\n')).execute);
    // Same prompt start, another suffix: the rest of "answer to const n = " must not be served.
    const typed = fim('const n = an', ')\n');
    assert.equal(cache.lookup(typed, plan, context()), undefined);
    const upstream = echoUpstream(typed);
    assert.equal(await textOf(await cache.handle(typed, plan, context(), upstream.execute)), 'answer to const n = an');
    assert.equal(upstream.calls, 1);
    assert.ok((await collisions()) >= 1);
  });
});
