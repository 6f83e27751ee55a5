/** The ollama adapter against scripted wire bytes, as Ollama documents its API. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { GatewayRequest } from '../../../shared/gateway';
import { createProvider } from '../../../daemon/providers/create-provider';
import type { Provider } from '../../../daemon/core/provider';
import { collect, sendJson, settingsFor, startWireServer, writeSlowly, type WireServer } from './wire-server';

const signal = () => new AbortController().signal;

describe('ollama adapter (wire)', () => {
  let server: WireServer;
  let provider: Provider;

  before(async () => {
    server = await startWireServer((_req, res) => sendJson(res, 500, {}));
    provider = createProvider(settingsFor('ollama', server.url));
  });
  after(async () => {
    await provider.close();
    await server.close();
  });

  it('sends /api/chat with options, stream:false, keep_alive, tool history; reads tool calls with generated ids', async () => {
    server.setHandler((_req, res) =>
      sendJson(res, 200, {
        model: 'llama3.2',
        created_at: '2026-11-26T06:00:00.123456Z',
        message: { role: 'assistant', content: '', tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Paris' } } }] },
        done: true,
        done_reason: 'stop',
        prompt_eval_count: 26,
        eval_count: 11,
      }),
    );
    const request: GatewayRequest = {
      kind: 'chat',
      model: 'llama3.2',
      stream: false,
      keepAlive: '10m',
      params: { temperature: 0.1, top_p: 0.9, top_k: 20, min_p: 0.05, seed: 7, max_tokens: 64, stop: ['END'], repeat_penalty: 1.1, presence_penalty: 0.5, frequency_penalty: 0.2 },
      messages: [
        { role: 'system', content: 'sys' },
        { role: 'user', content: [{ type: 'text', text: 'look: ' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } }] },
        { role: 'tool', tool_call_id: 'call_a', content: '21C' },
      ],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
    };
    const response = await provider.complete({ request, model: 'llama3.2', signal: signal() });
    const sent = server.requests.at(-1)!;
    assert.equal(sent.path, '/api/chat');
    assert.equal(sent.body.stream, false);
    assert.equal(sent.body.keep_alive, '10m');
    assert.deepEqual(sent.body.options, {
      temperature: 0.1,
      top_p: 0.9,
      top_k: 20,
      min_p: 0.05,
      seed: 7,
      num_predict: 64,
      stop: ['END'],
      repeat_penalty: 1.1,
      presence_penalty: 0.5,
      frequency_penalty: 0.2,
    });
    assert.deepEqual(sent.body.messages[1], { role: 'user', content: 'look: ', images: ['AAAA'] });
    assert.deepEqual(sent.body.messages[2].tool_calls, [{ function: { name: 'get_weather', arguments: { city: 'Rome' } } }]);
    assert.deepEqual(sent.body.messages[3], { role: 'tool', content: '21C', tool_name: 'get_weather' });
    assert.equal(response.finishReason, 'tool_calls');
    assert.deepEqual(response.usage, { promptTokens: 26, completionTokens: 11 });
    assert.equal(response.toolCalls?.length, 1);
    assert.match(response.toolCalls![0]!.id, /^call_[0-9a-f]{24}$/);
    assert.deepEqual(response.toolCalls![0]!.function, { name: 'get_weather', arguments: '{"city":"Paris"}' });
  });

  it('sends /api/generate with suffix, system and raw for fill-in-the-middle', async () => {
    server.setHandler((_req, res) =>
      sendJson(res, 200, { model: 'qwen2.5-coder', created_at: 'x', response: '  return a + b', done: true, done_reason: 'length', prompt_eval_count: 10, eval_count: 5 }),
    );
    const request: GatewayRequest = { kind: 'completion', model: 'qwen2.5-coder', stream: false, params: { max_tokens: 5 }, prompt: 'def add(a, b):\n', suffix: '\n', system: 'code only', raw: true };
    const response = await provider.complete({ request, model: 'qwen2.5-coder', signal: signal() });
    const sent = server.requests.at(-1)!;
    assert.equal(sent.path, '/api/generate');
    assert.equal(sent.body.prompt, 'def add(a, b):\n');
    assert.equal(sent.body.suffix, '\n');
    assert.equal(sent.body.system, 'code only');
    assert.equal(sent.body.raw, true);
    assert.equal(sent.body.stream, false);
    assert.equal(response.text, '  return a + b');
    assert.equal(response.finishReason, 'length');
  });

  it('streams NDJSON split across chunks, with the counts of the last line', async () => {
    server.setHandler((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      const line = (o: object) => JSON.stringify({ model: 'm', created_at: 'x', ...o }) + '\n';
      const all = line({ message: { role: 'assistant', content: 'Hel' }, done: false }) + line({ message: { role: 'assistant', content: 'lo' }, done: false }) + line({ message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', prompt_eval_count: 3, eval_count: 2 });
      return writeSlowly(res, [all.slice(0, 17), all.slice(17, 90), all.slice(90)]);
    });
    const request: GatewayRequest = { kind: 'chat', model: 'm', stream: true, params: {}, messages: [{ role: 'user', content: 'hi' }] };
    const events = await collect(await provider.stream({ request, model: 'm', signal: signal() }));
    assert.equal(server.requests.at(-1)!.body.stream, true);
    assert.deepEqual(events.slice(0, 2), [
      { type: 'text', text: 'Hel' },
      { type: 'text', text: 'lo' },
    ]);
    assert.equal(events.length, 3);
    const end = events[2]!;
    assert.equal(end.type, 'end');
    assert.deepEqual(end.type === 'end' && [end.finishReason, end.usage], ['stop', { promptTokens: 3, completionTokens: 2 }]);
  });

  it('streams a generate with tool-less text and a mid-stream {"error"} line as a GatewayError', async () => {
    server.setHandler((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.end('{"response":"a","done":false}\n{"error":"an error was encountered while running the model"}\n');
    });
    const request: GatewayRequest = { kind: 'completion', model: 'm', stream: true, params: {}, prompt: 'x' };
    const seen: unknown[] = [];
    await assert.rejects(
      async () => {
        for await (const event of await provider.stream({ request, model: 'm', signal: signal() })) seen.push(event);
      },
      (error: any) => error.code === 'upstreamError' && /while running the model/.test(error.message),
    );
    assert.deepEqual(seen, [{ type: 'text', text: 'a' }]);
  });

  it('estimates prompt tokens when Ollama leaves prompt_eval_count out (prompt fully cached)', async () => {
    server.setHandler((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.end('{"message":{"role":"assistant","content":"ok"},"done":false}\n{"message":{"role":"assistant","content":""},"done":true,"done_reason":"length","eval_count":1}');
    });
    const request: GatewayRequest = { kind: 'chat', model: 'm', stream: true, params: {}, messages: [{ role: 'user', content: 'x'.repeat(40) }] };
    const events = await collect(await provider.stream({ request, model: 'm', signal: signal() }));
    const end = events.at(-1)!;
    assert.ok(end.type === 'end');
    assert.equal(end.finishReason, 'length');
    assert.deepEqual(end.usage, { promptTokens: 14, completionTokens: 1 });
  });

  it('maps {"error": "..."} with 404 to upstreamRejected', async () => {
    server.setHandler((_req, res) => sendJson(res, 404, { error: "model 'nope' not found" }));
    const request: GatewayRequest = { kind: 'chat', model: 'nope', stream: false, params: {}, messages: [{ role: 'user', content: 'hi' }] };
    await assert.rejects(provider.complete({ request, model: 'nope', signal: signal() }), (error: any) => error.code === 'upstreamRejected' && error.status === 404 && /not found/.test(error.message));
  });

  it('lists models from /api/tags, keeping the size, digest, date and details Ollama gave', async () => {
    const details = { parent_model: '', format: 'gguf', family: 'llama', families: ['llama'], parameter_size: '7B', quantization_level: 'Q4_0' };
    server.setHandler((_req, res) =>
      sendJson(res, 200, {
        models: [
          { name: 'codellama:7b', model: 'codellama:7b', modified_at: '2025-05-04T17:37:44.706015396-07:00', size: 3825819519, digest: 'a'.repeat(64), details },
          { name: 'llama3.2:latest', model: 'llama3.2:latest' },
        ],
      }),
    );
    const models = await provider.listModels(signal());
    assert.equal(server.requests.at(-1)!.path, '/api/tags');
    assert.deepEqual(models, [
      {
        id: 'codellama:7b',
        provider: 'test-ollama',
        fim: true,
        facts: {
          sizeBytes: 3825819519,
          digest: 'a'.repeat(64),
          modifiedAt: '2025-05-04T17:37:44.706015396-07:00',
          details: { parentModel: '', format: 'gguf', family: 'llama', families: ['llama'], parameterSize: '7B', quantizationLevel: 'Q4_0' },
        },
      },
      { id: 'llama3.2:latest', provider: 'test-ollama', fim: false },
    ]);
  });
});
