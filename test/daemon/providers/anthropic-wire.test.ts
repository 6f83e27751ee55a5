/** The anthropic adapter against scripted wire bytes, as Anthropic documents the Messages API. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { GatewayRequest } from '../../../shared/gateway';
import { createProvider } from '../../../daemon/providers/create-provider';
import type { Provider } from '../../../daemon/core/provider';
import { collect, sendJson, settingsFor, startWireServer, writeSlowly, type WireServer } from './wire-server';

const signal = () => new AbortController().signal;

function sseEvent(type: string, data: object): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

const toolChat: GatewayRequest = {
  kind: 'chat',
  model: 'claude-test',
  stream: false,
  params: { temperature: 1.4, stop: ['###'] },
  messages: [
    { role: 'system', content: 'You are terse.' },
    { role: 'developer', content: 'Use tools.' },
    { role: 'user', content: 'Weather in Paris?' },
    { role: 'assistant', content: 'Checking.', tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
    { role: 'tool', tool_call_id: 'toolu_1', content: '21C' },
    { role: 'user', content: 'And tomorrow?' },
  ],
  tools: [{ type: 'function', function: { name: 'get_weather', description: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
  tool_choice: 'required',
};

describe('anthropic adapter (wire)', () => {
  let server: WireServer;
  let provider: Provider;

  before(async () => {
    server = await startWireServer((_req, res) => sendJson(res, 500, {}));
    provider = createProvider(settingsFor('anthropic', server.url, { apiKey: 'sk-ant-test' }));
  });
  after(async () => {
    await provider.close();
    await server.close();
  });

  it('translates system, tools, tool calls and results; sends the key and version; reads tool_use', async () => {
    server.setHandler((_req, res) =>
      sendJson(res, 200, {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-test-2025',
        content: [
          { type: 'text', text: 'Let me check.' },
          { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: { city: 'Paris', day: 'tomorrow' } },
        ],
        stop_reason: 'tool_use',
        stop_sequence: null,
        usage: { input_tokens: 100, output_tokens: 20 },
      }),
    );
    const response = await provider.complete({ request: toolChat, model: 'claude-test', signal: signal() });
    const sent = server.requests.at(-1)!;
    assert.equal(sent.path, '/v1/messages');
    assert.equal(sent.headers['x-api-key'], 'sk-ant-test');
    assert.equal(sent.headers['anthropic-version'], '2023-06-01');
    assert.equal(sent.headers.authorization, undefined);
    assert.equal(sent.body.system, 'You are terse.\n\nUse tools.');
    assert.equal(sent.body.max_tokens, 4096);
    assert.equal(sent.body.temperature, 1);
    assert.deepEqual(sent.body.stop_sequences, ['###']);
    assert.deepEqual(sent.body.tools, [{ name: 'get_weather', description: 'weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }]);
    assert.deepEqual(sent.body.tool_choice, { type: 'any' });
    assert.deepEqual(sent.body.messages, [
      { role: 'user', content: 'Weather in Paris?' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: '21C' },
          { type: 'text', text: 'And tomorrow?' },
        ],
      },
    ]);
    assert.deepEqual(response, {
      id: 'msg_1',
      model: 'claude-test-2025',
      created: response.created,
      text: 'Let me check.',
      toolCalls: [{ id: 'toolu_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris","day":"tomorrow"}' } }],
      finishReason: 'tool_calls',
      usage: { promptTokens: 100, completionTokens: 20 },
    });
  });

  it('turns a completion into one user message and refuses fill-in-the-middle with a clear 400', async () => {
    server.setHandler((_req, res) =>
      sendJson(res, 200, { id: 'msg_2', type: 'message', role: 'assistant', model: 'm', content: [{ type: 'text', text: 'ok' }], stop_reason: 'max_tokens', usage: { input_tokens: 3, output_tokens: 1 } }),
    );
    const completion: GatewayRequest = { kind: 'completion', model: 'm', stream: false, params: { max_tokens: 1 }, prompt: 'Say ok', system: 'sys' };
    const response = await provider.complete({ request: completion, model: 'm', signal: signal() });
    assert.deepEqual(server.requests.at(-1)!.body.messages, [{ role: 'user', content: 'Say ok' }]);
    assert.equal(server.requests.at(-1)!.body.system, 'sys');
    assert.equal(response.finishReason, 'length');
    const before = server.requests.length;
    await assert.rejects(provider.complete({ request: { ...completion, suffix: 'tail' }, model: 'm', signal: signal() }), (error: any) => {
      assert.equal(error.code, 'unsupported');
      assert.equal(error.status, 400);
      assert.match(error.message, /fill-in-the-middle/);
      return true;
    });
    assert.equal(server.requests.length, before, 'nothing was sent upstream');
  });

  it('streams the documented event sequence, with pings, text and tool-input deltas and usage', async () => {
    server.setHandler((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      return writeSlowly(res, [
        sseEvent('message_start', { message: { id: 'msg_s', type: 'message', role: 'assistant', content: [], model: 'm', stop_reason: null, usage: { input_tokens: 25, output_tokens: 1 } } }),
        sseEvent('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
        sseEvent('ping', {}),
        sseEvent('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Hello' } }),
        sseEvent('content_block_stop', { index: 0 }),
        sseEvent('content_block_start', { index: 1, content_block: { type: 'tool_use', id: 'toolu_s', name: 'get_weather', input: {} } }),
        sseEvent('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '{"city": ' } }),
        sseEvent('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '"Paris"}' } }),
        sseEvent('content_block_stop', { index: 1 }),
        sseEvent('message_delta', { delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 15 } }),
        sseEvent('message_stop', {}),
      ]);
    });
    const events = await collect(await provider.stream({ request: { ...toolChat, stream: true }, model: 'm', signal: signal() }));
    assert.equal(server.requests.at(-1)!.body.stream, true);
    assert.deepEqual(events, [
      { type: 'text', text: 'Hello' },
      { type: 'tool_call', index: 0, id: 'toolu_s', name: 'get_weather', argumentsDelta: '' },
      { type: 'tool_call', index: 0, argumentsDelta: '{"city": ' },
      { type: 'tool_call', index: 0, argumentsDelta: '"Paris"}' },
      { type: 'end', finishReason: 'tool_calls', usage: { promptTokens: 25, completionTokens: 15 }, id: 'msg_s' },
    ]);
  });

  it('throws a GatewayError from the iterator on an error event after some output', async () => {
    server.setHandler((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(
        sseEvent('message_start', { message: { id: 'msg_e', usage: { input_tokens: 1, output_tokens: 1 } } }) +
          sseEvent('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'partial' } }) +
          sseEvent('error', { error: { type: 'overloaded_error', message: 'Overloaded' } }),
      );
    });
    const seen: unknown[] = [];
    await assert.rejects(
      async () => {
        for await (const event of await provider.stream({ request: { ...toolChat, stream: true }, model: 'm', signal: signal() })) seen.push(event);
      },
      (error: any) => error.name === 'GatewayError' && error.code === 'upstreamUnavailable' && /Overloaded/.test(error.message),
    );
    assert.deepEqual(seen, [{ type: 'text', text: 'partial' }]);
  });

  it('maps a 529 overloaded and a 401 with Anthropic error bodies', async () => {
    server.setHandler((_req, res) => sendJson(res, 529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }));
    await assert.rejects(provider.complete({ request: toolChat, model: 'm', signal: signal() }), (error: any) => error.code === 'upstreamUnavailable' && error.retryable === true);
    server.setHandler((_req, res) => sendJson(res, 401, { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } }));
    await assert.rejects(provider.complete({ request: toolChat, model: 'm', signal: signal() }), (error: any) => error.code === 'upstreamRejected' && error.status === 401 && /invalid x-api-key/.test(error.message));
  });

  it('lists models from /v1/models', async () => {
    server.setHandler((_req, res) => sendJson(res, 200, { data: [{ type: 'model', id: 'claude-sonnet-4-5', display_name: 'Claude Sonnet 4.5' }], has_more: false }));
    const models = await provider.listModels(signal());
    assert.match(server.requests.at(-1)!.path, /^\/v1\/models/);
    assert.deepEqual(models, [{ id: 'claude-sonnet-4-5', provider: 'test-anthropic', fim: false, contextLength: undefined }]);
  });
});
