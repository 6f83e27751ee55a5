import { anthropicMessagesRoute } from './protocols/anthropic-messages';
import { anthropicModelList, anthropicProtocol } from './protocols/anthropic-protocol';
import { llamacppApplyTemplateRoute, llamacppCompletionRoute, llamacppHealthRoute, llamacppInfillRoute } from './protocols/llamacpp';
import { ollamaChatRoute } from './protocols/ollama-chat';
import { ollamaGenerateRoute } from './protocols/ollama-generate';
import { ollamaPsRoute, ollamaRootRoute, ollamaShowRoute, ollamaTagsRoute, ollamaVersionRoute } from './protocols/ollama-protocol';
import { openaiChatRoute } from './protocols/openai-chat';
import { openaiCompletionsRoute } from './protocols/openai-completions';
import { openaiModelList, openaiProtocol } from './protocols/openai-protocol';
import { WireReply, type GenerationRoute, type StaticRoute } from './protocols/types';

/**
 * Every route of the four protocols on one port, as each server names them. Where two
 * protocols share a path (`/v1/models`), the request's headers say which one is asked.
 */

export type RouteEntry =
  | { readonly kind: 'generation'; readonly route: GenerationRoute }
  | { readonly kind: 'static'; readonly route: StaticRoute };

const isAnthropic = (headers: Record<string, unknown>) => headers['anthropic-version'] !== undefined;

/** `GET /v1/models`: OpenAI's list (also llama.cpp's), or Anthropic's when `anthropic-version` is sent. */
const modelsRoute: StaticRoute = {
  name: 'openai.models',
  protocolFor: (headers) => (isAnthropic(headers) ? anthropicProtocol : openaiProtocol),
  respond: (headers, context, path) => (isAnthropic(headers) ? anthropicModelList(context, path) : openaiModelList(context, path)),
};

const generation = (route: GenerationRoute): RouteEntry => ({ kind: 'generation', route });
const fixed = (route: StaticRoute): RouteEntry => ({ kind: 'static', route });

const TABLE = new Map<string, RouteEntry>([
  ['POST /v1/chat/completions', generation(openaiChatRoute)],
  ['POST /v1/completions', generation(openaiCompletionsRoute)],
  ['GET /v1/models', fixed(modelsRoute)],
  ['POST /v1/messages', generation(anthropicMessagesRoute)],
  ['POST /api/chat', generation(ollamaChatRoute)],
  ['POST /api/generate', generation(ollamaGenerateRoute)],
  ['GET /api/tags', fixed(ollamaTagsRoute)],
  ['POST /api/show', fixed(ollamaShowRoute)],
  ['GET /api/ps', fixed(ollamaPsRoute)],
  ['GET /api/version', fixed(ollamaVersionRoute)],
  ['GET /', fixed(ollamaRootRoute)],
  ['HEAD /', fixed(ollamaRootRoute)],
  ['POST /completion', generation(llamacppCompletionRoute)],
  ['POST /infill', generation(llamacppInfillRoute)],
  ['GET /health', fixed(llamacppHealthRoute)],
  ['POST /apply-template', fixed(llamacppApplyTemplateRoute)],
]);

export function findRoute(method: string, path: string): RouteEntry | undefined {
  const entry = TABLE.get(method + ' ' + path);
  if (entry !== undefined) return entry;
  if (method === 'GET' && path.startsWith('/v1/models/')) return TABLE.get('GET /v1/models');
  return undefined;
}

/** Unknown paths: Go's plain 404 under `/api` (Ollama), OpenAI's error object elsewhere. */
export function notFound(method: string, path: string): WireReply {
  if (path.startsWith('/api/')) return new WireReply(404, '404 page not found', 'text/plain; charset=utf-8');
  return openaiProtocol.error(404, `Invalid URL (${method} ${path})`);
}
