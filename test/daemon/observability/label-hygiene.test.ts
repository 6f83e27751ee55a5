import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import { startSimulator } from '../../../bench/sim/index';
import type { Simulator } from '../../../bench/sim/contract';
import { GatewayMetrics } from '../../../daemon/observability/metrics';
import { simProviderToml, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon';

const PROVIDER_KEY = 'sk-provider-SECRET-5f1e2d3c4b5a69788796a5b4';
const CLIENT_KEY = 'sk-client-SECRET-0a1b2c3d4e5f60718293a4b5';
const PROMPT_MARK = 'zebra-umbrella-prompt';

/** Series of a Prometheus text exposition: `name{labels} value` lines, comments left out. */
function seriesOf(text: string): string[] {
  return text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
}

function modelLabels(text: string): Set<string> {
  return new Set([...text.matchAll(/[{,]model="([^"]*)"/g)].map((m) => m[1]!));
}

describe('metrics and logs carry no secrets, no prompts, and a bounded set of series', () => {
  let sim: Simulator;
  let daemon: TestDaemon;
  const KNOWN = ['sim-chat', 'sim-coder'];

  before(async () => {
    sim = await startSimulator({ latencyMs: 1, ttftMs: 1, models: KNOWN });
    daemon = await startTestDaemon(
      simProviderToml('cloudish', 'openai', sim.url, `models = ${JSON.stringify(KNOWN)}\napi_key_env = "CLOUDISH_KEY"`) + '\n[aliases]\nfast = "sim-coder"\n',
      { env: { CLOUDISH_KEY: PROVIDER_KEY }, logLevel: 'info' },
    );
  });
  after(async () => {
    await daemon?.close();
    await sim?.close();
  });

  const send = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    request(`${daemon.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...daemon.auth, 'x-api-key': CLIENT_KEY, 'api-key': CLIENT_KEY, ...headers },
      body: JSON.stringify(body),
    });

  /** Unique prompts, both doors, streamed and not, known models, an alias, and model names nothing serves. */
  async function batch(round: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const model = i % 4 === 3 ? `made-up-${round}-${i}-${CLIENT_KEY}` : i % 4 === 2 ? 'fast' : KNOWN[i % 2]!;
      const content = `${PROMPT_MARK} ${round}-${i} ${Math.random()}`;
      const stream = i % 2 === 0;
      const response = i % 3 === 0
        ? await send('/api/chat', { model, messages: [{ role: 'user', content }], stream })
        : await send('/v1/chat/completions', { model, messages: [{ role: 'user', content }], stream });
      await response.body.text();
      ids.push(String(response.headers['x-request-id']));
    }
    return ids;
  }

  async function scrape(): Promise<string> {
    const response = await request(`${daemon.url}/metrics`, { headers: daemon.auth });
    assert.equal(response.statusCode, 200);
    return response.body.text();
  }

  it('holds no key or prompt text after requests with secrets and unique prompts, and its series stop growing', async () => {
    await scrape(); // the scrape's own request series exists from here on
    await batch(1);
    const first = await scrape();
    await batch(2);
    const second = await scrape();
    for (const text of [first, second]) {
      assert.ok(!text.includes(PROVIDER_KEY) && !text.includes(CLIENT_KEY) && !text.includes(daemon.token), 'no key or token in /metrics');
      assert.ok(!text.includes(PROMPT_MARK), 'no prompt text in /metrics');
      assert.ok(!text.includes('made-up'), 'no model name outside the known set');
    }
    // The bound: configured and listed models, aliases, and "other".
    const bound = new Set([...KNOWN, 'fast', 'other']);
    for (const model of modelLabels(second)) assert.ok(bound.has(model), `model label "${model}" is outside the known set`);
    // Request-scoped figures drift (process metrics, counters), but no series is added by more unique requests.
    const names = (text: string) => new Set(seriesOf(text).filter((l) => !l.startsWith('switchyard_process_') && !l.startsWith('switchyard_nodejs_')).map((line) => line.slice(0, line.lastIndexOf(' '))));
    assert.deepEqual([...names(second)].filter((s) => !names(first).has(s)), [], 'a second batch of unique requests adds no series');
    assert.match(second, /^switchyard_process_cpu_user_seconds_total \d/m, "prom-client's process metrics, prefixed");
    assert.match(second, /switchyard_time_per_output_token_seconds_count\{provider="cloudish",model="sim-chat",route="\(direct\)",door="openai"\} [1-9]/);
    assert.match(second, /switchyard_request_errors_total\{door="openai",code="unknownModel"\} [1-9]/);
  });

  it('counts any model outside the known set as "other", however many names clients invent', async () => {
    const metrics = new GatewayMetrics({ isKnownModel: (model) => model === 'known' });
    for (let i = 0; i < 500; i++) metrics.attemptSeries('p', `invented-${i}`, 'r', 'openai').timeToFirstToken.observe(0.01);
    metrics.attemptSeries('p', 'known', 'r', 'openai').timeToFirstToken.observe(0.01);
    const counts = (await metrics.timeToFirstToken.get()).values.filter((v) => v.metricName === 'switchyard_time_to_first_token_seconds_count');
    assert.deepEqual(counts.map((v) => [v.labels.model, v.value]).sort(), [['known', 1], ['other', 500]]);
  });

  it('returns a request id, writes one info line per request with what happened, and logs no secret or prompt', async () => {
    const before = daemon.logs().length;
    const ids = await batch(3);
    const given = await send('/v1/chat/completions', { model: 'sim-chat', messages: [{ role: 'user', content: `${PROMPT_MARK} own id` }] }, { 'x-request-id': 'client-trace-42' });
    await given.body.text();
    assert.equal(given.headers['x-request-id'], 'client-trace-42', "the client's own id is kept");
    assert.equal(new Set(ids).size, ids.length, 'every request has its own id');
    // Let the last onResponse hook finish writing.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const logged = daemon.logs().slice(before);
    assert.ok(!logged.includes(PROVIDER_KEY) && !logged.includes(CLIENT_KEY) && !logged.includes(daemon.token), 'no key or token in the logs');
    assert.ok(!logged.includes(PROMPT_MARK), 'no prompt text in the logs');
    const lines = logged.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === 'request');
    for (const id of [...ids, 'client-trace-42']) {
      const mine = lines.filter((line) => line.reqId === id);
      assert.equal(mine.length, 1, `one line for request ${id}`);
      assert.equal(mine[0]!.level, 30, 'at info level');
    }
    const served = lines.find((line) => line.reqId === ids[1])!;
    assert.equal(served.door, 'openai');
    assert.equal(served.route, '(direct)');
    assert.equal(served.provider, 'cloudish');
    assert.equal(served.model, 'sim-coder');
    assert.equal(served.status, 200);
    assert.equal(served.cache, 'BYPASS');
    assert.equal(served.attempts, 1);
    assert.equal(typeof served.latencyMs, 'number');
    assert.equal(typeof served.ttftMs, 'number');
    assert.ok((served.outputTokens as number) > 0 && (served.inputTokens as number) > 0);
    const refused = lines.find((line) => line.reqId === ids[3])!;
    assert.equal(refused.status, 404);
    assert.equal(refused.door, 'ollama');
  });

  it('changes the log level while running: at warn, requests write no info lines; back at info they do', async () => {
    const put = (level: string) => request(`${daemon.url}/v1/switchyard/log-level`, { method: 'PUT', headers: { 'content-type': 'application/json', ...daemon.auth }, body: JSON.stringify({ level }) });
    const changed = await put('warn');
    assert.deepEqual(await changed.body.json(), { level: 'warn', previous: 'info' });
    const start = daemon.logs().length;
    await (await send('/v1/chat/completions', { model: 'sim-chat', messages: [{ role: 'user', content: 'quiet' }] })).body.text();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(!daemon.logs().slice(start).includes('"msg":"request"'));
    const bad = await put('loud');
    assert.equal(bad.statusCode, 400);
    await (await put('info')).body.text();
    const read = await request(`${daemon.url}/v1/switchyard/log-level`, { headers: daemon.auth });
    assert.deepEqual(await read.body.json(), { level: 'info' });
    const again = daemon.logs().length;
    await (await send('/v1/chat/completions', { model: 'sim-chat', messages: [{ role: 'user', content: 'loud again' }] })).body.text();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(daemon.logs().slice(again).includes('"msg":"request"'));
  });
});
