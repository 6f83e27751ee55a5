/**
 * What every adapter shares: the provider's pool, its request headers, sending a request and
 * turning failures into GatewayErrors, reading a JSON body once, and guarding a streamed body
 * (cancellation, error mapping, destroying the upstream body when the consumer stops early).
 */
import type { Readable } from 'node:stream';
import type { CancelSignal } from '../core/cancellation';
import type { Dispatcher, Pool } from 'undici';
import type { GatewayRequest, GatewayResponse, ModelInfo, StreamEvent, Usage } from '../../shared/gateway';
import { isGatewayError } from '../core/errors';
import { estimateRequestTokens, estimateTokens } from '../core/token-estimate';
import type { JsonObject } from './json-payload';
import { createProviderPool, parseBaseUrl } from './pool';
import type { Provider, ProviderCall, ProviderSettings } from '../core/provider';
import { failedOnStaleConnection } from './stale-connection';
import { afterOutput, errorFromStatus, errorFromTransport, extractUpstreamMessage, protocolError } from './upstream-errors';
import { bodyText, requestWhole, WholeRequestError } from './whole-body';

export type ResponseBody = Dispatcher.ResponseData['body'];

export abstract class HttpProvider implements Provider {
  readonly settings: ProviderSettings;
  protected readonly pool: Pool;
  /** `http://host:port` of the base URL. */
  protected readonly origin: string;
  /** The base URL's path (`/v1` for OpenAI base URLs); every route is appended to it. */
  protected readonly basePath: string;
  /** Sent with every request; built once, and again only when the API key changes. undici only reads it. */
  protected headers: Record<string, string>;
  private closing: Promise<void> | undefined;
  private idCounter = 0;

  constructor(settings: ProviderSettings, authHeaders: Record<string, string>) {
    this.settings = settings;
    const endpoint = parseBaseUrl(settings);
    this.origin = endpoint.origin;
    this.basePath = endpoint.basePath;
    this.pool = createProviderPool(settings, endpoint.origin);
    this.headers = { 'content-type': 'application/json', ...authHeaders, ...settings.headers };
  }

  abstract complete(call: ProviderCall): Promise<GatewayResponse>;
  abstract stream(call: ProviderCall): Promise<AsyncIterable<StreamEvent>>;
  abstract listModels(signal: CancelSignal): Promise<ModelInfo[]>;
  abstract probe(signal: CancelSignal): Promise<void>;

  /**
   * A key handed over while the daemon runs (the editor's SecretStorage): requests from now on
   * carry it; requests already sent keep the old one. An undefined key removes the credential.
   */
  useApiKey(apiKey: string | undefined): void {
    const headers = { ...this.headers };
    for (const name of Object.keys(this.credentialHeaders(this.settings.apiKey ?? 'x'))) delete headers[name];
    this.settings.apiKey = apiKey;
    this.headers = { ...headers, ...(apiKey ? this.credentialHeaders(apiKey) : {}) };
  }

  /** The headers that carry an API key in this provider's protocol (a Bearer token unless overridden). */
  protected credentialHeaders(apiKey: string): Record<string, string> {
    return { authorization: `Bearer ${apiKey}` };
  }

  close(): Promise<void> {
    this.closing ??= this.pool.close();
    return this.closing;
  }

  /**
   * Sends a request with a JSON body (or none); resolves only on a 2xx, with the response body
   * still unread. A request that failed only because its pooled connection had been closed by
   * the server is sent again at once: each such failure takes one dead socket out of the pool,
   * so at most `maxConnections` re-sends reach a fresh connection.
   */
  protected async send(method: 'GET' | 'POST', path: string, body: JsonObject | undefined, signal: CancelSignal): Promise<Dispatcher.ResponseData> {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const response = await this.resending(signal, () => this.pool.request({ method, path, headers: this.headers, body: text, signal }));
    if (response.statusCode >= 200 && response.statusCode < 300) return response;
    let errorText = '';
    try {
      errorText = await response.body.text();
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      // The status alone still says what happened.
    }
    throw errorFromStatus(this.settings.name, response.statusCode, extractUpstreamMessage(errorText), response.headers);
  }

  /**
   * Sends a request and reads its whole JSON body, which must be an object. The body is
   * collected by a dispatch handler (whole-body.ts), not through a Readable; the status, the
   * re-send on a stale connection and the errors are as `send`'s.
   */
  protected async requestJson(method: 'GET' | 'POST', path: string, body: JsonObject | undefined, signal: CancelSignal): Promise<JsonObject> {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const response = await this.resending(signal, () => requestWhole(this.pool, { method, path, headers: this.headers, body: text }, signal));
    if (response.statusCode < 200 || response.statusCode >= 300) {
      throw errorFromStatus(this.settings.name, response.statusCode, extractUpstreamMessage(bodyText(response.body)), response.headers);
    }
    let value: unknown;
    try {
      value = JSON.parse(bodyText(response.body));
    } catch (error) {
      throw this.mapError(error, signal);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw protocolError(this.settings.name, 'expected a JSON object');
    }
    return value as JsonObject;
  }

