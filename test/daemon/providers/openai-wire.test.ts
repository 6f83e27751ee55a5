/** The openai adapter against scripted wire bytes, as OpenAI documents its API. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { GatewayRequest } from '../../../shared/gateway';
import { createProvider } from '../../../daemon/providers/create-provider';
import type { Provider } from '../../../daemon/core/provider';
import { collect, sendJson, settingsFor, startWireServer, writeSlowly, type WireServer } from './wire-server';

const chat: GatewayRequest = {
  kind: 'chat',
  model: 'gpt-test',
  stream: false,
  params: { temperature: 0.2, max_tokens: 50, stop: ['\n\n'], top_k: 40 },
  messages: [
    { role: 'developer', content: 'Be brief.' },
    { role: 'user', content: 'Hi' },
  ],
  tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }],
  tool_choice: 'auto',
};

function signal(): AbortSignal {
  return new AbortController().signal;
}

describe('openai adapter (wire)', () => {
  let server: WireServer;
  let provider: Provider;

  before(async () => {
    server = await startWireServer((_req, res) => sendJson(res, 500, {}));
    provider = createProvider(settingsFor('openai', `${server.url}/v1`, { apiKey: 'sk-test' }));
  });
  after(async () => {
    await provider.close();
    await provider.close();
    await server.close();
  });

  it('sends a chat request to {baseUrl}/chat/completions and reads the response', async () => {
    server.setHandler((_req, res) =>
      sendJson(res, 200, {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 1700000000,
        model: 'gpt-test-0613',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } }] },
            finish_reason: 'tool_calls',
          },
        ],
        usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 },
      }),
    );
    const response = await provider.complete({ request: chat, model: 'gpt-test', signal: signal() });
    const sent = server.requests.at(-1)!;
    assert.equal(sent.method, 'POST');
    assert.equal(sent.path, '/v1/chat/completions');
    assert.equal(sent.headers.authorization, 'Bearer sk-test');
    assert.equal(sent.body.model, 'gpt-test');
    assert.equal(sent.body.stream, false);
    assert.equal(sent.body.stream_options, undefined);
    assert.equal(sent.body.max_tokens, 50);
    assert.equal(sent.body.top_k, 40, 'local OpenAI-compatible servers get their extensions');
    assert.deepEqual(sent.body.stop, ['\n\n']);
    assert.equal(sent.body.messages[0].role, 'system', 'developer becomes system for compatible servers');
    assert.equal(sent.body.tools[0].function.name, 'lookup');
    assert.equal(sent.body.tool_choice, 'auto');
    assert.deepEqual(response, {
      id: 'chatcmpl-1',
      model: 'gpt-test-0613',
      created: 1700000000,
      text: '',
      toolCalls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } }],
      finishReason: 'tool_calls',
      usage: { promptTokens: 12, completionTokens: 7 },
    });
  });

  it('estimates usage when the server reports none', async () => {
    server.setHandler((_req, res) => sendJson(res, 200, { id: 'x', choices: [{ index: 0, message: { role: 'assistant', content: 'a'.repeat(40) }, finish_reason: 'length' }] }));
    const response = await provider.complete({ request: chat, model: 'gpt-test', signal: signal() });
    assert.equal(response.finishReason, 'length');
    assert.equal(response.usage.estimated, true);
    assert.equal(response.usage.completionTokens, 10);
    assert.ok(response.usage.promptTokens > 0);
  });

  it('sends a fill-in-the-middle completion to {baseUrl}/completions with suffix', async () => {
    server.setHandler((_req, res) =>
      sendJson(res, 200, { id: 'cmpl-1', object: 'text_completion', created: 1, model: 'coder', choices: [{ text: ' + b', index: 0, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 2 } }),
    );
    const request: GatewayRequest = { kind: 'completion', model: 'coder', stream: false, params: { max_tokens: 16 }, prompt: 'return a', suffix: ';\n' };
    const response = await provider.complete({ request, model: 'coder', signal: signal() });
    const sent = server.requests.at(-1)!;
    assert.equal(sent.path, '/v1/completions');
    assert.equal(sent.body.prompt, 'return a');
    assert.equal(sent.body.suffix, ';\n');
    assert.equal(sent.body.max_tokens, 16);
    assert.equal(response.text, ' + b');
    assert.deepEqual(response.usage, { promptTokens: 5, completionTokens: 2 });
  });

  it('streams chat deltas and tool-call deltas, asks for usage, and reads it from the last chunk', async () => {
    const chunk = (body: object) => `data: ${JSON.stringify({ id: 'chatcmpl-s', object: 'chat.completion.chunk', created: 1, model: 'gpt-test', ...body })}\n\n`;
    server.setHandler((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      return writeSlowly(res, [
        chunk({ choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }], usage: null }),
        chunk({ choices: [{ index: 0, delta: { content: 'Hel' }, finish_reason: null }] }).slice(0, 30),
        chunk({ choices: [{ index: 0, delta: { content: 'Hel' }, finish_reason: null }] }).slice(30),
        chunk({ choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_9', type: 'function', function: { name: 'lookup', arguments: '' } }] }, finish_reason: null }] }),
        chunk({ choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"q":' } }] }, finish_reason: null }] }),
        chunk({ choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] }),
        chunk({ choices: [], usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 } }),
        'data: [DONE]\n\n',
      ]);
    });
    const events = await collect(await provider.stream({ request: { ...chat, stream: true }, model: 'gpt-test', signal: signal() }));
    const sent = server.requests.at(-1)!;
    assert.equal(sent.body.stream, true);
    assert.deepEqual(sent.body.stream_options, { include_usage: true });
    assert.deepEqual(events, [
      { type: 'text', text: 'Hel' },
      { type: 'tool_call', index: 0, id: 'call_9', name: 'lookup', argumentsDelta: '' },
      { type: 'tool_call', index: 0, id: undefined, name: undefined, argumentsDelta: '{"q":' },
      { type: 'end', finishReason: 'tool_calls', usage: { promptTokens: 9, completionTokens: 4 }, id: 'chatcmpl-s' },
    ]);
  });

  it('streams a completion and maps finish_reason length', async () => {
    server.setHandler((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('data: {"id":"c","choices":[{"text":"a","index":0,"finish_reason":null}]}\r\n\r\ndata: {"id":"c","choices":[{"text":"b","index":0,"finish_reason":"length"}]}\r\n\r\ndata: [DONE]\r\n\r\n');
    });
    const request: GatewayRequest = { kind: 'completion', model: 'coder', stream: true, params: {}, prompt: 'x', suffix: 'y' };
    const events = await collect(await provider.stream({ request, model: 'coder', signal: signal() }));
    assert.deepEqual(events, [
      { type: 'text', text: 'a' },
      { type: 'text', text: 'b' },
      { type: 'end', finishReason: 'length', usage: undefined, id: 'c' },
    ]);
  });

  it('passes on an error event sent inside a 200 stream', async () => {
    server.setHandler((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('data: {"choices":[{"index":0,"delta":{"content":"x"}}]}\n\ndata: {"error":{"message":"upstream overloaded","code":503}}\n\n');
    });
    const events: unknown[] = [];
    await assert.rejects(
      async () => {
        for await (const event of await provider.stream({ request: { ...chat, stream: true }, model: 'gpt-test', signal: signal() })) events.push(event);
      },
      (error: any) => error.name === 'GatewayError' && error.code === 'upstreamUnavailable' && /overloaded/.test(error.message) && error.retryable === false,
    );
    assert.equal(events.length, 1);
  });

  it('lists models from {baseUrl}/models and probes the same route', async () => {
    server.setHandler((_req, res) =>
      sendJson(res, 200, { object: 'list', data: [{ id: 'qwen2.5-coder-7b', object: 'model', max_model_len: 32768 }, { id: 'llama-3.1-8b', object: 'model' }] }),
    );
    const models = await provider.listModels(signal());
    assert.equal(server.requests.at(-1)!.path, '/v1/models');
    assert.deepEqual(models, [
      { id: 'qwen2.5-coder-7b', provider: 'test-openai', fim: true, contextLength: 32768 },
      { id: 'llama-3.1-8b', provider: 'test-openai', fim: false, contextLength: undefined },
    ]);
    await provider.probe(signal());
    assert.equal(server.requests.at(-1)!.method, 'GET');
  });

  it('maps an upstream 404 to upstreamRejected with the upstream message', async () => {
    server.setHandler((_req, res) => sendJson(res, 404, { error: { message: 'The model `nope` does not exist', type: 'invalid_request_error', code: 'model_not_found' } }));
    await assert.rejects(provider.complete({ request: chat, model: 'nope', signal: signal() }), (error: any) => {
      assert.equal(error.code, 'upstreamRejected');
      assert.equal(error.status, 404);
      assert.equal(error.retryable, false);
      assert.match(error.message, /does not exist/);
      return true;
    });
  });
});

describe('openai adapter against api.openai.com rules', () => {
  it('sends max_completion_tokens and no local extensions to the official API', async () => {
    const { chatBody, dialectOf } = await import('../../../daemon/providers/openai-translate');
    const body = chatBody(chat, 'gpt-4.1', false, dialectOf('https://api.openai.com'));
    assert.equal(body.max_tokens, undefined);
    assert.equal(body.max_completion_tokens, 50);
    assert.equal(body.top_k, undefined);
  });
});
