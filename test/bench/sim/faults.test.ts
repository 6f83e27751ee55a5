import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../../bench/sim/index';
import { chatBody, parseSse, postRaw } from './sim-helpers';

const ANTHROPIC = { 'anthropic-version': '2023-06-01' };
const PROTOCOLS = [
  { name: 'openai', path: '/v1/chat/completions', body: chatBody('hi'), headers: {} },
  { name: 'ollama', path: '/api/chat', body: { ...chatBody('hi'), stream: false }, headers: {} },
  { name: 'anthropic', path: '/v1/messages', body: { ...chatBody('hi'), max_tokens: 20 }, headers: ANTHROPIC },
  { name: 'llamacpp', path: '/infill', body: { input_prefix: 'a', input_suffix: 'b' }, headers: {} },
] as const;

/** What each protocol's error body says, reduced to one comparable string. */
function errorShape(protocol: string, body: any): string {
  switch (protocol) {
    case 'openai': return `${body.error.type}`;
    case 'ollama': return typeof body.error;
    case 'anthropic': return `${body.type}/${body.error.type}`;
    default: return `${body.error.code}/${body.error.type}`;
  }
}

describe('faults', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ outputTokens: 10, seed: 4 });
  });
  after(() => sim.close());

  const send = (path: string, body: unknown, headers: Record<string, string>, fault: string) =>
    postRaw(`${sim.url}${path}`, body, { ...headers, 'x-sim-fault': fault });

  it('answers http500, http503 and http429 (with Retry-After) in each protocol\'s error shape', async () => {
    const expected: Record<string, Record<string, string>> = {
      openai: { http500: 'server_error', http503: 'server_error', http429: 'requests' },
      ollama: { http500: 'string', http503: 'string', http429: 'string' },
      anthropic: { http500: 'error/api_error', http503: 'error/overloaded_error', http429: 'error/rate_limit_error' },
      llamacpp: { http500: '500/server_error', http503: '503/unavailable_error', http429: '429/unavailable_error' },
    };
    for (const protocol of PROTOCOLS) {
      for (const [fault, status] of [['http500', 500], ['http503', 503], ['http429', 429]] as const) {
        const reply = await send(protocol.path, protocol.body, protocol.headers, fault);
        assert.equal(reply.status, status, `${protocol.name} ${fault}`);
        assert.equal(errorShape(protocol.name, JSON.parse(reply.body)), expected[protocol.name]![fault], `${protocol.name} ${fault}`);
        if (fault === 'http429') assert.equal(reply.headers['retry-after'], '1');
      }
    }
    assert.equal(sim.requests.at(-1)!.fault, 'http429');
  });

  it('reset destroys the socket before any byte, and is not counted as a client abort', async () => {
    const before = sim.stats().aborted;
    const reply = await send('/v1/chat/completions', chatBody('hi'), {}, 'reset');
    assert.equal(reply.status, 0);
    assert.match(String(reply.error?.code ?? reply.error?.message), /ECONNRESET|socket hang up/);
    const record = sim.requests.at(-1)!;
    assert.equal(record.fault, 'reset');
    assert.equal(record.abortedAt, undefined);
    assert.equal(sim.stats().aborted, before);
  });

  it('midstream cuts a stream after some chunks, and a whole reply after half its body', async () => {
    const stream = await send('/v1/chat/completions', chatBody('hi', { stream: true }), {}, 'midstream');
    assert.equal(stream.status, 200);
    assert.ok(stream.error, 'the client sees the connection die');
    const chunks = parseSse(stream.body);
    assert.ok(chunks.length >= 2, 'some output came first');
    assert.ok(!stream.body.includes('[DONE]'));
    const whole = await send('/api/chat', { ...chatBody('hi'), stream: false }, {}, 'midstream');
    assert.equal(whole.status, 200);
    assert.ok(whole.error);
    assert.ok(whole.body.length > 0);
    assert.throws(() => JSON.parse(whole.body));
  });

  it('stall never answers; the client\'s abort is recorded', async () => {
    for (const stream of [false, true]) {
      const controller = new AbortController();
      const started = Date.now();
      const aborted = sim.waitForAbort((record) => record.fault === 'stall' && record.stream === stream, 2000);
      const pending = fetch(`${sim.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-sim-fault': 'stall' },
        body: JSON.stringify(chatBody('hi', { stream })),
        signal: controller.signal,
      });
      if (stream) {
        const response = await pending;
        assert.equal(response.status, 200, 'a stalled stream sends its headers');
        setTimeout(() => controller.abort(), 150);
        await assert.rejects(response.text());
      } else {
        setTimeout(() => controller.abort(), 150);
        await assert.rejects(pending);
      }
      const record = await aborted;
      assert.ok(record.abortedAt! - started >= 140, 'nothing ended it before the client did');
      assert.equal(record.finishedAt, undefined);
    }
  });

  it('garbage is a 200 whose body is not the protocol', async () => {
    const whole = await send('/v1/chat/completions', chatBody('hi'), {}, 'garbage');
    assert.equal(whole.status, 200);
    assert.throws(() => JSON.parse(whole.body));
    const stream = await send('/v1/chat/completions', chatBody('hi', { stream: true }), {}, 'garbage');
    assert.equal(stream.status, 200);
    assert.throws(() => parseSse(stream.body).forEach((event) => JSON.parse(event.data)));
  });

  it('stream-error ends a stream with the protocol\'s in-band error; a whole reply gets a 500', async () => {
    const stream = await send('/v1/chat/completions', chatBody('hi', { stream: true }), {}, 'stream-error');
    const last = JSON.parse(parseSse(stream.body).at(-1)!.data);
    assert.equal(last.error.type, 'server_error');
    const llama = await send('/completion', { prompt: 'x', stream: true }, {}, 'stream-error');
    assert.equal(JSON.parse(parseSse(llama.body).at(-1)!.data).error.code, 500);
    const whole = await send('/v1/chat/completions', chatBody('hi'), {}, 'stream-error');
    assert.equal(whole.status, 500);
  });

  it('rejects an unknown x-sim-fault value with a 400 that names the header', async () => {
    const reply = await send('/v1/chat/completions', chatBody('hi'), {}, 'explode');
    assert.equal(reply.status, 400);
    assert.match(JSON.parse(reply.body).error.message, /x-sim-fault/);
  });

  it('faults listing and health routes on request, so health probes can be tested', async () => {
    const health = await fetch(`${sim.url}/health`, { headers: { 'x-sim-fault': 'http503' } });
    assert.equal(health.status, 503);
    assert.equal((await health.json()).error.type, 'unavailable_error');
    const tags = await fetch(`${sim.url}/api/tags`, { headers: { 'x-sim-fault': 'http500' } });
    assert.equal(tags.status, 500);
  });
});

describe('seeded error rate', () => {
  const sims: Simulator[] = [];
  after(() => Promise.all(sims.map((sim) => sim.close())));

  async function statuses(seed: number): Promise<number[]> {
    const sim = await startSimulator({ seed, errorRate: 0.3, errorKinds: ['http500', 'http503', 'http429'] });
    sims.push(sim);
    const seen: number[] = [];
    for (let i = 0; i < 60; i++) seen.push((await postRaw(`${sim.url}/v1/chat/completions`, chatBody(`request ${i}`))).status);
    return seen;
  }

  it('fails about the configured fraction, with the same sequence for the same seed', async () => {
    const a = await statuses(99);
    const b = await statuses(99);
    const c = await statuses(100);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    const failed = a.filter((status) => status !== 200);
    assert.ok(failed.length >= 8 && failed.length <= 30, `${failed.length} of 60 failed`);
    assert.deepEqual([...new Set(failed)].sort(), [429, 500, 503]);
    assert.equal(sims[0]!.stats().faults, failed.length);
  });

  it('configure() turns faults on and off at runtime', async () => {
    const sim = await startSimulator({});
    sims.push(sim);
    sim.configure({ errorRate: 1, errorKinds: ['http503'] });
    assert.equal((await postRaw(`${sim.url}/v1/chat/completions`, chatBody('x'))).status, 503);
    sim.configure({ errorRate: 0 });
    assert.equal((await postRaw(`${sim.url}/v1/chat/completions`, chatBody('x'))).status, 200);
    assert.throws(() => sim.configure({ errorRate: 3 }), /errorRate/);
    assert.equal((await postRaw(`${sim.url}/v1/chat/completions`, chatBody('x'))).status, 200, 'a rejected patch changes nothing');
  });
});
