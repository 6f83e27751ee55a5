import { countWords } from '../deterministic-text';
import type { Protocol, WireReply } from './types';

/** Helpers for reading request bodies the way the real servers do: strict on types, tolerant on extras. */

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The text of a message `content`: a string, or a list of parts (`{type:'text', text}`,
 * Anthropic `tool_result` with nested content, etc.). Non-text parts add nothing.
 */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content) {
    if (typeof part === 'string') text += part + ' ';
    else if (isObject(part)) {
      if (typeof part.text === 'string') text += part.text + ' ';
      else if (part.content !== undefined) text += textOf(part.content) + ' ';
      else if (part.input !== undefined) text += JSON.stringify(part.input) + ' ';
    }
  }
  return text;
}

export interface MessagesText {
  /** All message text, in order (the determinism input). */
  all: string;
  /** The last user message's text (decides tool calls). */
  lastUser: string;
  words: number;
}

/** Reads a list of `{role, content}` messages; `null` when the list is malformed. */
export function readMessages(messages: unknown[]): MessagesText | null {
  let all = '';
  let lastUser = '';
  let words = 0;
  for (const message of messages) {
    if (!isObject(message) || typeof message.role !== 'string') return null;
    const text = textOf(message.content);
    all += message.role + ': ' + text + '\n';
    words += countWords(text);
    if (message.role === 'user') lastUser = text;
    if (Array.isArray(message.tool_calls)) all += JSON.stringify(message.tool_calls) + '\n';
  }
  return { all, lastUser, words };
}

/** A positive-integer token cap. Undefined when absent; a WireReply when malformed. */
export function readTokenCap(
  protocol: Protocol,
  value: unknown,
  param: string,
  allowNonPositive = false,
): number | undefined | WireReply {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    return protocol.error(400, `Invalid type for '${param}': expected an integer, but got ${typeof value} instead.`, 'invalid_type', param);
  }
  if (value < 1 && !allowNonPositive) {
    return protocol.error(400, `Invalid '${param}': integer below minimum value. Expected a value >= 1, but got ${value} instead.`, 'integer_below_min_value', param);
  }
  return value;
}

/** The Bearer token of an Authorization header, if any. */
export function bearerToken(authorization: string | undefined): string | undefined {
  if (authorization === undefined || !authorization.startsWith('Bearer ')) return undefined;
  return authorization.slice(7).trim();
}
