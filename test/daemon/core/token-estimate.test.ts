import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateRequestTokens, estimateTokens } from '../../../daemon/core/token-estimate';

describe('token estimates', () => {
  it('counts about four characters per token', () => {
    assert.equal(estimateTokens(''), 0);
    assert.equal(estimateTokens('abc'), 1);
    assert.equal(estimateTokens('a'.repeat(400)), 100);
  });

  it('counts messages, parts, tool calls and tools of a chat request', () => {
    const short = estimateRequestTokens({ kind: 'chat', model: 'm', stream: false, params: {}, messages: [{ role: 'user', content: 'a'.repeat(40) }] });
    const long = estimateRequestTokens({
      kind: 'chat',
      model: 'm',
      stream: false,
      params: {},
      messages: [
        { role: 'system', content: 'a'.repeat(400) },
        { role: 'user', content: [{ type: 'text', text: 'b'.repeat(400) }, { type: 'image_url', image_url: { url: 'data:x' } }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{"q":"' + 'c'.repeat(100) + '"}' } }] },
      ],
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
    });
    assert.equal(short, 10 + 4);
    assert.ok(long > 200 + 256 && long < 600, `got ${long}`);
  });

  it('counts prompt, suffix, system and extra context of a completion', () => {
    const tokens = estimateRequestTokens({
      kind: 'completion',
      model: 'm',
      stream: false,
      params: {},
      prompt: 'p'.repeat(100),
      suffix: 's'.repeat(100),
      system: 'y'.repeat(40),
      extraContext: [{ filename: 'a.ts', text: 'e'.repeat(156) }],
    });
    assert.equal(tokens, 100);
  });
});
