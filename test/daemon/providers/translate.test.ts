/** Request translation details that the wire tests do not reach, as pure functions. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GatewayRequest } from '../../../shared/gateway';
import { messagesBody, translateMessages } from '../../../daemon/providers/anthropic-translate';
import { chatBody as ollamaChatBody, generateBody } from '../../../daemon/providers/ollama-translate';
import { chatBody as openAIChatBody, dialectOf } from '../../../daemon/providers/openai-translate';

const imageChat: GatewayRequest = {
  kind: 'chat',
  model: 'm',
  stream: false,
  params: {},
  messages: [
    {
      role: 'user',
      content: [
        { type: 'text', text: 'What is in these?' },
        { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/AAA=' } },
        { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
      ],
    },
  ],
};

describe('anthropic translation', () => {
  it('turns image parts into base64 and url image blocks', () => {
    const { messages } = translateMessages(imageChat.messages!);
    assert.deepEqual(messages[0]!.content, [
      { type: 'text', text: 'What is in these?' },
      { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/AAA=' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } },
    ]);
  });

  it('maps tool_choice: a named function, none, and drops it when there are no tools', () => {
    const tools = [{ type: 'function' as const, function: { name: 'f' } }];
    const named = messagesBody({ ...imageChat, tools, tool_choice: { type: 'function', function: { name: 'f' } } }, 'm', false);
    assert.deepEqual(named.tool_choice, { type: 'tool', name: 'f' });
    assert.deepEqual(named.tools, [{ name: 'f', description: undefined, input_schema: { type: 'object', properties: {} } }]);
    assert.deepEqual(messagesBody({ ...imageChat, tools, tool_choice: 'none' }, 'm', false).tool_choice, { type: 'none' });
    assert.equal(messagesBody({ ...imageChat, tool_choice: 'auto' }, 'm', false).tool_choice, undefined);
  });

  it('keeps max_tokens when given and rejects tool arguments that are not JSON', () => {
    assert.equal(messagesBody({ ...imageChat, params: { max_tokens: 12 } }, 'm', false).max_tokens, 12);
    const bad: GatewayRequest = {
      ...imageChat,
      messages: [{ role: 'assistant', content: null, tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '{oops' } }] }],
    };
    assert.throws(() => messagesBody(bad, 'm', false), (error: any) => error.code === 'invalidRequest');
  });
});

describe('ollama translation', () => {
  it('refuses images that are not data URLs (Ollama takes base64 only)', () => {
    assert.throws(() => ollamaChatBody(imageChat, 'm', false), (error: any) => error.code === 'unsupported' && error.status === 400);
  });

  it('maps response_format to format and reasoning_effort to think', () => {
    const chat: GatewayRequest = { kind: 'chat', model: 'm', stream: false, params: { reasoning_effort: 'high' }, messages: [{ role: 'developer', content: 'x' }], response_format: { type: 'json_object' } };
    const body = ollamaChatBody(chat, 'm', true);
    assert.equal(body.format, 'json');
    assert.equal(body.think, 'high');
    assert.equal(body.stream, true);
    assert.equal((body.messages as any)[0].role, 'system');
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    const generate = generateBody({ kind: 'completion', model: 'm', stream: false, params: { reasoning_effort: 'none' }, prompt: 'p', response_format: { type: 'json_schema', json_schema: { name: 's', schema } } }, 'm', false);
    assert.deepEqual(generate.format, schema);
    assert.equal(generate.think, false);
    assert.equal(generate.stream, false, 'stream is always sent: Ollama streams by default');
  });
});

describe('openai translation', () => {
  it('passes messages through untouched when there is no developer turn', () => {
    const body = openAIChatBody(imageChat, 'm', false, dialectOf('http://127.0.0.1:1234'));
    assert.equal(body.messages, imageChat.messages);
  });

  it('needs messages for a chat', () => {
    assert.throws(() => openAIChatBody({ ...imageChat, messages: [] }, 'm', false, dialectOf('http://x')), (error: any) => error.code === 'invalidRequest');
  });
});
