import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGatewayError } from '../../../daemon/core/errors';
import { OpenAIStreamFacts } from '../../../daemon/providers/openai-stream-facts';

const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], usage: null });
const usageEvent = JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 } });
const sse = (datas: string[], lineEnd = '\n') => datas.map((data) => `data: ${data}${lineEnd}${lineEnd}`).join('');

/** The facts of `stream` read in two pieces cut at `at`, and the offsets each read returned. */
function readCut(stream: Buffer, at: number) {
  const facts = new OpenAIStreamFacts('p');
  const first = facts.read(stream.subarray(0, at));
  const second = facts.read(stream.subarray(at));
  return { facts, first, second };
}

describe('the facts of an OpenAI stream, read from its bytes', () => {
  for (const lineEnd of ['\n', '\r\n']) {
    it(`gives the same usage, finish and [DONE] wherever a read ends (${JSON.stringify(lineEnd)} line ends, text with quotes and non-ASCII)`, () => {
      const stream = Buffer.from(sse([chunk({ role: 'assistant', content: '' }), chunk({ content: 'a "usage":{ é 日本' }), chunk({}, 'stop'), usageEvent, '[DONE]'], lineEnd));
      for (let at = 0; at <= stream.length; at++) {
        const { facts, first, second } = readCut(stream, at);
        assert.deepEqual(facts.usage, { promptTokens: 7, completionTokens: 3 }, `cut at ${at}`);
        assert.ok(facts.done && facts.finished && facts.sawOutput, `cut at ${at}`);
        assert.equal(facts.error, undefined);
        assert.deepEqual([first, second], [-1, -1]);
      }
    });
  }

  it('tells output from a role-only first chunk, and a stream that has not finished from one that has', () => {
    const facts = new OpenAIStreamFacts('p');
    facts.read(Buffer.from(sse([chunk({ role: 'assistant', content: '' })])));
    assert.ok(!facts.sawOutput, 'a chunk that only names the role is not output');
    facts.read(Buffer.from(sse([chunk({ content: 'x' })])));
    assert.ok(facts.sawOutput && !facts.done && !facts.finished);
    assert.equal(facts.usage, undefined);
    const tools = new OpenAIStreamFacts('p');
    tools.read(Buffer.from(sse([chunk({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: 't', type: 'function', function: { name: 'f', arguments: '' } }] })])));
    assert.ok(tools.sawOutput, 'a tool call is output');
    // Half an event says nothing yet.
    const half = new OpenAIStreamFacts('p');
    half.read(Buffer.from('data: {"id":"c1","choices":[{"delta":{"content":"x"},"finish_reason":"stop"'));
    assert.ok(!half.sawOutput && !half.finished);
  });

  it('finds an upstream error event, however the reads are cut, and says where it begins in the read', () => {
    const before = sse([chunk({ role: 'assistant', content: '' }), chunk({ content: 'Hi' })]);
    const error = sse([JSON.stringify({ error: { message: 'overloaded', type: 'server_error', code: 503 } })]);
    const stream = Buffer.from(before + error);
    for (let at = 0; at <= stream.length; at++) {
      const { facts, first, second } = readCut(stream, at);
      assert.ok(isGatewayError(facts.error), `cut at ${at}`);
      // The error event begins at `before.length` of the whole stream: in the read that completes it, at that offset less what came before the read, or 0 if it began in an earlier read.
      const expected = at <= before.length ? [-1, before.length - at] : [-1, 0];
      if (at === stream.length) assert.deepEqual([first, second], [before.length, -1]);
      else assert.deepEqual([first, second], expected, `cut at ${at}`);
    }
  });

  it('reads a usage object by itself past nested objects and brackets in strings, and an event with an error or a usage that is not JSON in full', () => {
    const nested = new OpenAIStreamFacts('p');
    const detailed = JSON.stringify({ id: 'c1', choices: [], usage: { prompt_tokens_details: { cached_tokens: 2, note: '} ] "{' }, prompt_tokens: 9, completion_tokens: 4 }, after: { prompt_tokens: 1 } });
    assert.equal(nested.read(Buffer.from(sse([detailed, '[DONE]']))), -1);
    assert.deepEqual(nested.usage, { promptTokens: 9, completionTokens: 4 });
    // An error in the usage's event is still the stream's error.
    const failed = new OpenAIStreamFacts('p');
    const withError = JSON.stringify({ usage: { prompt_tokens: 1, completion_tokens: 1 }, error: { message: 'overloaded', code: 503 } });
    assert.equal(failed.read(Buffer.from(sse([chunk({ content: 'x' }), withError]))), sse([chunk({ content: 'x' })]).length);
    assert.ok(isGatewayError(failed.error));
    assert.equal(failed.usage, undefined);
    // A usage object that is not JSON is the whole event's protocol error, as before.
    const broken = new OpenAIStreamFacts('p');
    assert.equal(broken.read(Buffer.from('data: {"choices":[],"usage":{"prompt_tokens":1,,}}\n\n')), 0);
    assert.ok(isGatewayError(broken.error));
  });

  it('reads an `event: error` event and a `"usage": {` written with spaces', () => {
    const typed = new OpenAIStreamFacts('p');
    assert.equal(typed.read(Buffer.from(`event: error\ndata: {"message":"boom"}\n\n`)), 0);
    assert.ok(isGatewayError(typed.error));
    const spaced = new OpenAIStreamFacts('p');
    spaced.read(Buffer.from(`data: {"choices": [], "usage": {"prompt_tokens": 2, "completion_tokens": 5}}\n\n`));
    assert.deepEqual(spaced.usage, { promptTokens: 2, completionTokens: 5 });
  });
});
