import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSimulator } from '../../../bench/sim/index';
import type { FaultKind, Simulator } from '../../../bench/sim/contract';
import { ErrorCodes, GatewayError, type ErrorCode } from '../../../daemon/core/errors';
import { ollamaErrorBody, openAIErrorBody } from '../../../daemon/http/error-shapes';
import { simProviderToml, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon';
import { exchange, keysOf, ndjsonLines, sseData, type WireReply } from './wire-helpers';

/** The README's table of error codes: `| code | status | when |` rows under "Error codes". */
function readmeCodes(): Map<string, number> {
  const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Error codes'));
  const table = section.slice(0, section.indexOf('\n\n', section.indexOf('| ---')));
  const codes = new Map<string, number>();
  for (const match of table.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \|/gm)) codes.set(match[1]!, Number(match[2]));
  return codes;
}

function assertOpenAIError(reply: WireReply, status: number, code: string): void {
  assert.equal(reply.status, status, reply.text);
  const error = reply.json?.error;
  assert.ok(error, `an OpenAI error object: ${reply.text}`);
  assert.deepEqual(keysOf(error).filter((key) => key !== 'switchyard'), ['code', 'message', 'param', 'type']);
  assert.equal(error.code, code, reply.text);
  assert.match(error.code, /^[a-z]+(_[a-z]+)*$/);
  assert.equal(typeof error.type, 'string');
  assert.ok(error.message.length > 0);
}

function assertOllamaError(reply: WireReply, status: number): void {
  assert.equal(reply.status, status, reply.text);
  assert.deepEqual(keysOf(reply.json), ['error']);
  assert.equal(typeof reply.json.error, 'string');
}

