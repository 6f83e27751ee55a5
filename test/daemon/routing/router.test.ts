import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRoutingConfig } from '../../../daemon/routing/routes-schema';
import { isGatewayError } from '../../../daemon/core/errors';
import type { RequestContext } from '../../../daemon/core/pipeline';
import { ProviderRegistry } from '../../../daemon/providers/provider-registry';
import type { Provider, ProviderSettings } from '../../../daemon/core/provider';
import { isRouterPlan, Router } from '../../../daemon/routing/router';
import type { GatewayRequest } from '../../../shared/gateway';

function settings(name: string, local: boolean, models: string[]): ProviderSettings {
  return { name, kind: 'openai', baseUrl: `http://127.0.0.1:9/${name}`, models, local, prices: {}, maxConnections: 8, connectTimeoutMs: 100, headersTimeoutMs: 100, bodyTimeoutMs: 100, headers: {} };
}

function makeRouter(routes: Record<string, unknown> = {}, aliases: Record<string, string> = {}): Router {
  const registry = new ProviderRegistry((s) => ({ settings: s, close: async () => {} }) as unknown as Provider);
  const all = [settings('ollama', true, ['llama', 'shared']), settings('vllm', true, ['coder']), settings('openai', false, ['gpt', 'shared'])];
  for (const s of all) registry.add(s);
  const { config } = parseRoutingConfig(routes, { probe_interval_ms: 0 }, all);
  return new Router({ registry, config, aliases });
}

const request = (model: string): GatewayRequest => ({ kind: 'chat', model, messages: [{ role: 'user', content: 'x' }], stream: false, params: {} });
const context = (directives: RequestContext['directives'] = {}): RequestContext => ({ signal: new AbortController().signal, door: 'openai', directives, requestId: 't', receivedAt: performance.now() });

function chosen(router: Router, model: string, directives?: RequestContext['directives']): string {
  return router.plan(request(model), context(directives)).candidates[0]!.key;
}

function rejectsWith(fn: () => unknown, status: number, message: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(isGatewayError(error));
    assert.equal(error.status, status);
    assert.match(error.message, message);
    return true;
  });
}

