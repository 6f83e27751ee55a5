/** The llamacpp adapter against scripted wire bytes, as llama.cpp's server README documents them. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { GatewayRequest } from '../../../shared/gateway';
import { createProvider } from '../../../daemon/providers/create-provider';
import type { Provider } from '../../../daemon/core/provider';
import { collect, sendJson, settingsFor, startWireServer, writeSlowly, type WireServer } from './wire-server';

const signal = () => new AbortController().signal;

const fim: GatewayRequest = {
  kind: 'completion',
  model: 'qwen2.5-coder-1.5b',
  stream: false,
  params: { max_tokens: 32, temperature: 0.1, top_k: 40, top_p: 0.95, min_p: 0.05, seed: 3, stop: ['\n\n'], repeat_penalty: 1.05 },
  prompt: 'function add(a, b) {\n  ',
  suffix: '\n}\n',
  extraContext: [{ filename: 'util.ts', text: 'export const one = 1;' }],
};

describe('llamacpp adapter (wire)', () => {
  let server: WireServer;
  let provider: Provider;

  before(async () => {
    server = await startWireServer((_req, res) => sendJson(res, 500, {}));
    provider = createProvider(settingsFor('llamacpp', server.url, { apiKey: 'local-key' }));
  });
  after(async () => {
    await provider.close();
    await server.close();
  });

  it('sends a completion with suffix to /infill with llama.cpp field names', async () => {
    server.setHandler((_req, res) =>
      sendJson(res, 200, { content: 'return a + b;', stop: true, model: 'qwen', tokens_predicted: 6, tokens_evaluated: 40, stop_type: 'eos', truncated: false }),
    );
    const response = await provider.complete({ request: fim, model: fim.model, signal: signal() });
    const sent = server.requests.at(-1)!;
    assert.equal(sent.path, '/infill');
    assert.equal(sent.headers.authorization, 'Bearer local-key');
    assert.equal(sent.body.input_prefix, fim.prompt);
    assert.equal(sent.body.input_suffix, fim.suffix);
    assert.deepEqual(sent.body.input_extra, [{ filename: 'util.ts', text: 'export const one = 1;' }]);
    assert.equal(sent.body.prompt, undefined);
    assert.equal(sent.body.n_predict, 32);
    assert.equal(sent.body.top_k, 40);
    assert.equal(sent.body.min_p, 0.05);
    assert.equal(sent.body.repeat_penalty, 1.05);
    assert.equal(sent.body.stream, false);
    assert.equal(response.text, 'return a + b;');
    assert.equal(response.finishReason, 'stop');
    assert.deepEqual(response.usage, { promptTokens: 40, completionTokens: 6 });
  });

  it('sends a completion without suffix to /completion and maps stop_type limit to length', async () => {
    server.setHandler((_req, res) => sendJson(res, 200, { content: 'abc', stop: true, tokens_predicted: 3, tokens_evaluated: 2, stop_type: 'limit', truncated: false }));
    const response = await provider.complete({ request: { ...fim, suffix: undefined, extraContext: undefined }, model: fim.model, signal: signal() });
    const sent = server.requests.at(-1)!;
    assert.equal(sent.path, '/completion');
    assert.equal(sent.body.prompt, fim.prompt);
    assert.equal(sent.body.input_prefix, undefined);
    assert.equal(response.finishReason, 'length');
  });

  it('streams /infill as SSE with the final stop object', async () => {
    server.setHandler((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      return writeSlowly(res, [
        'data: {"content":"return","stop":false,"index":0}\n\n',
        'data: {"content":" a","stop":false}\n',
        '\ndata: {"content":"","stop":true,"tokens_predicted":2,"tokens_evaluated":30,"stop_type":"limit","truncated":false,"timings":{"prompt_n":30,"prompt_ms":12.5,"predicted_n":2,"predicted_ms":40}}\n\n',
      ]);
    });
    const events = await collect(await provider.stream({ request: { ...fim, stream: true }, model: fim.model, signal: signal() }));
    assert.equal(server.requests.at(-1)!.body.stream, true);
    assert.equal(events.length, 3);
    assert.deepEqual(events.slice(0, 2), [
      { type: 'text', text: 'return' },
      { type: 'text', text: ' a' },
    ]);
    const end = events[2]!;
    assert.ok(end.type === 'end');
    assert.equal(end.finishReason, 'length');
    assert.deepEqual(end.usage, { promptTokens: 30, completionTokens: 2 });
    assert.deepEqual(end.timings, { promptEvalNs: 12_500_000, evalNs: 40_000_000, totalNs: 52_500_000 }, 'the server\'s own timings, for the Ollama door');
  });

  it('uses the OpenAI route /v1/chat/completions for chat, /v1/models for listing and /health for the probe', async () => {
    server.setHandler((req, res) => {
      if (req.path === '/v1/chat/completions') return sendJson(res, 200, { id: 'c', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1 } });
      if (req.path === '/v1/models') return sendJson(res, 200, { object: 'list', data: [{ id: 'qwen2.5-coder-1.5b', meta: { n_ctx_train: 32768 } }] });
      if (req.path === '/health') return sendJson(res, 200, { status: 'ok' });
      return sendJson(res, 404, { error: { code: 404, message: 'File Not Found', type: 'not_found_error' } });
    });
    const chat: GatewayRequest = { kind: 'chat', model: 'm', stream: false, params: {}, messages: [{ role: 'user', content: 'hi' }] };
    assert.equal((await provider.complete({ request: chat, model: 'm', signal: signal() })).text, 'hi');
    assert.equal(server.requests.at(-1)!.path, '/v1/chat/completions');
    assert.deepEqual(await provider.listModels(signal()), [{ id: 'qwen2.5-coder-1.5b', provider: 'test-llamacpp', fim: true, contextLength: 32768 }]);
    await provider.probe(signal());
    assert.equal(server.requests.at(-1)!.path, '/health');
  });

  it("surfaces llama.cpp's `error:` stream lines instead of ending the stream as if complete", async () => {
    const tooLong = 'error: {"code":400,"message":"the request exceeds the available context size","type":"exceed_context_size_error"}\n\n';
    server.setHandler((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(req.path === '/v1/chat/completions' ? tooLong + 'data: [DONE]\n\n' : tooLong);
    });
    const rejectsWithContextError = (error: any) => error.code === 'upstreamRejected' && error.status === 400 && /context size/.test(error.message);
    await assert.rejects(collect(await provider.stream({ request: { ...fim, stream: true }, model: fim.model, signal: signal() })), rejectsWithContextError);
    const chat: GatewayRequest = { kind: 'chat', model: 'm', stream: true, params: {}, messages: [{ role: 'user', content: 'hi' }] };
    await assert.rejects(collect(await provider.stream({ request: chat, model: 'm', signal: signal() })), rejectsWithContextError);
  });

  it('fails the probe while the model is loading (503)', async () => {
    server.setHandler((_req, res) => sendJson(res, 503, { error: { code: 503, message: 'Loading model', type: 'unavailable_error' } }));
    await assert.rejects(provider.probe(signal()), (error: any) => error.code === 'upstreamUnavailable' && /Loading model/.test(error.message));
  });
});
