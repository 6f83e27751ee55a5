import { bearerToken } from './input';
import { WireReply, type Protocol, type RouteContext } from './types';

/** Anthropic's API: errors are `{"type":"error","error":{"type","message"},"request_id"}`. */

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  503: 'overloaded_error',
  529: 'overloaded_error',
};

export function anthropicErrorBody(status: number, message: string): string {
  const type = ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
  return JSON.stringify({ type: 'error', error: { type, message }, request_id: `req_sim${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}` });
}

export const anthropicProtocol: Protocol = {
  name: 'anthropic',
  error(status, message) {
    return new WireReply(status, anthropicErrorBody(status, message));
  },
  hasKey(headers, apiKey) {
    return headers['x-api-key'] === apiKey || bearerToken(headers.authorization) === apiKey;
  },
};

/** `GET /v1/models` (and `/v1/models/{id}`) in Anthropic's shape. */
export function anthropicModelList(context: RouteContext, path: string): WireReply {
  const entry = (id: string) => ({ type: 'model', id, display_name: id, created_at: '2026-01-01T00:00:00Z' });
  const id = path.startsWith('/v1/models/') ? decodeURIComponent(path.slice('/v1/models/'.length)) : undefined;
  if (id !== undefined) {
    return context.models.includes(id) ? new WireReply(200, JSON.stringify(entry(id))) : anthropicProtocol.error(404, `model: ${id}`);
  }
  const data = context.models.map(entry);
  return new WireReply(200, JSON.stringify({ data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null }));
}