describe('router: what a request resolves to', () => {
  it('resolves provider/model, a model a provider serves, an alias, and a configured route', () => {
    const router = makeRouter({ chat: { candidates: [{ provider: 'vllm', model: 'coder' }] } }, { fast: 'vllm/coder', talk: 'chat' });
    assert.equal(chosen(router, 'openai/gpt'), 'openai/gpt');
    assert.equal(chosen(router, 'llama'), 'ollama/llama');
    assert.equal(chosen(router, 'fast'), 'vllm/coder');
    assert.equal(chosen(router, 'talk'), 'vllm/coder');
    assert.equal(chosen(router, 'chat'), 'vllm/coder');
    assert.equal(router.plan(request('chat'), context()).routeName, 'chat');
  });

  it('a plan spread into a new object (a budget reroute) keeps its route name', () => {
    const router = makeRouter({ chat: { candidates: [{ provider: 'vllm', model: 'coder' }] } });
    const plan = router.plan(request('chat'), context());
    assert.equal({ ...plan, candidates: plan.candidates }.routeName, 'chat');
  });

  it('X-Switchyard-Route picks the route and X-Switchyard-Provider pins the provider', () => {
    const router = makeRouter({ chat: { candidates: [{ provider: 'ollama', model: 'llama' }, { provider: 'vllm', model: 'coder' }] } });
    assert.equal(chosen(router, 'whatever', { route: 'chat' }), 'ollama/llama');
    assert.equal(chosen(router, 'chat', { provider: 'vllm' }), 'vllm/coder');
    assert.equal(chosen(router, 'anything', { provider: 'ollama' }), 'ollama/anything');
    rejectsWith(() => router.plan(request('chat'), context({ provider: 'openai' })), 404, /no candidate on provider "openai"/);
    rejectsWith(() => router.plan(request('x'), context({ provider: 'nope' })), 404, /No provider named "nope"/);
  });

  it('an unknown model is a 404 that says where to look', () => {
    rejectsWith(() => makeRouter().plan(request('no-such-model'), context()), 404, /GET \/v1\/models/);
  });

  it('a model served locally and in the cloud never falls back to the cloud by itself', () => {
    const router = makeRouter();
    const plan = router.plan(request('shared'), context());
    assert.equal(plan.candidates[0]!.key, 'ollama/shared');
    assert.ok(isRouterPlan(plan));
    assert.equal(plan.selection.route.settings.allowCloud, false);
    assert.equal(router.plan(request('gpt'), context()).candidates[0]!.key, 'openai/gpt', 'a cloud-only model named directly is allowed');
  });

  it('when no candidate may take the request: 503 listing each and why', () => {
    const router = makeRouter({ r: { candidates: [{ provider: 'ollama', model: 'llama' }, { provider: 'openai', model: 'gpt' }] } });
    const breaker = router.breaker('ollama/llama');
    for (let i = 0; i < 5; i++) breaker.onFailure(performance.now());
    rejectsWith(() => router.plan(request('r'), context()), 503, /ollama\/llama: circuit breaker open; openai\/gpt: cloud provider; the route does not allow cloud/);
  });

  it('when every candidate is waiting out a breaker cooldown, the 503 says when to come back', () => {
    const router = makeRouter({ r: { candidates: [{ provider: 'ollama', model: 'llama' }, { provider: 'vllm', model: 'coder' }] } });
    for (const key of ['ollama/llama', 'vllm/coder']) for (let i = 0; i < 5; i++) router.breaker(key).onFailure(performance.now());
    assert.throws(() => router.plan(request('r'), context()), (error: unknown) => {
      assert.ok(isGatewayError(error));
      assert.equal(error.status, 503);
      assert.ok(error.retryAfterMs! > 29_000 && error.retryAfterMs! <= 30_000, String(error.retryAfterMs));
      return true;
    });
  });

  it('a candidate a spent fallback-local budget rules out is not selected, and local candidates go first', () => {
    const router = makeRouter({ r: { allow_cloud: true, candidates: [{ provider: 'openai', model: 'gpt' }, { provider: 'ollama', model: 'llama' }] } });
    assert.equal(router.plan(request('r'), context()).candidates[0]!.key, 'openai/gpt');
    const excluded = new Map([['openai/gpt', { reason: 'budget "cloud" has no room (fallback-local)' }]]);
    const plan = router.plan(request('r'), context(), excluded);
    assert.deepEqual(plan.candidates.map((c) => c.key), ['ollama/llama']);
    assert.equal(plan.routeName, 'r');
  });

  it("with no local candidate left, the budget's fallback model is resolved by the router and tried first", () => {
    const router = makeRouter();
    const excluded = new Map([['openai/gpt', { reason: 'budget "cloud" has no room (fallback-local)', fallbackModel: 'vllm/coder' }]]);
    const plan = router.plan(request('gpt'), context(), excluded);
    assert.deepEqual(plan.candidates.map((c) => c.key), ['vllm/coder']);
    assert.equal(plan.selection.route.settings.allowCloud, true, "the request's own route settings still apply");
  });

  it('the 503 lists a candidate a budget ruled out with that reason', () => {
    const router = makeRouter({ r: { allow_cloud: true, candidates: [{ provider: 'openai', model: 'gpt' }, { provider: 'ollama', model: 'llama' }] } });
    for (let i = 0; i < 5; i++) router.breaker('ollama/llama').onFailure(performance.now());
    const excluded = new Map([['openai/gpt', { reason: 'budget "cloud" has no room (fallback-local)' }]]);
    rejectsWith(() => router.plan(request('r'), context(), excluded), 503, /openai\/gpt: budget "cloud" has no room \(fallback-local\); ollama\/llama: circuit breaker open/);
  });

  it('when a budget rules out every candidate and names no local fallback, selection is unchanged (the reservation refuses with the 429)', () => {
    const router = makeRouter();
    const excluded = new Map([['openai/gpt', { reason: 'budget "cloud" has no room (fallback-local)', fallbackModel: 'no-such-model' }]]);
    assert.equal(router.plan(request('gpt'), context(), excluded).candidates[0]!.key, 'openai/gpt');
  });

  it('a route naming a server that was not running at the start gets it once rediscovery adds it, counts and breakers kept', () => {
    const registry = new ProviderRegistry((s) => ({ settings: s, close: async () => {} }) as unknown as Provider);
    const ollama = settings('ollama', true, ['llama']);
    const lmstudio = settings('lmstudio', true, ['qwen']);
    registry.add(ollama);
    // The config knows both (LM Studio as a discovery candidate); only Ollama answered at the start.
    const { config } = parseRoutingConfig(
      { local: { strategy: 'priority', candidates: [{ provider: 'lmstudio', model: 'qwen' }, { provider: 'ollama', model: 'llama' }] } },
      { probe_interval_ms: 0 },
      [ollama, lmstudio],
    );
    const warnings: string[] = [];
    const log = { debug: () => {}, warn: (_fields: Record<string, unknown>, message: string) => warnings.push(message) };
    const router = new Router({ registry, config, log });
    assert.deepEqual(router.route('local')!.candidates.map((c) => c.key), ['ollama/llama']);
    assert.equal(chosen(router, 'local'), 'ollama/llama');
    rejectsWith(() => chosen(router, 'local', { provider: 'lmstudio' }), 404, /no candidate on provider "lmstudio"/);
    const tally = router.route('local')!.settings.tally;
    router.breaker('ollama/llama').onFailure(performance.now());

    registry.add(lmstudio);
    assert.deepEqual(router.plan(request('local'), context()).candidates.map((c) => c.key), ['lmstudio/qwen', 'ollama/llama']);
    assert.deepEqual(router.route('local')!.candidates.map((c) => c.key), ['lmstudio/qwen', 'ollama/llama']);
    assert.equal(router.route('local')!.settings.tally, tally, "the route's counts go on");
    assert.equal(router.route('local')!.candidates[1]!.breaker, router.breaker('ollama/llama'), 'the candidate keeps its breaker');
    // Pinned to the new provider through the route.
    assert.equal(chosen(router, 'local', { provider: 'lmstudio' }), 'lmstudio/qwen');
    assert.equal(warnings.length, 1, 'the missing provider is warned about once, at the start');
  });
});
