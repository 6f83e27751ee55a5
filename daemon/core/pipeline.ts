/**
 * The types that flow through the gateway's request pipeline:
 *
 *   door → Gateway.handle(request, context)           daemon/gateway/
 *        → Router.resolve(...)       the route the request names (404 if none)
 *        → budgets.exclusionsFor(...) cloud candidates a spent fallback-local budget rules out
 *        → Router.select(...)        a RoutePlan: the strategy's first choice among eligible candidates
 *        → cache (lookup / coalesce / typed-ahead), around:
 *        → executeRoutedPlan(...)    tries candidates (retries, fallback, hedging, deadline)
 *        → AttemptRunner.run(...)    one provider call: budget reserve/commit, metrics, in-flight
 *        → GatewayResult             a full response or a stream, plus who served it
 *
 * Neither door holds gateway logic; both call `Gateway.handle`. This file and the others of
 * `core/` import nothing of the daemon's other folders: every stage above may use them.
 */
import { eventsOfBytes, type ByteProtocol, type ByteStream } from './byte-stream';
import type { CancelSignal } from './cancellation';
import type { GatewayRequest, GatewayResponse, StreamEvent } from '../../shared/gateway';
import type { Provider } from './provider';

export type Door = 'openai' | 'ollama' | 'lsp';

export type CacheStatus = 'HIT' | 'MISS' | 'COALESCED' | 'BYPASS';

/** Per-request choices a client made through `X-Switchyard-*` headers (or LSP params). */
export interface RequestDirectives {
  /** `X-Switchyard-Route`: use this route. */
  route?: string;
  /** `X-Switchyard-Provider`: only this provider. */
  provider?: string;
  /** `X-Switchyard-Deadline-Ms`: time budget for the whole request. */
  deadlineMs?: number;
  /** `X-Switchyard-Cache: on|off`: opt in to or out of the cache. */
  cache?: 'on' | 'off';
  /** `X-Switchyard-Client: vscode-inline`: the editor's ghost-text completion, held to the tight deadline. */
  inlineCompletion?: boolean;
  /** Cloud candidates are out for this request whatever its route allows (the editor's cloud switch is off). */
  localOnly?: boolean;
}

export interface RequestContext {
  /** Aborted when the client goes away. Every stage passes it (or a child of it) down. */
  signal: CancelSignal;
  door: Door;
  directives: RequestDirectives;
  requestId: string;
  /** `performance.now()` when the door received the request. */
  receivedAt: number;
  /**
   * Rewrites the request for the candidate about to be called, when its wire form depends on
   * who serves it (the editor's fill-in-the-middle prompt in a model family's own tokens, or
   * as a chat instruction). The cache key is still made from the request the door built.
   */
  adaptRequest?: (request: GatewayRequest, candidate: Candidate) => GatewayRequest;
  /** Filled in as the request goes through the pipeline; the door's request log line reads it. */
  report?: RequestReport;
  /**
   * The door can send a stream in this protocol as the upstream's own bytes (`byte-stream.ts`):
   * a candidate whose provider speaks it answers with a `bytes` result. The gateway clears it
   * when the cache is to store the answer, which reads it as events.
   */
  forward?: ByteProtocol;
  /**
   * Told when an upstream accepted this request's forwarded stream (`forward`), before its first
   * output, with the stream (the attempt's and the route's taps on it) and who it is, so the door
   * can start it then: each read, the first output included, is then written inside its own
   * `data` event. If that stream fails before its first output, the executor retries or falls
   * back as usual and tells the next accepted one. Not told for hedged attempts (the winner is
   * known only at a first output) or once the door has cleared it.
   */
  streamAcceptor?: StreamAcceptor;
}

/** What the one log line of a request says beyond what the door knows itself. */
export interface RequestReport {
  route?: string;
  servedBy?: ServedBy;
  /** Milliseconds from sending upstream to the first token (whole answer when not streamed). */
  ttftMs?: number;
  inputTokens?: number;
  outputTokens?: number;
}

