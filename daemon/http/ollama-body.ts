import type { FastifyInstance } from 'fastify';

/**
 * Ollama reads a request body as JSON whatever its Content-Type says, and its API reference
 * shows `curl http://localhost:11434/api/chat -d '{...}'`, which curl sends as a form. Inside
 * an Ollama plugin's scope, a body of any other type (or none named) is parsed as JSON by
 * Fastify's own parser, prototype-poisoning checks included. The OpenAI door stays strict.
 */
export function acceptJsonOfAnyContentType(app: FastifyInstance): void {
  app.addContentTypeParser('*', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));
}
