/**
 * The OpenAI door's edit of an OpenAI-compatible upstream's streamed bytes (`byte-writer.ts`),
 * so that a forwarded stream says what the rendered one says (`openai-response.ts`):
 *
 * - The gateway always asks the upstream for the usage (budgets and metrics need it). A client
 *   that did not ask (`stream_options.include_usage`) gets the chunks without their
 *   `"usage":null` and without the usage event, as OpenAI would have sent them.
 * - A client that asked gets the chunks as they are, and an estimated usage event before
 *   `[DONE]` when the upstream sent none.
 * - A stream that ends without `[DONE]` (its last chunk had a finish reason) gets one; a stream
 *   that fails part-way gets the door's error event (an upstream's own error event never goes
 *   out: the byte stream fails with it).
 */
import { StringDecoder } from 'node:string_decoder';
import type { ByteStream } from '../../core/byte-stream';
import { estimateTokens } from '../../core/token-estimate';
import type { OpenAIErrorBody } from '../../../shared/protocol/openai';
import { sseEventsOf } from '../../providers/sse-parser';
import type { ByteEdit } from '../byte-writer';

export interface OpenAIForwardOptions {
  includeUsage: boolean;
  /** The prompt's size in tokens, estimated, for a usage event when the upstream sent none. */
  estimatePromptTokens: () => number;
  errorBody: (error: unknown) => OpenAIErrorBody;
}

const EVENT_SEPARATOR = /(\r\n\r\n|\n\n|\r\r)/;
const EVENT_END_AT_END = /(?:\r\n\r\n|\n\n|\r\r)$/;
const DONE_LINE = /(?:^|[\r\n])data: ?\[DONE\](?:\r\n|[\r\n])/;
/** `"usage":null` with the comma that joins it to a neighbouring field. */
const NULL_USAGE = /(,\s*)?"usage":\s*null(\s*,)?/g;

export function openAIByteEdit(bytes: ByteStream, options: OpenAIForwardOptions): ByteEdit {
  return options.includeUsage ? new WithUsage(bytes, options) : new WithoutUsage(bytes, options);
}

/**
 * What a stream that ends without `[DONE]` gets after its last event. Whether the upstream sent
 * it is the byte stream's own fact (read off each chunk before the door sees it), so the door
 * does not search the reads for it again.
 */
function closing(bytes: ByteStream, usageEvent: () => string): string {
  return bytes.done ? '' : `${usageEvent()}data: [DONE]\n\n`;
}

/** A client that asked for the usage: the bytes as they are, with an estimate if the upstream sent none. */
class WithUsage implements ByteEdit {
  private inserted = false;
  /** The read before this one, for the fields of the last chunk when [DONE] comes alone. */
  private previous: Buffer | undefined;

  constructor(
    private readonly bytes: ByteStream,
    private readonly options: OpenAIForwardOptions,
  ) {}

  chunk(data: Buffer): Buffer | string {
    // Nothing to add unless the upstream has sent [DONE] without a usage event before it.
    if (this.inserted || this.bytes.usage !== undefined || !this.bytes.done) {
      this.previous = data;
      return data;
    }
    // Chunks read before the stream was handed on may come after [DONE] was read: find it in this one.
    // A byte-for-byte view: its offsets are the bytes' (the read may begin inside a UTF-8 sequence).
    const done = DONE_LINE.exec(data.toString('latin1'));
    if (done === null) {
      this.previous = data;
      return data;
    }
    this.inserted = true;
    // The usage event goes before [DONE], carrying the id, model and creation time of the chunks before it.
    const at = done.index + (done[0].startsWith('data') ? 0 : 1);
    return Buffer.concat([data.subarray(0, at), Buffer.from(this.estimatedUsageEvent(data.toString('utf8', 0, at))), data.subarray(at)]);
  }

  end(): string {
    return closing(this.bytes, () => (this.bytes.usage === undefined ? this.estimatedUsageEvent('') : ''));
  }

  fail(error: unknown): string {
    return errorEvent(this.options.errorBody(error));
  }

  private estimatedUsageEvent(before: string): string {
    const fields = lastChunkFields(before) ?? lastChunkFields(this.previous?.toString('utf8') ?? '') ?? {};
    const promptTokens = this.options.estimatePromptTokens();
    const completionTokens = estimateTokens(this.bytes.text());
    const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
    return `data: ${JSON.stringify({ ...fields, choices: [], usage })}\n\n`;
  }
}

/** A client that did not ask for the usage: every `"usage":null` and the usage event come out. */
class WithoutUsage implements ByteEdit {
  /** An event not finished in the reads so far: held until it is, to be edited whole. */
  private tail = '';
  private readonly decoder = new StringDecoder('utf8');

  constructor(
    private readonly bytes: ByteStream,
    private readonly options: OpenAIForwardOptions,
  ) {}

  chunk(data: Buffer): string {
    const text = this.decoder.write(data);
    // Most reads end where an event ends; an unfinished one waits for its end (no client can use half an event).
    if (this.tail.length === 0 && !text.includes('"usage"') && EVENT_END_AT_END.test(text)) return text;
    const window = this.tail + text;
    const parts = window.split(EVENT_SEPARATOR);
    // [event, separator, event, separator, ..., unfinished]
    this.tail = parts.pop()!;
    let out = '';
    for (let i = 0; i + 1 < parts.length; i += 2) out += withoutUsage(parts[i]!, parts[i + 1]!);
    return out;
  }

  end(): string {
    const rest = this.tail + this.decoder.end();
    this.tail = '';
    return rest + closing(this.bytes, () => '');
  }

  fail(error: unknown): string {
    return errorEvent(this.options.errorBody(error));
  }
}

/** One event (and its separator) without its usage: a `"usage":null` field goes, a usage event goes whole. */
function withoutUsage(event: string, separator: string): string {
  if (!event.includes('"usage"')) return event + separator;
  const edited = event.replace(NULL_USAGE, (_match, before: string | undefined, after: string | undefined) => (before !== undefined && after !== undefined ? ',' : ''));
  if (!edited.includes('"usage"')) return edited + separator;
  // A usage object: the usage event (no choices) is dropped; a chunk that carries one with its choices keeps the choices.
  const chunk = parseData(edited + separator);
  if (chunk === undefined) return edited + separator;
  const choices = chunk.choices;
  if (!Array.isArray(choices) || choices.length === 0) return '';
  delete chunk.usage;
  return `data: ${JSON.stringify(chunk)}${separator}`;
}

/** The JSON object of an event's data, or undefined if it is not one. */
function parseData(event: string): Record<string, unknown> | undefined {
  return jsonObjectOf(sseEventsOf(event)[0]?.data);
}

function jsonObjectOf(data: string | undefined): Record<string, unknown> | undefined {
  if (data === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(data);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The id, object, creation time and model of the last chunk in `text`, for an event the door adds. */
function lastChunkFields(text: string): Record<string, unknown> | undefined {
  const events = sseEventsOf(text);
  for (let i = events.length - 1; i >= 0; i--) {
    const chunk = jsonObjectOf(events[i]!.data);
    if (chunk === undefined) continue;
    const { id, object, created, model } = chunk;
    return { id, object, created, model };
  }
  return undefined;
}

function errorEvent(body: OpenAIErrorBody): string {
  return `data: ${JSON.stringify(body)}\n\n`;
}
