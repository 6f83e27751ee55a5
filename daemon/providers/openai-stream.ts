/**
 * OpenAI's streamed Chat Completions and Completions, as server-sent events: one JSON chunk per
 * `data:` event, tool calls as indexed deltas, `finish_reason` on the last choice chunk, a final
 * chunk with empty `choices` and the `usage` (because we always ask for `include_usage`), then
 * `data: [DONE]`. The `end` event is emitted when the body ends, so the connection is reused.
 */
import type { FinishReason, StreamEvent, Usage } from '../../shared/gateway';
import { asNumber, asObject, asString, openAIFinishReason, parseSseChunk, type JsonObject } from './json-payload';
import { readSseEvents } from './sse-parser';

export async function* openAIStreamEvents(
  provider: string,
  body: AsyncIterable<Uint8Array | string>,
  kind: 'chat' | 'completion',
): AsyncGenerator<StreamEvent> {
  let id: string | undefined;
  let finishReason: FinishReason | undefined;
  let usage: Usage | undefined;
  let done = false;
  for await (const event of readSseEvents(body)) {
    if (done) continue;
    if (event.data === '[DONE]') {
      done = true;
      continue;
    }
    const chunk = parseSseChunk(provider, event);
    if (id === undefined) id = asString(chunk.id);
    const reported = asObject(chunk.usage);
    if (reported !== undefined) {
      const promptTokens = asNumber(reported.prompt_tokens);
      const completionTokens = asNumber(reported.completion_tokens);
      if (promptTokens !== undefined && completionTokens !== undefined) usage = { promptTokens, completionTokens };
    }
    const choices = chunk.choices;
    if (!Array.isArray(choices) || choices.length === 0) continue;
    const choice = asObject(choices[0]);
    if (choice === undefined) continue;
    yield* choiceOutput(choice, kind);
    if (choice.finish_reason !== undefined && choice.finish_reason !== null) finishReason = openAIFinishReason(choice.finish_reason);
  }
  // A stream cut before both [DONE] and a finish reason ends without `end`: the guard reports it.
  if (!done && finishReason === undefined) return;
  yield { type: 'end', finishReason: finishReason ?? 'stop', usage, id };
}

/** The output a chunk's first choice carries: its text, and its tool calls' deltas (chat). */
export function* choiceOutput(choice: JsonObject, kind: 'chat' | 'completion'): Generator<StreamEvent> {
  if (kind === 'completion') {
    const text = choice.text;
    if (typeof text === 'string' && text.length > 0) yield { type: 'text', text };
    return;
  }
  const delta = asObject(choice.delta);
  if (delta === undefined) return;
  const content = delta.content;
  if (typeof content === 'string' && content.length > 0) yield { type: 'text', text: content };
  const toolCalls = delta.tool_calls;
  if (Array.isArray(toolCalls)) yield* toolCallDeltas(toolCalls);
}

function* toolCallDeltas(toolCalls: unknown[]): Generator<StreamEvent> {
  for (let i = 0; i < toolCalls.length; i++) {
    const call = asObject(toolCalls[i]);
    if (call === undefined) continue;
    const fn = asObject(call.function);
    yield {
      type: 'tool_call',
      index: asNumber(call.index) ?? i,
      id: asString(call.id),
      name: asString(fn?.name),
      argumentsDelta: asString(fn?.arguments) ?? '',
    };
  }
}
