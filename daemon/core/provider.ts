/**
 * The contract every provider adapter (`daemon/providers/`) fulfils. It sits on the ground floor
 * because routing, budgets and the gateway all hold providers without knowing their protocol.
 */
import type { ByteProtocol, ByteStream } from './byte-stream';
import type { CancelSignal } from './cancellation';
import type { GatewayRequest, GatewayResponse, ModelInfo, ProviderKind, StreamEvent } from '../../shared/gateway';

/** Prices in USD per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
}

/** A provider as configured: everything an adapter needs to reach it. */
export interface ProviderSettings {
  name: string;
  kind: ProviderKind;
  /**
   * Base URL without a trailing slash, as each provider documents it: for `openai` it includes
   * the `/v1` (`https://api.openai.com/v1`, `http://127.0.0.1:1234/v1`); for `ollama`,
   * `anthropic` and `llamacpp` it is the origin (`http://127.0.0.1:11434`).
   */
  baseUrl: string;
  /** The API key, resolved from the environment variable the config names. Held in memory only; never logged. */
  apiKey?: string;
  /** Models this provider is configured to serve; when empty, the adapter's `listModels` is the source. */
  models: string[];
  local: boolean;
  prices: Record<string, ModelPrice>;
  /** Upper bound on concurrent connections to this provider. */
  maxConnections: number;
  /** Requests the provider serves at once (a model server's parallel slots), for least-busy routing. */
  capacity?: number;
  /** Time allowed to connect, and to receive response headers (time to first byte). */
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  /** Longest silence allowed between body chunks. */
  bodyTimeoutMs: number;
  /** Extra headers sent with every request (e.g. `anthropic-version`, OpenRouter's `HTTP-Referer`). */
  headers: Record<string, string>;
}

/** One call to one provider for one upstream model. */
export interface ProviderCall {
  request: GatewayRequest;
  /** The upstream model name, after routing resolved aliases and `provider/model` prefixes. */
  model: string;
  /** Aborted when the client goes away or the deadline passes; the adapter must abort the upstream request at once. */
  signal: CancelSignal;
  /**
   * `forward` only: told once, when the upstream accepted the call (a success status), before
   * its first output; the stream may be started then (`ByteStream.start`). The promise
   * `forward` returned still settles at the first output, or rejects on a failure before it.
   */
  acceptor?: { accepted(stream: ByteStream): void };
}

/**
 * One adapter per wire protocol. Errors are thrown as `GatewayError` (see `errors.ts`):
 * `upstreamRejected` with the upstream status for the caller's own 4xx (not retryable),
 * `upstreamRateLimited` (retryable, with `retryAfterMs`), `upstreamError`/`upstreamUnavailable`
 * for 5xx (retryable), `upstreamTimeout` and `upstreamUnavailable` for timeouts and connection
 * errors (retryable), `upstreamProtocol` for a body that is not the protocol (retryable only
 * before any output was produced). An abort through `signal` rejects with the abort reason
 * and is not a GatewayError.
 */
export interface Provider {
  readonly settings: ProviderSettings;
  /** A non-streamed call. */
  complete(call: ProviderCall): Promise<GatewayResponse>;
  /**
   * A streamed call. The promise settles once the upstream has answered with a success status
   * (so an error before any output can still be retried elsewhere); the iterable then yields
   * events and ends with exactly one `end` event, or throws a GatewayError if the upstream dies
   * mid-stream (marked not retryable once an event was yielded). Breaking out of the iteration,
   * or calling the iterator's `return()` before iterating at all, aborts the upstream request;
   * a caller that drops a stream without either must abort the signal. The `end` event carries
   * `usage` only when the provider reported it; otherwise estimate from the relayed text
   * (`token-estimate.ts`).
   */
  stream(call: ProviderCall): Promise<AsyncIterable<StreamEvent>>;
  /**
   * Whether `forward` can answer this request in `protocol`: the upstream's streamed answer is
   * already that protocol's, so a door that speaks it can send the bytes on (`byte-stream.ts`).
   */
  canForward?(request: GatewayRequest, protocol: ByteProtocol): boolean;
  /**
   * A streamed call whose answer stays the upstream's bytes. Settles as `stream` does: once the
   * upstream has answered with a success status and its first event, so a failure before any
   * output can still be retried elsewhere; tells `call.acceptor` at the success status. Only
   * called when `canForward` said yes.
   */
  forward?(call: ProviderCall, protocol: ByteProtocol): Promise<ByteStream>;
  /** The models the provider serves right now (its model-listing route). */
  listModels(signal: CancelSignal): Promise<ModelInfo[]>;
  /**
   * A cheap health check; throws the same GatewayErrors as a call. Routes: openai `GET {baseUrl}/models`,
   * ollama `GET /api/tags`, anthropic `GET /v1/models`, llamacpp `GET /health` (503 while loading).
   */
  probe(signal: CancelSignal): Promise<void>;
  /** Sends this API key from now on (undefined: none), for keys the editor hands over at run time. */
  useApiKey?(apiKey: string | undefined): void;
  /** Ollama's `POST /api/show` for `model`, as the upstream answered; only providers that speak Ollama's API have it. */
  showModel?(model: string, verbose: boolean, signal: CancelSignal): Promise<Record<string, unknown>>;
  /** Ollama's load request (an empty `/api/generate`; `keep_alive: 0` unloads), as the upstream answered; only providers that speak Ollama's API have it. */
  loadModel?(model: string, keepAlive: string | number | undefined, signal: CancelSignal): Promise<Record<string, unknown>>;
  /** Ollama's `GET /api/ps` entries, as the upstream listed them; only providers that speak Ollama's API have it. */
  runningModels?(signal: CancelSignal): Promise<Record<string, unknown>[]>;
  /** Closes the connection pool; safe to call twice. */
  close(): Promise<void>;
}
