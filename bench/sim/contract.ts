/**
 * The simulated provider's public contract, used by tests, benchmarks and `switchyard sim`.
 * Implementation lives beside this file; this is what callers may rely on.
 */

export type FaultKind =
  | 'http500'
  | 'http503'
  /** 429 with a `Retry-After` header (seconds). */
  | 'http429'
  /** The socket is destroyed before any response byte. */
  | 'reset'
  /** A streamed response is cut (socket destroyed) after some output. */
  | 'midstream'
  /** Headers never come (or for a streamed reply, no chunk after the headers) until the client gives up. */
  | 'stall'
  /** A 200 whose body is not the protocol (garbage). */
  | 'garbage'
  /**
   * A streamed response sends some output, then the protocol's own in-band error (Anthropic
   * `event: error`, an OpenAI `data: {"error":...}` chunk, an Ollama `{"error":...}` line, a
   * llama.cpp `data: {"error":...}` event) and ends cleanly. A non-streamed reply gets a 500.
   */
  | 'stream-error';

export const FAULT_KINDS: readonly FaultKind[] = [
  'http500', 'http503', 'http429', 'reset', 'midstream', 'stall', 'garbage', 'stream-error',
];

export type LatencySpec =
  | number
  | { dist: 'uniform'; minMs: number; maxMs: number }
  | { dist: 'normal'; meanMs: number; stddevMs: number }
  | { dist: 'lognormal'; medianMs: number; sigma: number };

export interface SimulatorOptions {
  /** 0 (default) takes a free port. Always binds 127.0.0.1. */
  port?: number;
  /** Total time of a non-streamed reply (from request end to response, plus any wait for capacity), when tokens/s is not given. */
  latencyMs?: LatencySpec;
  /** Time to first token for streamed replies (and the prefill part of a non-streamed one). */
  ttftMs?: LatencySpec;
  /** Decode speed; with it, a reply takes ttft + tokens / tokensPerSecond. 0 or absent = instant after ttft. */
  tokensPerSecond?: number;
  /** Output length in tokens (one token = one word of the deterministic text), capped by the request's max tokens. */
  outputTokens?: number | { min: number; max: number };
  /** Fraction of requests (0..1) that fail with one of `errorKinds` (chosen uniformly, seeded). */
  errorRate?: number;
  errorKinds?: FaultKind[];
  /** Retry-After seconds sent with 429. */
  retryAfterSeconds?: number;
  /** Requests served at once; beyond it they queue, like a real model server. 0 = unbounded. */
  capacity?: number;
  seed?: number;
  /** Model names listed on every protocol's listing route. Default: a chat model and a FIM-capable code model. */
  models?: string[];
  /**
   * When set, every route but the health checks requires this key, sent the way each protocol
   * sends it (`Authorization: Bearer` for OpenAI, Ollama and llama.cpp; `x-api-key` or Bearer
   * for Anthropic); a wrong or missing key gets the protocol's 401. Absent = no auth.
   */
  apiKey?: string;
  /**
   * Closes each connection this many ms after a response on it has finished, while every
   * response still advertises `Connection: keep-alive` and `Keep-Alive: timeout=5, max=100`, as
   * some llama.cpp server builds do. A request that arrives on the connection in between gets
   * no answer: the client sees the connection closed before any response byte. Absent = a
   * normal keep-alive server.
   */
  closeAfterResponseMs?: number;
}

/** Defaults applied when an option is absent. */
export const SIM_DEFAULTS = {
  models: ['sim-chat', 'sim-coder'],
  outputTokens: 16,
  retryAfterSeconds: 1,
  seed: 42,
} as const;

export interface SimRequestRecord {
  id: number;
  /** e.g. `openai.chat`, `openai.completions`, `ollama.chat`, `ollama.generate`, `anthropic.messages`, `llamacpp.infill`, `llamacpp.completion`, `llamacpp.apply-template`, `openai.models`. */
  route: string;
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  model?: string;
  stream: boolean;
  /** Epoch milliseconds (`Date.now()`), like every timestamp in a record. */
  receivedAt: number;
  /** When generation began (after waiting for capacity); undefined for faults answered at once, stalls and non-generating routes. */
  startedAt?: number;
  /** When the response finished, or undefined while in flight / if aborted. */
  finishedAt?: number;
  /** Set when the client went away before the reply finished. */
  abortedAt?: number;
  fault?: FaultKind;
  status?: number;
  /** Tokens the simulator reported as usage (what a budget must add up to). */
  usage?: { promptTokens: number; completionTokens: number };
  /**
   * A generation request's prompt as the model would read it (messages, or extra context,
   * prefix and suffix in the order a FIM prompt places them), in characters, and how many of
   * its first characters it shares with the previous prompt for the same model: the part a
   * server with a prompt cache (llama.cpp `cache_prompt`, Ollama, vLLM prefix caching) would
   * not have to read again.
   */
  promptChars?: number;
  sharedPrefixChars?: number;
}

export interface SimStats {
  received: number;
  completed: number;
  aborted: number;
  faults: number;
  /** Requests that arrived on a connection due to close (`closeAfterResponseMs`): never read, never answered, not in `received`. */
  refused: number;
  /** Requests received and not yet finished or aborted (queued, generating or stalled). */
  inFlight: number;
  /** Waiting for capacity. */
  queued: number;
  /** Holding a capacity slot (generating) right now. */
  generating: number;
  /** The most requests that ever generated at once since start or `reset()`. */
  peakGenerating: number;
  promptTokens: number;
  completionTokens: number;
  /** Sums of the records' `promptChars` and `sharedPrefixChars`: the share of prompt text a prompt cache could reuse. */
  promptChars: number;
  sharedPrefixChars: number;
}

export interface Simulator {
  readonly url: string;
  readonly port: number;
  /** Every request received, in arrival order. Kept only while `recording` is true (default true; benchmarks turn it off). */
  readonly requests: readonly SimRequestRecord[];
  recording: boolean;
  /** Changes behaviour for subsequent requests (e.g. make it slow, make it fail). */
  configure(patch: Partial<SimulatorOptions>): void;
  /** Forgets recorded requests and counters. */
  reset(): void;
  /** Counters kept even when recording is off. */
  stats(): SimStats;
  /** Resolves when a request matching the predicate has been aborted by its client (for cancellation tests). */
  waitForAbort(predicate?: (r: SimRequestRecord) => boolean, timeoutMs?: number): Promise<SimRequestRecord>;
  close(): Promise<void>;
}

/**
 * Per-request overrides a test can send as headers (the gateway forwards none of them;
 * tests that go through the gateway configure the simulator instead):
 * - `x-sim-fault: <FaultKind>` forces a fault on this request,
 * - `x-sim-ttft-ms`, `x-sim-latency-ms`, `x-sim-output-tokens` override the timings.
 */
export const SIM_FAULT_HEADER = 'x-sim-fault';
export const SIM_TTFT_HEADER = 'x-sim-ttft-ms';
export const SIM_LATENCY_HEADER = 'x-sim-latency-ms';
export const SIM_OUTPUT_TOKENS_HEADER = 'x-sim-output-tokens';
