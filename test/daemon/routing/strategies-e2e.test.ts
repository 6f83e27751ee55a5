/**
 * Each strategy's choice over a sequence of requests, through a real daemon to real
 * simulators, read from the `X-Switchyard-Provider` header of each response.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Simulator } from '../../../bench/sim/contract';
import { startTestDaemon, type TestDaemon } from '../../helpers/test-daemon';
import { chat, closeAll, MODEL, post, provider, received, routingSection, servedSequence, startSims } from './routing-helpers';

function route(name: string, strategy: string, candidates: string[], extra = ''): string {
  const list = candidates.map((c) => {
    const [p, weight] = c.split(':');
    return `{ provider = "${p}", model = "${MODEL}"${weight ? `, weight = ${weight}` : ''} }`;
  });
  return `[routes.${name}]\nstrategy = "${strategy}"\ncandidates = [${list.join(', ')}]\n${extra}\n`;
}

describe('strategies over a sequence of requests', () => {
  let sims: Simulator[] = [];
  let daemon: TestDaemon;

  before(async () => {
    sims = await startSims(4, { latencyMs: 5 });
    const [a, b, c, cloud] = sims as [Simulator, Simulator, Simulator, Simulator];
    daemon = await startTestDaemon(
      provider('a', a.url) +
        provider('b', b.url) +
        provider('c', c.url, { more: 'capacity = 2' }) +
        provider('cloud', cloud.url, { local: false, prices: `{ ${MODEL} = { input = 0.15, output = 0.6 } }` }) +
        // The same simulators under other names: statistics are per provider+model, so lowest-latency starts from none.
        provider('fa', a.url) +
        provider('fb', b.url) +
        routingSection() +
        route('prio', 'priority', ['a', 'b', 'c']) +
        route('rr', 'round-robin', ['a', 'b', 'c']) +
        route('weighted', 'weighted', ['a:3', 'b:1']) +
        route('fastest', 'lowest-latency', ['fa', 'fb']) +
        route('idle', 'least-busy', ['a', 'b', 'c']) +
        route('cheap', 'cheapest', ['cloud', 'b'], 'allow_cloud = true') +
        route('local', 'local-first', ['cloud', 'a'], 'allow_cloud = true') +
        route('local-only', 'local-first', ['cloud', 'c']),
      { logLevel: 'warn' },
    );
  });
  after(() => closeAll(daemon, sims));

  it('priority always takes the first candidate while it is healthy', async () => {
    assert.deepEqual(await servedSequence(daemon, 'prio', 4), ['a', 'a', 'a', 'a']);
  });

  it('round-robin rotates through the candidates', async () => {
    assert.deepEqual(await servedSequence(daemon, 'rr', 6), ['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('weighted serves in proportion to the weights', async () => {
    const served = await servedSequence(daemon, 'weighted', 8);
    assert.equal(served.filter((s) => s === 'a').length, 6);
    assert.equal(served.filter((s) => s === 'b').length, 2);
  });

  it('lowest-latency moves to the faster provider within a few requests after latencies change', async () => {
    const [a, b] = sims as [Simulator, Simulator];
    a.configure({ latencyMs: 5 });
    b.configure({ latencyMs: 200 });
    // Each candidate is measured once (no figure counts as fastest), then the fast one keeps the traffic.
    const warm = await servedSequence(daemon, 'fastest', 6);
    assert.deepEqual(warm, ['fa', 'fb', 'fa', 'fa', 'fa', 'fa']);
    a.configure({ latencyMs: 600 });
    b.configure({ latencyMs: 5 });
    const after = await servedSequence(daemon, 'fastest', 6);
    const firstB = after.indexOf('fb');
    assert.ok(firstB >= 1 && firstB <= 3, `moved to fb after ${firstB} requests: ${after}`);
    assert.deepEqual(after.slice(firstB), Array(6 - firstB).fill('fb'), `stays on fb: ${after}`);
    a.configure({ latencyMs: 5 });
    b.configure({ latencyMs: 5 });
  });

  it('least-busy spreads concurrent requests by in-flight count relative to capacity', async () => {
    for (const sim of sims.slice(0, 3)) {
      sim.configure({ latencyMs: 300 });
      sim.reset();
    }
    // c has capacity 2, a and b the default (max_connections): c fills up first relative to its capacity.
    const replies = await Promise.all(Array.from({ length: 6 }, () => post(daemon, '/v1/chat/completions', chat('idle'))));
    const served = replies.map((r) => r.servedBy);
    for (const reply of replies) assert.equal(reply.status, 200);
    const counts = { a: 0, b: 0, c: 0 } as Record<string, number>;
    for (const s of served) counts[s!]!++;
    assert.ok(counts.a! >= 2 && counts.b! >= 2, `spread: ${JSON.stringify(counts)}`);
    assert.ok(counts.c! <= 2, `c never takes more than its capacity share: ${JSON.stringify(counts)}`);
    for (const sim of sims.slice(0, 3)) sim.configure({ latencyMs: 5 });
  });

  it('cheapest prefers the local model ($0) over a priced cloud one', async () => {
    assert.deepEqual(await servedSequence(daemon, 'cheap', 3), ['b', 'b', 'b']);
  });

  it('local-first never touches the cloud while a local candidate is healthy, and only then when allowed', async () => {
    const cloud = sims[3]!;
    cloud.reset();
    assert.deepEqual(await servedSequence(daemon, 'local', 4), ['a', 'a', 'a', 'a']);
    assert.equal(received(cloud), 0);

    // The local candidate fails: the route allows cloud, so the cloud serves.
    sims[0]!.configure({ errorRate: 1, errorKinds: ['http503'] });
    const fallback = await post(daemon, '/v1/chat/completions', chat('local'));
    assert.equal(fallback.status, 200);
    assert.equal(fallback.servedBy, 'cloud');

    // A route without allow_cloud never reaches the cloud, even with its local candidate failing.
    sims[2]!.configure({ errorRate: 1, errorKinds: ['http503'] });
    cloud.reset();
    const refused = await post(daemon, '/v1/chat/completions', chat('local-only'));
    assert.equal(refused.status, 503);
    assert.equal(received(cloud), 0);
    assert.match(refused.json.error.message, /cloud/);
    sims[0]!.configure({ errorRate: 0 });
    sims[2]!.configure({ errorRate: 0 });
  });

  it('pins a provider by header or by provider/model, and a route by header', async () => {
    assert.deepEqual(await servedSequence(daemon, 'rr', 3, { 'x-switchyard-provider': 'b' }), ['b', 'b', 'b']);
    assert.deepEqual(await servedSequence(daemon, `c/${MODEL}`, 2), ['c', 'c']);
    assert.deepEqual(await servedSequence(daemon, 'anything', 2, { 'x-switchyard-route': 'prio' }), ['a', 'a']);
    const reply = await post(daemon, '/v1/chat/completions', chat('prio'), { 'x-switchyard-provider': 'cloud' });
    assert.equal(reply.status, 404);
    assert.match(reply.json.error.message, /no candidate on provider "cloud"/);
  });

  it('says who served in X-Switchyard-Provider, -Model and -Attempts', async () => {
    const reply = await post(daemon, '/v1/chat/completions', chat('prio'));
    assert.equal(reply.headers['x-switchyard-provider'], 'a');
    assert.equal(reply.headers['x-switchyard-model'], MODEL);
    assert.equal(reply.headers['x-switchyard-attempts'], '1');
  });
});
