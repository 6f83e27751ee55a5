import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StreamEvent } from '../../../shared/gateway';
import { openAIErrorBody } from '../../../daemon/http/error-shapes';
import { openAIStreamFrames } from '../../../daemon/http/translate/openai-response';
import { sseData } from './wire-helpers';

async function* events(list: StreamEvent[]): AsyncGenerator<StreamEvent> {
  yield* list;
}

async function render(list: StreamEvent[], includeUsage: boolean): Promise<string> {
  let text = '';
  for await (const frame of openAIStreamFrames(events(list), { kind: 'chat', model: 'm', includeUsage, estimatePromptTokens: () => 7, errorBody: openAIErrorBody })) text += frame;
  return text;
}

describe('OpenAI stream frames', () => {
  it('give a usage chunk when asked even if the upstream reported none, estimated from the text', async () => {
    const frames = sseData(await render([{ type: 'text', text: 'hello there, friend' }, { type: 'end', finishReason: 'stop' }], true));
    const usage = (frames.at(-2) as Record<string, any>).usage;
    assert.equal(usage.prompt_tokens, 7);
    assert.ok(usage.completion_tokens > 0);
    assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
    assert.equal((frames[0] as Record<string, any>).usage, null);
  });

  it('pass the upstream\'s usage on when it gave one, and send no usage key unless asked', async () => {
    const list: StreamEvent[] = [{ type: 'text', text: 'hi' }, { type: 'end', finishReason: 'length', usage: { promptTokens: 3, completionTokens: 1 } }];
    const asked = sseData(await render(list, true));
    assert.deepEqual((asked.at(-2) as Record<string, any>).usage, { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 });
    const plain = sseData(await render(list, false));
    assert.ok(plain.slice(0, -1).every((frame) => !('usage' in (frame as object))));
  });
});
