/**
 * Sends one request through an undici pool and times it: scheduled (given), send, first
 * content chunk, last chunk, end. Never throws: failures come back classified by kind.
 */
import type { Dispatcher } from 'undici';
import { readWholeReply, StreamReader, type WireApi } from './wire';

export type ErrorKind = `http_${number}` | 'timeout' | 'connection' | 'protocol' | 'cancelled';

export interface RequestOutcome {
  modelIndex: number;
  scheduledMs: number;
  sendMs: number;
  /** First content chunk (streamed) or first body byte (whole reply); NaN if none. */
  firstChunkMs: number;
  lastChunkMs: number;
  endMs: number;
  status: number;
  error: ErrorKind | null;
  outputTokens: number;
  /** Gaps between content chunks, microseconds (streamed replies only). */
  gapsUs: number[] | null;
}

/** Built once per model for a phase and reused by every request to it. */
export interface SendOptions {
  pool: Dispatcher;
  /** Origin, path, body, headers and timeouts; undici reads them and does not change them. */
  dispatch: Dispatcher.DispatchOptions;
  api: WireApi;
  modelIndex: number;
  stream: boolean;
  signal: AbortSignal;
  now: () => number;
}

export function sendRequest(options: SendOptions, scheduledMs: number): Promise<RequestOutcome> {
  const { now, stream, api } = options;
  const outcome: RequestOutcome = {
    modelIndex: options.modelIndex,
    scheduledMs,
    sendMs: now(),
    firstChunkMs: NaN,
    lastChunkMs: NaN,
    endMs: NaN,
    status: 0,
    error: null,
    outputTokens: 0,
    gapsUs: stream ? [] : null,
  };
  return new Promise<RequestOutcome>((resolve) => {
    let done = false;
    const finish = (error: ErrorKind | null) => {
      if (done) return;
      done = true;
      outcome.endMs = now();
      if (error && !outcome.error) outcome.error = error;
      resolve(outcome);
    };
    let failed = false;
    let usageTokens = -1;
    let contentChunks = 0;
    let reader: StreamReader | null = null;
    let decoder: TextDecoder | null = null;
    const chunks: Buffer[] = [];
    // The dispatch handler is undici's request path without a stream object per reply:
    // the generator must cost far less per request than the server it measures.
    options.pool.dispatch(options.dispatch, {
      onRequestStart() {},
      onResponseStart(_controller, statusCode) {
        outcome.status = statusCode;
        failed = statusCode < 200 || statusCode >= 300;
        if (failed) outcome.error = `http_${statusCode}`;
        else if (stream) {
          decoder = new TextDecoder();
          reader = new StreamReader(api, {
            onContent: () => {
              const t = now();
              if (contentChunks === 0) outcome.firstChunkMs = t;
              else outcome.gapsUs!.push(Math.round((t - outcome.lastChunkMs) * 1000));
              outcome.lastChunkMs = t;
              contentChunks++;
            },
            onUsage: (tokens) => (usageTokens = tokens),
          });
        }
      },
      onResponseData(_controller, chunk) {
        if (reader) return reader.push(decoder!.decode(chunk, { stream: true }));
        const t = now();
        if (Number.isNaN(outcome.firstChunkMs)) outcome.firstChunkMs = t;
        outcome.lastChunkMs = t;
        if (!failed) chunks.push(chunk);
      },
      onResponseEnd() {
        if (failed) return finish(null);
        if (reader) {
          reader.end();
          outcome.outputTokens = usageTokens >= 0 ? usageTokens : contentChunks;
          return finish(reader.malformed || !reader.done ? 'protocol' : null);
        }
        const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
        const tokens = readWholeReply(api, text);
        if (tokens === null) return finish('protocol');
        outcome.outputTokens = tokens;
        finish(null);
      },
      onResponseError(_controller, err) {
        finish(classifyError(err, options.signal));
      },
    });
  });
}

export function classifyError(err: unknown, signal: AbortSignal): ErrorKind {
  if (signal.aborted) return 'cancelled';
  const code = (err as { code?: string } | null)?.code ?? '';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'ETIMEDOUT') return 'timeout';
  if (code === 'UND_ERR_INVALID_ARG' || code === 'HPE_INVALID_CONSTANT' || code.startsWith('HPE_')) return 'protocol';
  return 'connection';
}
