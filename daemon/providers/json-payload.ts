/** Small readers for provider JSON, so a malformed payload is a protocol error, not a crash. */
import type { FinishReason, ToolCall } from '../../shared/gateway';
import { GatewayError } from '../core/errors';
import type { SseEvent } from './sse-parser';
import { clip, errorFromStatus, protocolError } from './upstream-errors';

export type JsonObject = Record<string, unknown>;

/** How much of a bad stream payload an error message quotes. */
const PAYLOAD_QUOTE_CHARS = 80;

/** Parses one streamed payload (an SSE `data:` or an NDJSON line); it must be a JSON object. */
export function parsePayload(provider: string, text: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw protocolError(provider, `a stream payload is not JSON (${clip(text, PAYLOAD_QUOTE_CHARS)})`, error);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw protocolError(provider, `a stream payload is not a JSON object (${clip(text, PAYLOAD_QUOTE_CHARS)})`);
  }
  return value as JsonObject;
}

export function asObject(value: unknown): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** OpenAI's finish reasons; `function_call` is the legacy name of `tool_calls`. Unknown reasons count as `stop`. */
export function openAIFinishReason(value: unknown): FinishReason {
  switch (value) {
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls';
    case 'content_filter':
      return 'content_filter';
    default:
      return 'stop';
  }
}

/**
 * An error reported inside a 200 stream (OpenAI-compatible servers and llama.cpp send
 * `{"error": {...}}` as an event; Ollama sends `{"error": "..."}` as a line). When it carries an
 * HTTP status code it is classified like that status.
 */
export function streamPayloadError(provider: string, error: unknown): GatewayError {
  const object = asObject(error);
  const message = typeof error === 'string' ? error : (asString(object?.message) ?? JSON.stringify(error));
  const code = asNumber(object?.code) ?? asNumber(object?.status);
  if (code !== undefined && code >= 400 && code < 600) return errorFromStatus(provider, code, message);
  return new GatewayError('upstreamError', `${provider} reported an error mid-stream: ${message}`, {
    retryable: true,
    details: { provider },
  });
}

/** A list field that is sent only when it has items (`stop`, `tools`): servers differ on what an empty one means. */
export function nonEmpty<T>(list: T[] | undefined): T[] | undefined {
  return list !== undefined && list.length > 0 ? list : undefined;
}

/**
 * One event of an OpenAI-style stream (llama.cpp's native stream too) as a JSON object. An error
 * arrives either as llama.cpp's `error:` line (an event named `error`) or as a payload with an
 * `error` field; both end the stream with a GatewayError.
 */
export function parseSseChunk(provider: string, event: SseEvent): JsonObject {
  const chunk = parsePayload(provider, event.data);
  if (event.event === 'error') throw streamPayloadError(provider, chunk.error ?? chunk);
  if (chunk.error !== undefined && chunk.error !== null) throw streamPayloadError(provider, chunk.error);
  return chunk;
}

export function requireMessages<T>(request: { messages?: T[] }): T[] {
  if (request.messages === undefined || request.messages.length === 0) {
    throw new GatewayError('invalidRequest', 'a chat request needs at least one message', { param: 'messages' });
  }
  return request.messages;
}

/** A tool call's arguments as a JSON value, for APIs that take them as an object (Anthropic, Ollama); empty means `{}`. */
export function toolCallArguments(call: ToolCall): unknown {
  try {
    return JSON.parse(call.function.arguments.length > 0 ? call.function.arguments : '{}');
  } catch {
    throw new GatewayError('invalidRequest', `tool call ${call.id} has arguments that are not JSON`, { param: 'messages' });
  }
}
