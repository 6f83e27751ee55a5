/**
 * The one registry of gateway errors. Each error has a code, an HTTP status and an
 * OpenAI error `type`; the doors map a GatewayError to their own shape in one place
 * (`daemon/http/error-shapes.ts`), never ad hoc.
 */

export const ErrorCodes = {
  invalidRequest: { status: 400, type: 'invalid_request_error' },
  unknownModel: { status: 404, type: 'invalid_request_error' },
  unsupported: { status: 400, type: 'invalid_request_error' },
  unauthorized: { status: 401, type: 'authentication_error' },
  forbiddenOrigin: { status: 403, type: 'permission_error' },
  bodyTooLarge: { status: 413, type: 'invalid_request_error' },
  budgetExceeded: { status: 429, type: 'insufficient_quota' },
  /** The upstream answered with a 4xx that is the caller's fault (bad parameters, unknown model upstream). */
  upstreamRejected: { status: 400, type: 'invalid_request_error' },
  upstreamRateLimited: { status: 429, type: 'rate_limit_error' },
  upstreamError: { status: 502, type: 'api_error' },
  upstreamUnavailable: { status: 503, type: 'api_error' },
  upstreamProtocol: { status: 502, type: 'api_error' },
  upstreamTimeout: { status: 504, type: 'timeout_error' },
  deadlineExceeded: { status: 504, type: 'timeout_error' },
  noCandidates: { status: 503, type: 'api_error' },
  internal: { status: 500, type: 'api_error' },
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

export interface GatewayErrorOptions {
  /** Overrides the code's default status (an upstream 4xx is passed on with its own status). */
  status?: number;
  /** Whether trying again (the same or another candidate) may succeed. */
  retryable?: boolean;
  /** From an upstream `Retry-After`. */
  retryAfterMs?: number;
  /** The OpenAI `param` field: which request field was wrong. */
  param?: string;
  /** Structured details shown to the client (attempts tried, budget figures). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly type: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly param?: string;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.status = options.status ?? ErrorCodes[code].status;
    this.type = ErrorCodes[code].type;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.param = options.param;
    this.details = options.details;
  }
}

export function isGatewayError(error: unknown): error is GatewayError {
  return error instanceof GatewayError;
}

/** True when the error is the caller cancelling (client disconnect or abort), which is never reported as an error. */
export function isAbortError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return error.name === 'AbortError' || (error as { code?: string }).code === 'UND_ERR_ABORTED' || (error as { code?: string }).code === 'ABORT_ERR';
}