  /**
   * Runs `sendOnce` again at once when it failed only because its pooled connection had been
   * closed by the server (see `send`), and maps every other failure. A whole-body request that
   * failed after its answer began is never sent again: it reached the model.
   */
  private async resending<T>(signal: CancelSignal, sendOnce: () => Promise<T>): Promise<T> {
    for (let resends = 0; ; resends++) {
      try {
        return await sendOnce();
      } catch (error) {
        const failure = error instanceof WholeRequestError ? error.cause : error;
        const begun = error instanceof WholeRequestError && error.responseStarted;
        if (!begun && !signal.aborted && resends < this.settings.maxConnections && failedOnStaleConnection(failure)) continue;
        throw this.mapError(failure, signal);
      }
    }
  }

  /** GETs a listing or health route and discards the body. */
  protected async probePath(path: string, signal: CancelSignal): Promise<void> {
    const response = await this.send('GET', path, undefined, signal);
    try {
      await response.body.dump();
    } catch (error) {
      throw this.mapError(error, signal);
    }
  }

  /**
   * Wraps an adapter's event translation of a streamed body. Guarantees: an abort through the
   * signal rethrows its reason; any other failure is a GatewayError (not retryable once an event
   * went out); the translation must end with an `end` event or the stream is a protocol error;
   * and when the consumer stops early, the upstream body is destroyed, which aborts the request.
   */
  protected guardStream(body: ResponseBody, signal: CancelSignal, events: AsyncIterable<StreamEvent>): AsyncIterable<StreamEvent> {
    return new UpstreamEvents(this.guarded(body, signal, events), body);
  }

  private async *guarded(body: ResponseBody, signal: CancelSignal, events: AsyncIterable<StreamEvent>): AsyncGenerator<StreamEvent> {
    let produced = false;
    let ended = false;
    try {
      for await (const event of events) {
        if (ended) continue;
        produced = true;
        if (event.type === 'end') ended = true;
        yield event;
      }
      if (!ended) throw protocolError(this.settings.name, 'the stream ended before its final event');
    } catch (error) {
      const mapped = this.mapError(error, signal);
      throw produced && isGatewayError(mapped) ? afterOutput(mapped) : mapped;
    } finally {
      releaseBody(body);
    }
  }

  /** An abort rethrows the signal's reason (never a GatewayError); everything else is classified. */
  protected mapError(error: unknown, signal: CancelSignal): unknown {
    if (signal.aborted) return signal.reason;
    return errorFromTransport(this.settings.name, error);
  }

  /** An id for responses whose provider gives none; unique within this daemon run. */
  protected nextId(prefix: string): string {
    this.idCounter++;
    return `${prefix}-${Date.now().toString(36)}${this.idCounter.toString(36)}`;
  }

  /** Usage as reported, or estimated from the request and the output text when the provider gave none. */
  protected usageOf(promptTokens: unknown, completionTokens: unknown, request: GatewayRequest, text: string): Usage & { estimated?: boolean } {
    if (typeof promptTokens === 'number' && typeof completionTokens === 'number') return { promptTokens, completionTokens };
    return {
      promptTokens: typeof promptTokens === 'number' ? promptTokens : estimateRequestTokens(request),
      completionTokens: typeof completionTokens === 'number' ? completionTokens : estimateTokens(text),
      estimated: true,
    };
  }
}

function ignore(): void {}

/** Destroys an unfinished body, which aborts its request; the abort error has no reader to go to. */
export function releaseBody(body: Readable): void {
  if (!body.destroyed && !body.readableEnded) body.on('error', ignore).destroy();
}

/**
 * The stream handed to the caller. A generator that was never started ignores `return()`, so
 * its `finally` would not run; this wrapper releases the upstream body in that case too, which
 * matters to a caller that drops a stream it never read (the losing leg of a hedge).
 */
class UpstreamEvents implements AsyncIterableIterator<StreamEvent> {
  constructor(
    private readonly inner: AsyncGenerator<StreamEvent>,
    private readonly body: ResponseBody,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<StreamEvent>> {
    return this.inner.next();
  }

  return(): Promise<IteratorResult<StreamEvent>> {
    releaseBody(this.body);
    return this.inner.return(undefined);
  }
}

/** Unix seconds, for responses whose provider gives no creation time. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
