/**
 * What an OpenAI-compatible stream's bytes say, read as they pass without decoding or parsing
 * every event: whether output came (text or a tool call: a first chunk that only names the
 * assistant's role is not output), the usage, a finish reason, `[DONE]`, an error event.
 * The facts stand out in the bytes because a JSON string escapes its quotes: `"usage":{`,
 * `"finish_reason":"` and `"error":` with bare quotes are keys, never text. The search is the
 * Buffer's own (native); only an event that carries the usage or an error is decoded and
 * parsed, once per stream.
 */
import type { Usage } from '../../shared/gateway';
import { asNumber, asObject, parseSseChunk } from './json-payload';

const EMPTY = Buffer.alloc(0);
const CR = 13;
/** An event's end with any of SSE's line endings; on a latin1 view, whose offsets are the bytes'. */
const EVENT_END = /\r\n\r\n|\n\n|\r\r/g;

export class OpenAIStreamFacts {
  usage: Usage | undefined;
  /** A whole event with output (non-empty text, or a tool call) has been read. */
  sawOutput = false;
  /** `data: [DONE]` came. */
  done = false;
  /** A choice finished (a non-null `finish_reason`). */
  finished = false;
  /** The error an upstream's error event reported, as a GatewayError. */
  error: unknown;
  /** The unfinished event at the end of what was read, read once it completes. */
  private tail: Buffer = EMPTY;

  constructor(private readonly provider: string) {}

  /** Reads one chunk; returns the offset in `chunk` where an upstream error event begins, or -1. */
  read(chunk: Buffer): number {
    const before = this.tail.length;
    const window = before > 0 ? Buffer.concat([this.tail, chunk]) : chunk;
    const end = lastEventEnd(window);
    if (end < 0) {
      this.tail = Buffer.from(window);
      return -1;
    }
    const complete = end === window.length ? window : window.subarray(0, end);
    this.tail = end === window.length ? EMPTY : Buffer.from(window.subarray(end));
    if (!this.sawOutput && hasOutput(complete)) this.sawOutput = true;
    if (!this.done && (complete.includes('data: [DONE]') || complete.includes('data:[DONE]'))) this.done = true;
    if (!this.finished && (complete.includes('"finish_reason":"') || complete.includes('"finish_reason": "'))) this.finished = true;
    const errorAt = this.readFacts(complete);
    return errorAt < 0 ? -1 : Math.max(0, errorAt - before);
  }

  /** Parses the events of `complete` that carry a fact; returns where an error event begins, or -1. */
  private readFacts(complete: Buffer): number {
    for (let from = 0; ; ) {
      const at = nextFact(complete, from);
      if (at < 0) return -1;
      const start = eventStart(complete, at);
      const end = eventEnd(complete, at);
      const fields = eventFields(complete.toString('utf8', start, end));
      if (fields.data !== undefined && fields.data !== '[DONE]') {
        try {
          const chunk = parseSseChunk(this.provider, { event: fields.event ?? 'message', data: fields.data });
          const usage = asObject(chunk.usage);
          const promptTokens = asNumber(usage?.prompt_tokens);
          const completionTokens = asNumber(usage?.completion_tokens);
          if (promptTokens !== undefined && completionTokens !== undefined) this.usage = { promptTokens, completionTokens };
        } catch (error) {
          this.error = error;
          return start;
        }
      }
      from = end;
    }
  }
}

/** The keys and fields that make an event worth parsing: a usage object, an `error` key, an `error` event. */
const FACTS = ['"usage":{', '"usage": {', '"error":', 'event: error', 'event:error'];
const SEPARATORS = ['\n\n', '\r\n\r\n', '\r\r'];

/** Keys whose string value is output once it is not empty (chat text, completion text). */
const TEXT_KEYS = ['"content":"', '"content": "', '"text":"', '"text": "'];
const TOOL_CALL_KEYS = ['"tool_calls":[', '"tool_calls": ['];
const QUOTE = 34;

function hasOutput(bytes: Buffer): boolean {
  for (const key of TOOL_CALL_KEYS) if (bytes.includes(key)) return true;
  for (const key of TEXT_KEYS) {
    for (let at = bytes.indexOf(key); at >= 0; at = bytes.indexOf(key, at + key.length)) {
      if (bytes[at + key.length] !== QUOTE) return true;
    }
  }
  return false;
}

/** Where the first fact at or after `from` is, or -1. */
function nextFact(bytes: Buffer, from: number): number {
  let first = -1;
  for (const fact of FACTS) {
    const at = bytes.indexOf(fact, from);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  return first;
}

/** Where the event holding `at` begins: after the last blank line before it. */
function eventStart(bytes: Buffer, at: number): number {
  let start = 0;
  for (const separator of SEPARATORS) {
    const found = bytes.lastIndexOf(separator, at);
    if (found >= 0) start = Math.max(start, found + separator.length);
  }
  return start;
}

/** Where the event holding `at` ends: after the first blank line from it (`bytes` ends with one). */
function eventEnd(bytes: Buffer, at: number): number {
  let end = bytes.length;
  for (const separator of SEPARATORS) {
    const found = bytes.indexOf(separator, at);
    if (found >= 0) end = Math.min(end, found + separator.length);
  }
  return end;
}

/** Where the last whole event in `bytes` ends, or -1. */
function lastEventEnd(bytes: Buffer): number {
  if (bytes.indexOf(CR) < 0) {
    const at = bytes.lastIndexOf('\n\n');
    return at < 0 ? -1 : at + 2;
  }
  // CR line ends (CRLF, or a lone CR): rare enough for a regular expression over a byte-for-byte view.
  const view = bytes.toString('latin1');
  let end = -1;
  EVENT_END.lastIndex = 0;
  for (let match = EVENT_END.exec(view); match !== null; match = EVENT_END.exec(view)) end = match.index + match[0].length;
  return end;
}

/** An event's `event` field and its `data` lines joined, as the SSE spec reads them. */
function eventFields(event: string): { event?: string; data?: string } {
  let type: string | undefined;
  let data: string | undefined;
  for (const line of event.split(/\r\n|\r|\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const value = line.charCodeAt(colon + 1) === 32 ? line.slice(colon + 2) : line.slice(colon + 1);
    const field = line.slice(0, colon);
    if (field === 'data') data = data === undefined ? value : `${data}\n${value}`;
    else if (field === 'event') type = value;
  }
  return { event: type, data };
}