/** One provider + upstream model the router may send a request to. */
export interface Candidate {
  provider: Provider;
  /** Upstream model name. */
  model: string;
  /** `provider/model`: the key for health, breaker and latency statistics. */
  key: string;
}

export interface RoutePlan {
  /** The route the request resolved to, or undefined when it named a model directly. */
  routeName?: string;
  /** In the order the strategy chose; the executor tries them in this order. */
  candidates: Candidate[];
}

/** Why a spent budget rules a candidate out, and the model that budget sends requests to instead. */
export interface BudgetExclusion {
  reason: string;
  /** The budget's `fallback_model`: a model name or route, resolved by the router. */
  fallbackModel?: string;
}

/**
 * The candidates spent `fallback-local` budgets rule out for one request, by candidate key.
 * Budgets answer it once, before selection (their ledger may be in Redis; selection is
 * synchronous), and the router makes those candidates ineligible.
 */
export type BudgetExclusions = ReadonlyMap<string, BudgetExclusion>;

/** Who served a response; sent back as `X-Switchyard-*` headers. */
export interface ServedBy {
  provider: string;
  model: string;
  attempts: number;
  cache: CacheStatus;
}

export type GatewayResult =
  | { type: 'response'; response: GatewayResponse; servedBy: ServedBy }
  /**
   * A stream whose upstream has already answered successfully. The iterable ends with one
   * `end` event, or throws a GatewayError if the upstream dies part-way (the door then sends
   * an error event in its protocol). Breaking out of it aborts the upstream.
   */
  | { type: 'stream'; events: AsyncIterable<StreamEvent>; servedBy: ServedBy }
  /**
   * A stream in the protocol the context's `forward` named, as the upstream's bytes, its first
   * event already in. The consumer starts it once, or releases it (which aborts the upstream).
   */
  | { type: 'bytes'; bytes: ByteStream; servedBy: ServedBy };

/** A streamed result's events, whether it came as events or as bytes (parsed by its provider then). */
export function streamEvents(result: Extract<GatewayResult, { type: 'stream' | 'bytes' }>): AsyncIterable<StreamEvent> {
  return result.type === 'stream' ? result.events : eventsOfBytes(result.bytes);
}

export type AttemptOutcome =
  | { type: 'response'; response: GatewayResponse }
  | { type: 'stream'; events: AsyncIterable<StreamEvent> }
  | { type: 'bytes'; bytes: ByteStream };

/**
 * One call to one candidate with its accounting (metrics, in-flight count, budget reservation).
 * The gateway provides it and the route executor calls it for each attempt, so routing never
 * depends on what the gateway counts around a call.
 */
export interface AttemptRunner {
  run(candidate: Candidate, request: GatewayRequest, signal: CancelSignal, where: AttemptWhere): Promise<AttemptOutcome>;
}

/** The route label of requests that named a model directly. */
export const DIRECT_ROUTE = '(direct)';

/** Where an attempt belongs: its route and door (metric labels, and budgets scoped to a pool), and its request's report. */
export interface AttemptWhere {
  /** The route the candidate was chosen on; undefined for a model named directly. */
  routeName: string | undefined;
  door: Door;
  report?: RequestReport;
  /** The request context's `forward`: a candidate that can answer in this protocol forwards its bytes. */
  forward?: ByteProtocol;
  /** Told with the attempt's stream (its taps on) when a forwarded stream's upstream accepted it; see `ProviderCall.acceptor`. */
  acceptor?: AttemptAcceptor;
}

/**
 * The door's side of `RequestContext.streamAcceptor`. It and `AttemptAcceptor` are objects with
 * methods, not closures kept on the request's state: closures linked there at acceptance made
 * the collector promote most of every stream's objects (PERFORMANCE.md, "The eighth session").
 */
export interface StreamAcceptor {
  streamAccepted(bytes: ByteStream, servedBy: ServedBy): void;
}

/** The route's side of `AttemptWhere.acceptor`. */
export interface AttemptAcceptor {
  attemptAccepted(bytes: ByteStream): void;
}
