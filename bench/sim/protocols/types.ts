import type { IncomingHttpHeaders } from 'node:http';

/**
 * What a protocol module gives the simulator's engine: how to read a request, how to shape a
 * reply (whole or streamed) and how to shape an error. The engine owns timing, capacity,
 * faults and recording; protocol modules only know their wire format.
 */

/** A complete response in a protocol's shape (errors, listings). */
export class WireReply {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly contentType = 'application/json',
    readonly headers?: Readonly<Record<string, string>>,
  ) {}
}

export interface Protocol {
  readonly name: 'openai' | 'ollama' | 'anthropic' | 'llamacpp';
  /** An error reply in this protocol's documented shape. `code` is its machine-readable code, where it has one. */
  error(status: number, message: string, code?: string, param?: string): WireReply;
  /** True when the request carries `apiKey` the way this protocol sends keys. */
  hasKey(headers: IncomingHttpHeaders, apiKey: string): boolean;
}

/** A tool the request offers and the simulator decided to call. */
export interface ToolChoice {
  name: string;
  /** The tool's JSON schema for its arguments (OpenAI `parameters`, Anthropic `input_schema`). */
  schema: unknown;
}

/** The protocol-neutral part of a parsed generation request. */
export interface ParsedGeneration {
  model: string;
  stream: boolean;
  /** The input text (messages, prompt, suffix, extra context), hashed with the seed to pick the output. */
  input: string;
  promptTokens: number;
  /** The request's own cap on output tokens, if any. */
  maxTokens: number | undefined;
  /** Stop sequences: the output ends before the first one it produces. */
  stop?: readonly string[];
  /** The request's own sampling seed (OpenAI `seed`, Ollama `options.seed`, llama.cpp `seed`), mixed into the output. */
  requestSeed?: number;
  tool?: ToolChoice;
}

export type FinishReason = 'stop' | 'length' | 'tool';

export interface ToolCallOutput {
  id: string;
  name: string;
  /** The arguments as a JSON string, and the same string cut into streamed fragments (one per token). */
  arguments: string;
  fragments: string[];
}

/** Monotonic milliseconds (`performance.now()`), for durations a protocol reports. */
export interface ReplyTiming {
  receivedAt: number;
  startedAt: number;
  /** Planned time of the first token. */
  firstTokenAt: number;
}

export interface Reply<P extends ParsedGeneration = ParsedGeneration> {
  request: P;
  /** Unique per simulator (the record id), for the `id` fields protocols send. */
  id: number;
  /** Unix seconds. */
  created: number;
  /** One entry per output token; joined they are `text`. Empty for a tool call. */
  pieces: string[];
  text: string;
  finish: FinishReason;
  /** The stop sequence that ended the output, when one did (finish is then `stop`). */
  stopSequence?: string;
  promptTokens: number;
  completionTokens: number;
  toolCall?: ToolCallOutput;
  timing: ReplyTiming;
}

/**
 * A streamed reply as frames: `head` with the first token, one frame per token, then `tail`.
 * Plans are built per request, so write their functions as methods, not arrow properties:
 * esbuild's keepNames (tsx and scripts/build.mjs) wraps each arrow in a __name() call, an
 * Object.defineProperty per function per request that made building a plan cost ~2 µs.
 */
export interface StreamPlan {
  head(): string;
  /** Frames for tokens; for a tool call, one per argument fragment. */
  readonly frameCount: number;
  frame(index: number): string;
  /** Everything after the last token (final chunk, usage, terminator). Called when it is sent. */
  tail(): string;
  /** The protocol's in-band error, for the `stream-error` fault. */
  errorFrame(): string;
}

export interface RouteContext {
  readonly models: readonly string[];
}

export interface GenerationRoute<P extends ParsedGeneration = ParsedGeneration> {
  readonly name: string;
  readonly protocol: Protocol;
  readonly streamContentType: string;
  /** Validates like the real API; returns the error reply it would send. */
  parse(body: unknown, headers: IncomingHttpHeaders, context: RouteContext): P | WireReply;
  body(reply: Reply<P>): string;
  stream(reply: Reply<P>): StreamPlan;
}

/** A route that answers at once (model listings, health, model details). */
export interface StaticRoute {
  readonly name: string;
  /** The protocol that shapes this request's errors (`/v1/models` is OpenAI's or Anthropic's, by header). */
  protocolFor(headers: IncomingHttpHeaders): Protocol;
  /** True for routes that never need the key (health checks). */
  readonly open?: boolean;
  /** `body` is the parsed JSON body of a POST (e.g. Ollama's `/api/show`); undefined for a GET. */
  respond(headers: IncomingHttpHeaders, context: RouteContext, path: string, body?: unknown): WireReply;
}
