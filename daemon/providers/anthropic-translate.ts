/**
 * The canonical (OpenAI-shaped) model ↔ Anthropic's Messages API. System and developer turns
 * are lifted into the top-level `system`; `max_tokens` is required; stop sequences are
 * `stop_sequences`; function tools become `tools` with `input_schema`; an assistant's tool calls
 * become `tool_use` blocks and tool results become `tool_result` blocks in a user turn;
 * consecutive turns of one role are merged, since Messages alternates user and assistant.
 */
import type { ChatMessage, ContentPart, FinishReason, GatewayRequest, ToolDefinition } from '../../shared/gateway';
import { GatewayError } from '../core/errors';
import { asNumber, asObject, asString, nonEmpty, requireMessages, toolCallArguments, type JsonObject } from './json-payload';
import { errorFromStatus } from './upstream-errors';

/** Anthropic requires `max_tokens`; OpenAI clients usually leave it out. */
export const DEFAULT_MAX_TOKENS = 4096;

type Block = JsonObject;
interface Turn {
  role: 'user' | 'assistant';
  content: string | Block[];
}

function textOf(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  if (content === null) return '';
  let text = '';
  for (const part of content) if (part.type === 'text') text += part.text;
  return text;
}

function imageBlock(url: string): Block {
  // data:<media type>;base64,<data>
  if (url.startsWith('data:')) {
    const marker = url.indexOf(';base64,');
    if (marker > 5) return { type: 'image', source: { type: 'base64', media_type: url.slice(5, marker), data: url.slice(marker + 8) } };
    throw new GatewayError('invalidRequest', 'an image data URL must be base64-encoded', { param: 'messages' });
  }
  return { type: 'image', source: { type: 'url', url } };
}

function partBlocks(parts: ContentPart[]): Block[] {
  const blocks: Block[] = [];
  for (const part of parts) {
    if (part.type === 'text') {
      if (part.text.length > 0) blocks.push({ type: 'text', text: part.text });
    } else {
      blocks.push(imageBlock(part.image_url.url));
    }
  }
  return blocks;
}

function assistantContent(message: ChatMessage): string | Block[] {
  if (message.tool_calls === undefined || message.tool_calls.length === 0) {
    return typeof message.content === 'string' || message.content === null ? textOf(message.content) : partBlocks(message.content);
  }
  const blocks: Block[] = [];
  const text = textOf(message.content);
  if (text.length > 0) blocks.push({ type: 'text', text });
  for (const call of message.tool_calls) blocks.push({ type: 'tool_use', id: call.id, name: call.function.name, input: toolCallArguments(call) });
  return blocks;
}

function asBlocks(content: string | Block[]): Block[] {
  return typeof content === 'string' ? (content.length > 0 ? [{ type: 'text', text: content }] : []) : content;
}

function pushTurn(turns: Turn[], turn: Turn): void {
  const last = turns[turns.length - 1];
  if (last === undefined || last.role !== turn.role) {
    turns.push(turn);
    return;
  }
  last.content = [...asBlocks(last.content), ...asBlocks(turn.content)];
}

export function translateMessages(messages: ChatMessage[]): { system?: string; messages: Turn[] } {
  let system: string | undefined;
  const turns: Turn[] = [];
  for (const message of messages) {
    switch (message.role) {
      case 'system':
      case 'developer': {
        const text = textOf(message.content);
        system = system === undefined ? text : `${system}\n\n${text}`;
        break;
      }
      case 'user':
        pushTurn(turns, { role: 'user', content: typeof message.content === 'string' || message.content === null ? textOf(message.content) : partBlocks(message.content) });
        break;
      case 'assistant':
        pushTurn(turns, { role: 'assistant', content: assistantContent(message) });
        break;
      case 'tool':
        pushTurn(turns, { role: 'user', content: [{ type: 'tool_result', tool_use_id: message.tool_call_id ?? '', content: textOf(message.content) }] });
        break;
    }
  }
  return { system, messages: turns };
}

function toolsOf(tools: ToolDefinition[] | undefined): Block[] | undefined {
  if (tools === undefined || tools.length === 0) return undefined;
  return tools.map((tool) => ({
    name: tool.function.name,
    description: tool.function.description,
    input_schema: tool.function.parameters ?? { type: 'object', properties: {} },
  }));
}

/** OpenAI `tool_choice` → Anthropic's: `required` is `any`, a named function is `tool`. */
function toolChoiceOf(choice: unknown): Block | undefined {
  if (choice === 'auto') return { type: 'auto' };
  if (choice === 'required') return { type: 'any' };
  if (choice === 'none') return { type: 'none' };
  const name = asString(asObject(asObject(choice)?.function)?.name);
  return name !== undefined ? { type: 'tool', name } : undefined;
}

export function messagesBody(request: GatewayRequest, model: string, stream: boolean): JsonObject {
  let translated: { system?: string; messages: Turn[] };
  if (request.kind === 'completion') {
    if (request.suffix !== undefined) {
      throw new GatewayError('unsupported', 'Anthropic models do not do fill-in-the-middle (a completion with a suffix); use a FIM-capable model for this request', {
        param: 'suffix',
      });
    }
    translated = { system: request.system, messages: [{ role: 'user', content: request.prompt ?? '' }] };
  } else {
    translated = translateMessages(requireMessages(request));
  }
  const p = request.params;
  const tools = toolsOf(request.tools);
  return {
    model,
    max_tokens: p.max_tokens ?? DEFAULT_MAX_TOKENS,
    system: translated.system,
    messages: translated.messages,
    stream,
    // Anthropic's temperature range is 0..1 where OpenAI's is 0..2: clamp rather than fail the request.
    temperature: p.temperature === undefined ? undefined : Math.min(p.temperature, 1),
    top_p: p.top_p,
    top_k: p.top_k,
    stop_sequences: nonEmpty(p.stop),
    tools,
    tool_choice: tools === undefined ? undefined : toolChoiceOf(request.tool_choice),
  };
}

/** `stop_reason` → finish reason. */
export function finishReasonOf(stopReason: unknown): FinishReason {
  switch (stopReason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      // end_turn, stop_sequence, pause_turn
      return 'stop';
  }
}

/** Input tokens, counting the cached parts too: all of them went into the model. */
export function inputTokensOf(usage: JsonObject | undefined): number | undefined {
  const input = asNumber(usage?.input_tokens);
  if (input === undefined) return undefined;
  return input + (asNumber(usage?.cache_creation_input_tokens) ?? 0) + (asNumber(usage?.cache_read_input_tokens) ?? 0);
}

const ERROR_TYPE_STATUS: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/** An `error` event in a stream, classified like the HTTP status its type stands for. */
export function streamErrorOf(provider: string, payload: JsonObject): GatewayError {
  const error = asObject(payload.error);
  const type = asString(error?.type) ?? 'api_error';
  const message = asString(error?.message) ?? type;
  return errorFromStatus(provider, ERROR_TYPE_STATUS[type] ?? 500, `${type}: ${message}`);
}
