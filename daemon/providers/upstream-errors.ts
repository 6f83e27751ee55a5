/**
 * The one place where an upstream failure becomes a GatewayError: HTTP statuses, transport
 * errors from undici and Node's sockets, and bodies that are not the protocol. The router
 * relies on this classification to decide retry and fallback (never on the caller's own 4xx).
 */
import { GatewayError, isGatewayError } from '../core/errors';

type HeaderValue = string | string[] | undefined;

/** `Retry-After` as delay-seconds or an HTTP date, or OpenAI's `retry-after-ms`; undefined when absent or unreadable. */
export function parseRetryAfter(headers: Record<string, HeaderValue>, now = Date.now()): number | undefined {
  const ms = first(headers['retry-after-ms']);
  if (ms !== undefined) {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return Math.round(value);
  }
  const raw = first(headers['retry-after']);
  if (raw === undefined || raw.length === 0) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return seconds >= 0 ? Math.round(seconds * 1000) : undefined;
  const date = Date.parse(raw);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

function first(value: HeaderValue): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

const MAX_MESSAGE_CHARS = 500;

/**
 * The human message in an upstream error body. Shapes, as each provider documents them:
 * OpenAI-compatible and llama.cpp `{"error": {"message": ...}}`, Anthropic
 * `{"type": "error", "error": {"type": ..., "message": ...}}`, Ollama `{"error": "..."}`,
 * FastAPI-based servers (vLLM validation) `{"detail": ...}`. Anything else: the raw text, cut short.
 */
export function extractUpstreamMessage(bodyText: string): string {
  const text = bodyText.trim();
  if (text.length === 0) return '';
  if (text.charCodeAt(0) === 123 /* { */) {
    try {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      const message = messageOf(parsed.error) ?? messageOf(parsed) ?? detailOf(parsed.detail);
      if (message !== undefined) return clip(message);
    } catch {
      // not JSON after all: fall through to the raw text
    }
  }
  return clip(text);
}

function messageOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') {
    const message = (value as { message?: unknown }).message;
    if (typeof message === 'string') return message;
  }
  return undefined;
}

function detailOf(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** At most `max` characters of an upstream text for a message, marked with `…` when cut. */
export function clip(text: string, max = MAX_MESSAGE_CHARS): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Maps an upstream HTTP error status (and its body's message) to a GatewayError. */
export function errorFromStatus(provider: string, status: number, message: string, headers: Record<string, HeaderValue> = {}): GatewayError {
  const detail = message.length > 0 ? `: ${message}` : '';
  const details = { provider, upstreamStatus: status };
  if (status === 429) {
    return new GatewayError('upstreamRateLimited', `${provider} is rate limiting requests (429)${detail}`, {
      retryable: true,
      retryAfterMs: parseRetryAfter(headers),
      details,
    });
  }
  if (status === 408) {
    return new GatewayError('upstreamTimeout', `${provider} timed out (408)${detail}`, { retryable: true, details });
  }
  if (status >= 400 && status < 500) {
    // The request itself is wrong for this provider (bad parameter, unknown model, bad key): the same
    // request will fail again, so it is neither retried nor sent elsewhere.
    return new GatewayError('upstreamRejected', `${provider} rejected the request (${status})${detail}`, {
      status,
      retryable: false,
      details,
    });
  }
  if (status === 503 || status === 504 || status === 529) {
    // 529 is Anthropic's "overloaded". A 503 may say when to come back, as a 429 does.
    return new GatewayError('upstreamUnavailable', `${provider} is unavailable (${status})${detail}`, {
      retryable: true,
      retryAfterMs: parseRetryAfter(headers),
      details,
    });
  }
  return new GatewayError('upstreamError', `${provider} failed (${status})${detail}`, { retryable: true, details });
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
]);

const PROTOCOL_CODES = new Set(['UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'UND_ERR_RES_EXCEEDED_MAX_SIZE', 'UND_ERR_HEADERS_OVERFLOW']);

/** A body (or part of one) that is not the provider's protocol. */
export function protocolError(provider: string, what: string, cause?: unknown): GatewayError {
  return new GatewayError('upstreamProtocol', `${provider} sent a response that is not its protocol: ${what}`, {
    retryable: true,
    details: { provider },
    cause,
  });
}

/**
 * Maps anything thrown while talking to a provider (undici and socket errors, parser errors) to a
 * GatewayError. GatewayErrors pass through. The caller handles aborts before calling this.
 */
export function errorFromTransport(provider: string, error: unknown): GatewayError {
  if (isGatewayError(error)) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const reason = error instanceof Error ? error.message : String(error);
  const details = { provider, cause: typeof code === 'string' ? code : undefined };
  if (code === 'UND_ERR_HEADERS_TIMEOUT') {
    return new GatewayError('upstreamTimeout', `${provider} sent no response headers in time`, { retryable: true, details, cause: error });
  }
  if (code === 'UND_ERR_BODY_TIMEOUT') {
    return new GatewayError('upstreamTimeout', `${provider} went silent in the middle of its response`, { retryable: true, details, cause: error });
  }
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) {
    return new GatewayError('upstreamUnavailable', `${provider} is unreachable or dropped the connection (${code}: ${reason})`, {
      retryable: true,
      details,
      cause: error,
    });
  }
  if (error instanceof SyntaxError || (typeof code === 'string' && (code.startsWith('HPE_') || PROTOCOL_CODES.has(code)))) {
    return protocolError(provider, reason, error);
  }
  return new GatewayError('upstreamError', `${provider} failed: ${reason}`, { retryable: true, details, cause: error });
}

/** The same error, marked not retryable: output already reached the caller, so a retry would repeat it. */
export function afterOutput(error: GatewayError): GatewayError {
  if (!error.retryable) return error;
  return new GatewayError(error.code, error.message, {
    status: error.status,
    retryable: false,
    retryAfterMs: error.retryAfterMs,
    param: error.param,
    details: { ...error.details, afterOutput: true },
    cause: error.cause,
  });
}
