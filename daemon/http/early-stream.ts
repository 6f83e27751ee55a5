/**
 * Time to headers for streamed requests. The gateway hands a stream to the door only once its
 * first token is in hand, so a failure before any output can still be retried or sent to the
 * next candidate, and a client gets a real status for it (404, 429, 503, 504). A model that is
 * loading or queued would then leave the client without so much as response headers until the
 * deadline, unable to tell a slow model from a dead gateway.
 *
 * So a door waits for the result only for a grace period (`server.stream_headers_after_ms`).
 * If it has not come by then, the door commits to a 200 stream: it sends the headers (and on
 * SSE a comment line, repeated while the wait goes on), and keeps waiting with the deadline,
 * retries and fallback all still in force. Whatever happens after that reaches the client in
 * the stream: the tokens, or an error event in the door's shape.
 */
import type { FastifyReply } from 'fastify';
import type { GatewayResponse, StreamEvent } from '../../shared/gateway';
import { isAbortError } from '../core/errors';
import { streamEvents, type GatewayResult } from '../core/pipeline';
import { sendFrames } from './send-result';

/** How often an SSE stream that is still waiting for its first token says so. */
export const HEARTBEAT_MS = 10_000;

export interface EarlyStreamOptions {
  contentType: string;
  /** An SSE comment sent with the early headers and again every `heartbeatMs` of waiting; none for NDJSON, whose every line is JSON. */
  heartbeat?: string;
  /** Default 10 s. */
  heartbeatMs?: number;
  /** The door's frames for a result's events (the result says who serves it). */
  render(events: AsyncIterable<StreamEvent>, result: GatewayResult): AsyncIterable<string>;
  /** The door's in-stream error frame. */
  errorFrame(error: unknown): string;
}

/** The result if it comes within `ms`, else undefined (and the promise is still pending). A failure within `ms` rejects. */
export function resultWithin(pending: Promise<GatewayResult>, ms: number): Promise<GatewayResult | undefined> {
  return new Promise((resolve, reject) => {
    // Unref'd, as the request's deadline is (routing/deadline.ts).
    const timer = setTimeout(resolve, ms, undefined).unref();
    pending.then(
      (result) => {
        clearTimeout(timer);
        resolve(result);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Sends the headers now and the stream once the gateway has a result; see the file comment. */
export function sendEarlyStream(reply: FastifyReply, pending: Promise<GatewayResult>, options: EarlyStreamOptions): FastifyReply {
  // The headers go now: an NDJSON stream has no first bytes to carry them yet.
  return sendFrames(reply, options.contentType, earlyStreamFrames(pending, options), { headersNow: true });
}

/** The frames of a stream whose headers went before the gateway's result: heartbeats while waiting, then the result's frames or its error. */
export async function* earlyStreamFrames(pending: Promise<GatewayResult>, options: EarlyStreamOptions): AsyncGenerator<string> {
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  const settled = pending.then(
    (result) => ({ result }),
    (error: unknown) => ({ error }),
  );
  if (options.heartbeat !== undefined) yield options.heartbeat;
  let outcome: { result: GatewayResult } | { error: unknown } | undefined;
  while (outcome === undefined) {
    outcome = options.heartbeat === undefined ? await settled : await Promise.race([settled, tick(heartbeatMs)]);
    if (outcome === undefined) yield options.heartbeat!;
  }
  if ('error' in outcome) {
    // The client left: nothing to tell it.
    if (!isAbortError(outcome.error)) yield options.errorFrame(outcome.error);
    return;
  }
  const result = outcome.result;
  yield* options.render(result.type === 'response' ? eventsOf(result.response) : streamEvents(result), result);
}

function tick(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(resolve, ms, undefined).unref());
}

/** A whole response as the events of a stream, for a result that came whole (a cache hit) after the headers went. */
async function* eventsOf(response: GatewayResponse): AsyncGenerator<StreamEvent> {
  if (response.text !== '') yield { type: 'text', text: response.text };
  for (const [index, call] of (response.toolCalls ?? []).entries()) {
    yield { type: 'tool_call', index, id: call.id, name: call.function.name, argumentsDelta: call.function.arguments };
  }
  yield { type: 'end', finishReason: response.finishReason, usage: response.usage, id: response.id, timings: response.timings };
}
