import { randomUUID } from 'node:crypto';
import type { GatewayResponse, StreamEvent, Usage } from '../../../shared/gateway';
import { GatewayError } from '../../core/errors';
import { estimateTokens } from '../../core/token-estimate';
import type { OpenAIChatResponse, OpenAICompletionResponse, OpenAIErrorBody } from '../../../shared/protocol/openai';

function usageBody(usage: Usage) {
  return { prompt_tokens: usage.promptTokens, completion_tokens: usage.completionTokens, total_tokens: usage.promptTokens + usage.completionTokens };
}

export function newResponseId(prefix: string): string {
  return `${prefix}-${randomUUID().replace(/-/g, '').slice(0, 24)}`;
}

export function chatResponseToOpenAI(response: GatewayResponse): OpenAIChatResponse {
  const message: OpenAIChatResponse['choices'][number]['message'] = {
    role: 'assistant',
    content: response.toolCalls && response.toolCalls.length > 0 && response.text === '' ? null : response.text,
    refusal: null,
  };
  if (response.toolCalls && response.toolCalls.length > 0) message.tool_calls = response.toolCalls;
  return {
    id: response.id.startsWith('chatcmpl') ? response.id : newResponseId('chatcmpl'),
    object: 'chat.completion',
    created: response.created,
    model: response.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: response.finishReason }],
    usage: usageBody(response.usage),
  };
}

export function completionResponseToOpenAI(response: GatewayResponse): OpenAICompletionResponse {
  return {
    id: response.id.startsWith('cmpl') ? response.id : newResponseId('cmpl'),
    object: 'text_completion',
    created: response.created,
    model: response.model,
    choices: [{ index: 0, text: response.text, logprobs: null, finish_reason: response.finishReason }],
    usage: usageBody(response.usage),
  };
}

export interface OpenAIStreamOptions {
  kind: 'chat' | 'completion';
  model: string;
  includeUsage: boolean;
  /** The prompt's size in tokens, estimated, for a usage chunk when the upstream reported no usage. */
  estimatePromptTokens: () => number;
  /** Turns an error thrown mid-stream into the error body sent as the last event. */
  errorBody: (error: unknown) => OpenAIErrorBody;
}

/**
 * Renders gateway stream events as OpenAI server-sent events: chunks with `delta`s (chat) or
 * `text` (completions), the finish reason, the usage chunk when asked (every other chunk then
 * carries `"usage": null`, as the reference says), and `[DONE]`. An upstream
 * that dies part-way gets an `error` event instead of `[DONE]`, so no client mistakes a cut
 * stream for a whole one.
 */
export async function* openAIStreamFrames(events: AsyncIterable<StreamEvent>, options: OpenAIStreamOptions): AsyncGenerator<string> {
  const id = newResponseId(options.kind === 'chat' ? 'chatcmpl' : 'cmpl');
  const created = Math.floor(Date.now() / 1000);
  const object = options.kind === 'chat' ? 'chat.completion.chunk' : 'text_completion';
  const head = `{"id":"${id}","object":"${object}","created":${created},"model":${JSON.stringify(options.model)},"choices":`;
  const noUsage = options.includeUsage ? ',"usage":null' : '';
  const frame = (choices: unknown, extra = noUsage): string => `data: ${head}${JSON.stringify(choices)}${extra}}\n\n`;
  // Text chunks are most of a stream: their frames are assembled from fixed parts, with only
  // the text serialised (the same bytes JSON.stringify of the chunk object gives).
  const textOpen = `data: ${head}[{"index":0,${options.kind === 'completion' ? '"text":' : '"delta":{"content":'}`;
  const firstTextOpen = `data: ${head}[{"index":0,"delta":{"role":"assistant","content":`;
  const textClose = `${options.kind === 'completion' ? '' : '}'},"logprobs":null,"finish_reason":null}]${noUsage}}\n\n`;
  // Completions carry no role; a chat stream names the assistant role in its first delta.
  let roleSent = options.kind === 'completion';
  // Kept only to estimate the usage chunk if the upstream reports no usage.
  let text = '';
  try {
    for await (const event of events) {
      if (event.type === 'text') {
        if (options.includeUsage) text += event.text;
        yield `${roleSent ? textOpen : firstTextOpen}${JSON.stringify(event.text)}${textClose}`;
        roleSent = true;
      } else if (event.type === 'tool_call') {
        const call: Record<string, unknown> = { index: event.index };
        if (event.id !== undefined) call.id = event.id;
        if (event.id !== undefined || event.name !== undefined) call.type = 'function';
        const fn: Record<string, string> = { arguments: event.argumentsDelta };
        if (event.name !== undefined) fn.name = event.name;
        call.function = fn;
        const delta: Record<string, unknown> = { tool_calls: [call] };
        if (!roleSent) {
          delta.role = 'assistant';
          delta.content = null;
          roleSent = true;
        }
        yield frame([{ index: 0, delta, logprobs: null, finish_reason: null }]);
      } else {
        const last = options.kind === 'chat'
          ? { index: 0, delta: {}, logprobs: null, finish_reason: event.finishReason }
          : { index: 0, text: '', logprobs: null, finish_reason: event.finishReason };
        yield frame([last]);
        if (options.includeUsage) {
          const usage = event.usage ?? { promptTokens: options.estimatePromptTokens(), completionTokens: estimateTokens(text) };
          yield frame([], `,"usage":${JSON.stringify(usageBody(usage))}`);
        }
        yield 'data: [DONE]\n\n';
        return;
      }
    }
  } catch (error) {
    yield `data: ${JSON.stringify(options.errorBody(error))}\n\n`;
    return;
  }
  // The upstream ended without an end event: a protocol fault, reported rather than hidden.
  yield `data: ${JSON.stringify(options.errorBody(new GatewayError('upstreamProtocol', 'The upstream stream ended without finishing.')))}\n\n`;
}
