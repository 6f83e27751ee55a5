import type { ErrorCode, GatewayError } from '../core/errors';

/**
 * The snake_case `code` the OpenAI door gives for each gateway error. Where OpenAI has a code
 * for the same situation its own is used (`model_not_found`, `invalid_api_key`,
 * `insufficient_quota`, `rate_limit_exceeded`, `context_length_exceeded`); the gateway's own
 * situations (an upstream that failed, a deadline) get codes in the same style. The README's
 * error table lists them all.
 */
const OPENAI_CODES: Record<ErrorCode, string> = {
  invalidRequest: 'invalid_value',
  unknownModel: 'model_not_found',
  unsupported: 'unsupported_value',
  unauthorized: 'invalid_api_key',
  forbiddenOrigin: 'forbidden_origin',
  bodyTooLarge: 'request_too_large',
  budgetExceeded: 'insufficient_quota',
  upstreamRejected: 'upstream_rejected',
  upstreamRateLimited: 'rate_limit_exceeded',
  upstreamError: 'upstream_error',
  upstreamUnavailable: 'upstream_unavailable',
  upstreamProtocol: 'upstream_protocol_error',
  upstreamTimeout: 'upstream_timeout',
  deadlineExceeded: 'deadline_exceeded',
  noCandidates: 'no_provider_available',
  internal: 'server_error',
};

/** The finer codes a door-made request error may carry (see `RequestError`). */
export type RequestErrorCode = 'missing_required_parameter' | 'invalid_type' | 'invalid_value' | 'invalid_json' | 'unsupported_media_type' | 'unknown_url';

/** Upstream messages that say the prompt does not fit the model's context (OpenAI, llama.cpp, vLLM, Ollama wording). */
const CONTEXT_LENGTH = /context[ _](length|size|window)|maximum context|too many tokens|exceeds? the (available )?context/i;

/** The OpenAI `code` for an error: the request error's own, the upstream's situation when it is recognisable, else the table's. */
export function openAICode(error: GatewayError & { wireCode?: string }): string {
  if (error.wireCode !== undefined) return error.wireCode;
  if (error.code === 'upstreamRejected') {
    if (error.status === 404) return 'model_not_found';
    if (CONTEXT_LENGTH.test(error.message)) return 'context_length_exceeded';
  }
  return OPENAI_CODES[error.code];
}

/** The OpenAI `type`: the registry's, except that a failure of the gateway itself is OpenAI's `server_error`. */
export function openAIType(error: GatewayError): string {
  return error.code === 'internal' ? 'server_error' : error.type;
}