describe('every error code the doors give, in each door\'s shape, as the README\'s table says', () => {
  let sim: Simulator;
  let daemon: TestDaemon;
  const seen = new Map<string, number>();

  before(async () => {
    sim = await startSimulator({ latencyMs: 1, ttftMs: 1, outputTokens: 30, tokensPerSecond: 400, seed: 3, models: ['sim-chat', 'sim-coder', 'paid', 'slow'] });
    const faultProviders = ['midstream', 'streamerror', 'failing', 'broken']
      .map((name) => simProviderToml(name, 'openai', sim.url, `models = ["sim-chat"]`) + simProviderToml(`${name}-ollama`, 'ollama', sim.url, `models = ["sim-chat"]`))
      .join('');
    daemon = await startTestDaemon(
      simProviderToml('sim', 'openai', sim.url, 'models = ["sim-chat", "slow", "ghost"]\nheaders_timeout_ms = 5000') +
        simProviderToml('anth', 'anthropic', sim.url, 'models = ["sim-coder"]') +
        simProviderToml('cloud', 'openai', sim.url, 'models = ["paid"]').replace('local = true', 'local = false') +
        faultProviders +
        '[[providers]]\nname = "down"\nkind = "openai"\nbase_url = "http://127.0.0.1:9/v1"\nlocal = true\nmodels = ["down-model"]\n' +
        '[[budgets]]\nname = "tiny"\nscope = "provider"\nproviders = ["cloud"]\nwindow = "day"\nlimit_tokens = 1\naction = "block"\n' +
        '[server]\nbody_limit_bytes = 4096\n',
      { logLevel: 'warn' },
    );
  });
  after(async () => {
    await daemon?.close();
    await sim?.close();
  });

  const send = (path: string, body: unknown, headers: Record<string, string> = {}) => exchange(`${daemon.url}${path}`, { body, headers: { ...daemon.auth, ...headers } });
  const chat = { messages: [{ role: 'user', content: 'hello' }] };

  /** Checks one code on both doors (same status; OpenAI's object on /v1, Ollama's string on /api). */
  async function expectCode(code: string, status: number, openai: () => Promise<WireReply>, ollama?: () => Promise<WireReply>): Promise<void> {
    assertOpenAIError(await openai(), status, code);
    if (ollama !== undefined) assertOllamaError(await ollama(), status);
    seen.set(code, status);
  }

  it('request errors: bad values, types, missing fields, bad JSON, media type, unknown URL', async () => {
    await expectCode('invalid_value', 400, () => send('/v1/chat/completions', { model: 'sim-chat', ...chat, n: 3 }), () => send('/api/chat', { model: 'sim-chat', messages: [{ role: 'robot', content: 'x' }] }));
    // The message names what is allowed.
    const n = await send('/v1/chat/completions', { model: 'sim-chat', ...chat, n: 3 });
    assert.equal(n.json.error.message, "Invalid value for 'n': 3. Supported values are: 1 or null.");
    assert.equal(n.json.error.param, 'n');
    const role = await send('/v1/chat/completions', { model: 'sim-chat', messages: [{ role: 'robot', content: 'x' }] });
    assert.match(role.json.error.message, /'messages\[0\]\.role': "robot"\. Supported values are: "system", "developer", "user", "assistant" or "tool"/);
    const ollamaRole = await send('/api/chat', { model: 'sim-chat', messages: [{ role: 'robot', content: 'x' }] });
    assert.match(ollamaRole.json.error, /Supported values are: "system", "user", "assistant" or "tool"/);
    await expectCode('invalid_type', 400, () => send('/v1/chat/completions', { model: 'sim-chat', ...chat, temperature: 'hot' }), () => send('/api/chat', { model: 'sim-chat', messages: 'hi' }));
    await expectCode('missing_required_parameter', 400, () => send('/v1/chat/completions', { model: 'sim-chat' }), () => send('/api/chat', { messages: [] }));
    await expectCode('invalid_json', 400, () => send('/v1/chat/completions', '{"model":'), () => send('/api/chat', '{"model":'));
    const asText = (path: string) => () => exchange(`${daemon.url}${path}`, { body: 'hello', headers: { ...daemon.auth, 'content-type': 'application/xml' } });
    await expectCode('unsupported_media_type', 415, asText('/v1/chat/completions'));
    // The Ollama door reads any content type as JSON, as Ollama does: this body is bad JSON there.
    assertOllamaError(await asText('/api/chat')(), 400);
    await expectCode('unknown_url', 404, () => send('/v1/nothing', {}), () => send('/api/nothing', {}));
  });

  it('who may ask: a bad token, a web origin, a body too large', async () => {
    const badToken = (path: string) => () => exchange(`${daemon.url}${path}`, { body: { model: 'sim-chat', ...chat }, headers: { authorization: 'Bearer nope' } });
    await expectCode('invalid_api_key', 401, badToken('/v1/chat/completions'), badToken('/api/chat'));
    const fromWeb = (path: string) => () => send(path, { model: 'sim-chat', ...chat }, { origin: 'https://evil.example' });
    await expectCode('forbidden_origin', 403, fromWeb('/v1/chat/completions'), fromWeb('/api/chat'));
    const huge = { model: 'sim-chat', messages: [{ role: 'user', content: 'x'.repeat(8192) }] };
    await expectCode('request_too_large', 413, () => send('/v1/chat/completions', huge), () => send('/api/chat', huge));
  });

  it('what the request names: an unknown model, one the upstream does not have, a feature the protocol lacks', async () => {
    await expectCode('model_not_found', 404, () => send('/v1/chat/completions', { model: 'nope', ...chat }), () => send('/api/chat', { model: 'nope', ...chat, stream: false }));
    // `ghost` is configured but the upstream has no such model: its 404 keeps OpenAI's code.
    await expectCode('model_not_found', 404, () => send('/v1/chat/completions', { model: 'ghost', ...chat }));
    await expectCode('unsupported_value', 400, () => send('/v1/completions', { model: 'sim-coder', prompt: 'a', suffix: 'b' }), () => send('/api/generate', { model: 'sim-coder', prompt: 'a', suffix: 'b', stream: false }));
    // Five stop sequences: the gateway takes them, this upstream refuses more than four.
    const stops = { model: 'sim/sim-chat', ...chat, stop: ['a', 'b', 'c', 'd', 'e'] };
    await expectCode('upstream_rejected', 400, () => send('/v1/chat/completions', stops));
  });

  it('limits: a spent budget, an upstream that rate-limits every attempt', async () => {
    await expectCode('insufficient_quota', 429, () => send('/v1/chat/completions', { model: 'paid', ...chat }), () => send('/api/chat', { model: 'paid', ...chat, stream: false }));
    sim.configure({ errorRate: 1, errorKinds: ['http429'], retryAfterSeconds: 1 });
    try {
      const limited = await send('/v1/chat/completions', { model: 'failing/sim-chat', ...chat });
      assertOpenAIError(limited, 429, 'rate_limit_exceeded');
      assert.ok(limited.headers['retry-after'] !== undefined, 'Retry-After is passed on');
      seen.set('rate_limit_exceeded', 429);
      assertOllamaError(await send('/api/chat', { model: 'failing-ollama/sim-chat', ...chat, stream: false }), 429);
    } finally {
      sim.configure({ errorRate: 0 });
    }
  });

  it('failures: every candidate failed, nothing reachable, the deadline passed', async () => {
    sim.configure({ errorRate: 1, errorKinds: ['http500'] });
    try {
      await expectCode('no_provider_available', 503, () => send('/v1/chat/completions', { model: 'broken/sim-chat', ...chat }), () => send('/api/chat', { model: 'broken-ollama/sim-chat', ...chat, stream: false }));
    } finally {
      sim.configure({ errorRate: 0 });
    }
    await expectCode('no_provider_available', 503, () => send('/v1/chat/completions', { model: 'down-model', ...chat }), () => send('/api/chat', { model: 'down-model', ...chat, stream: false }));
    sim.configure({ ttftMs: 2_000, latencyMs: 2_000 });
    try {
      const late = { 'x-switchyard-deadline-ms': '300' };
      await expectCode('deadline_exceeded', 504, () => send('/v1/chat/completions', { model: 'slow', ...chat }, late), () => send('/api/chat', { model: 'slow', ...chat, stream: false }, late));
    } finally {
      sim.configure({ ttftMs: 1, latencyMs: 1 });
    }
  });

  it('an upstream that fails after output: the error event in the stream carries the code', async () => {
    const cases: [FaultKind, string, string][] = [
      ['midstream', 'midstream', 'upstream_unavailable'],
      ['stream-error', 'streamerror', 'upstream_error'],
    ];
    for (const [fault, provider, code] of cases) {
      sim.configure({ errorRate: 1, errorKinds: [fault] });
      try {
        const reply = await send('/v1/chat/completions', { model: `${provider}/sim-chat`, ...chat, stream: true });
        assert.equal(reply.status, 200);
        const events = sseData(reply.text);
        assert.notEqual(events.at(-1), '[DONE]');
        const last = events.at(-1) as Record<string, any>;
        assert.deepEqual(keysOf(last.error).filter((key) => key !== 'switchyard'), ['code', 'message', 'param', 'type']);
        assert.equal(last.error.code, code, reply.text);
        seen.set(code, ErrorCodes[code === 'upstream_error' ? 'upstreamError' : 'upstreamUnavailable'].status);
        const lines = ndjsonLines((await send('/api/chat', { model: `${provider}-ollama/sim-chat`, ...chat })).text);
        assert.deepEqual(keysOf(lines.at(-1)), ['error']);
      } finally {
        sim.configure({ errorRate: 0 });
      }
    }
  });

  it('codes no client request can bring about on demand map to their shapes too', () => {
    const rare: [ErrorCode, string, string][] = [
      ['upstreamTimeout', 'upstream_timeout', 'the upstream went silent in the middle of its response'],
      ['upstreamProtocol', 'upstream_protocol_error', 'the upstream sent a response that is not its protocol'],
      ['internal', 'server_error', 'the gateway failed'],
    ];
    for (const [internal, code, message] of rare) {
      const body = openAIErrorBody(new GatewayError(internal, message));
      assert.equal(body.error.code, code);
      assert.deepEqual(ollamaErrorBody(new GatewayError(internal, message)), { error: message });
      seen.set(code, ErrorCodes[internal].status);
    }
    const tooLong = new GatewayError('upstreamRejected', "llama rejected the request (400): the request exceeds the available context size, try increasing it", { status: 400 });
    assert.equal(openAIErrorBody(tooLong).error.code, 'context_length_exceeded');
    assert.equal(openAIErrorBody(new GatewayError('upstreamRejected', "This model's maximum context length is 8192 tokens.")).error.code, 'context_length_exceeded');
    seen.set('context_length_exceeded', 400);
  });

  it('the README\'s table lists exactly these codes, with these statuses', () => {
    const table = readmeCodes();
    assert.deepEqual([...table.keys()].sort(), [...seen.keys()].sort());
    for (const [code, status] of seen) assert.equal(table.get(code), status, code);
  });
});
