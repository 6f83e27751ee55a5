/**
 * The canonical model ↔ OpenAI's Chat Completions and (legacy) Completions bodies. The canonical
 * model is OpenAI-shaped, so this is mostly picking fields; the work is in what a given server
 * accepts: api.openai.com rejects unknown parameters and wants `max_completion_tokens`, while
 * local OpenAI-compatible servers (llama.cpp, LM Studio, vLLM) take `top_k`, `min_p` and
 * `repeat_penalty` as extensions.
 */
import type { ChatMessage, GatewayRequest, ModelInfo, ToolCall } from '../../shared/gateway';
import { asNumber, asObject, asString, nonEmpty, openAIFinishReason, requireMessages, type JsonObject } from './json-payload';
import { contextLengthOf, guessFim } from './model-hints';
import { protocolError } from './upstream-errors';

const INCLUDE_USAGE = Object.freeze({ include_usage: true });

/** Which flavour of OpenAI API a server speaks. */
export interface OpenAIDialect {
  /** api.openai.com: strict about parameters, `max_completion_tokens` instead of `max_tokens`. */
  official: boolean;
}

export function dialectOf(origin: string): OpenAIDialect {
  return { official: origin === 'https://api.openai.com' };
}

/** `developer` is OpenAI's newer name for `system`; many compatible servers and chat templates know only `system`. */
function compatibleMessages(messages: ChatMessage[]): ChatMessage[] {
  let hasDeveloper = false;
  for (const message of messages) {
    if (message.role === 'developer') {
      hasDeveloper = true;
      break;
    }
  }
  if (!hasDeveloper) return messages;
  return messages.map((message) => (message.role === 'developer' ? { ...message, role: 'system' } : message));
}

export function chatBody(request: GatewayRequest, model: string, stream: boolean, dialect: OpenAIDialect): JsonObject {
  const p = request.params;
  const local = !dialect.official;
  return {
    model,
    messages: compatibleMessages(requireMessages(request)),
    stream,
    stream_options: stream ? INCLUDE_USAGE : undefined,
    temperature: p.temperature,
    top_p: p.top_p,
    max_tokens: local ? p.max_tokens : undefined,
    max_completion_tokens: local ? undefined : p.max_tokens,
    seed: p.seed,
    stop: nonEmpty(p.stop),
    presence_penalty: p.presence_penalty,
    frequency_penalty: p.frequency_penalty,
    reasoning_effort: p.reasoning_effort,
    top_k: local ? p.top_k : undefined,
    min_p: local ? p.min_p : undefined,
    repeat_penalty: local ? p.repeat_penalty : undefined,
    tools: nonEmpty(request.tools),
    tool_choice: request.tool_choice,
    response_format: request.response_format,
  };
}

/**
 * A completion; with `suffix` it is fill-in-the-middle (the server must support it for the model).
 * `system`, `raw` and `extraContext` have no field in this API and are not sent.
 */
export function completionBody(request: GatewayRequest, model: string, stream: boolean, dialect: OpenAIDialect): JsonObject {
  const p = request.params;
  const local = !dialect.official;
  return {
    model,
    prompt: request.prompt ?? '',
    suffix: request.suffix,
    stream,
    stream_options: stream ? INCLUDE_USAGE : undefined,
    temperature: p.temperature,
    top_p: p.top_p,
    max_tokens: p.max_tokens,
    seed: p.seed,
    stop: nonEmpty(p.stop),
    presence_penalty: p.presence_penalty,
    frequency_penalty: p.frequency_penalty,
    top_k: local ? p.top_k : undefined,
    min_p: local ? p.min_p : undefined,
    repeat_penalty: local ? p.repeat_penalty : undefined,
  };
}

export interface ParsedChoice {
  text: string;
  toolCalls?: ToolCall[];
  finishReason: ReturnType<typeof openAIFinishReason>;
}

/** The first choice of a chat or completion response. */
export function firstChoice(provider: string, body: JsonObject, kind: 'chat' | 'completion'): ParsedChoice {
  const choices = body.choices;
  const choice = Array.isArray(choices) ? asObject(choices[0]) : undefined;
  if (choice === undefined) throw protocolError(provider, 'the response has no choices');
  if (kind === 'completion') {
    return { text: asString(choice.text) ?? '', finishReason: openAIFinishReason(choice.finish_reason) };
  }
  const message = asObject(choice.message);
  if (message === undefined) throw protocolError(provider, 'the first choice has no message');
  const toolCalls = Array.isArray(message.tool_calls) && message.tool_calls.length > 0 ? toolCallsOf(message.tool_calls) : undefined;
  return { text: asString(message.content) ?? '', toolCalls, finishReason: openAIFinishReason(choice.finish_reason) };
}

function toolCallsOf(raw: unknown[]): ToolCall[] {
  const calls: ToolCall[] = [];
  for (const item of raw) {
    const call = asObject(item);
    const fn = asObject(call?.function);
    if (call === undefined || fn === undefined) continue;
    calls.push({
      id: asString(call.id) ?? '',
      type: 'function',
      function: { name: asString(fn.name) ?? '', arguments: asString(fn.arguments) ?? '' },
    });
  }
  return calls;
}

export function usageFields(body: JsonObject): { prompt?: number; completion?: number } {
  const usage = asObject(body.usage);
  return { prompt: asNumber(usage?.prompt_tokens), completion: asNumber(usage?.completion_tokens) };
}

/** `GET /models`: `{"object": "list", "data": [{"id": ...}, ...]}` (Anthropic's listing has the same `data[].id`). */
export function modelsOf(provider: string, body: JsonObject): ModelInfo[] {
  const data = body.data;
  if (!Array.isArray(data)) throw protocolError(provider, 'the model list has no data array');
  const models: ModelInfo[] = [];
  for (const item of data) {
    const model = asObject(item);
    const id = asString(model?.id);
    if (model === undefined || id === undefined) continue;
    models.push({ id, provider, fim: guessFim(id), contextLength: contextLengthOf(model) });
  }
  return models;
}
