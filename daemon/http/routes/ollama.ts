import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { GatewayRequest, StreamEvent } from '../../../shared/gateway';
import { OllamaChatRequest, OllamaErrorBody, OllamaGenerateRequest } from '../../../shared/protocol/ollama';
import { streamEvents, type GatewayResult, type RequestContext } from '../../core/pipeline';
import { resultWithin, sendEarlyStream } from '../early-stream';
import { ollamaErrorBody } from '../error-shapes';
import { lookUpModel } from '../model-lookup';
import { requestContext } from '../request-context';
import { sendFrames, setServedByHeaders } from '../send-result';
import { chatRequestFromOllama, generateRequestFromOllama } from '../translate/ollama-request';
import { chatResponseToOllama, generateResponseToOllama, ollamaStreamLines } from '../translate/ollama-response';
import { acceptJsonOfAnyContentType } from '../ollama-body';

const errorResponses = { 200: Type.Unknown(), 400: OllamaErrorBody, 401: OllamaErrorBody, 404: OllamaErrorBody, 429: OllamaErrorBody, '5xx': OllamaErrorBody };
const NDJSON = 'application/x-ndjson';

export interface OllamaRoutesOptions {
  /** See `early-stream.ts`: how long a stream waits for its first token before its headers go. */
  streamHeadersAfterMs: number;
}

type Kind = 'chat' | 'generate';

/** Ollama's `keep_alive: 0` (or `"0"`, `"0s"`…): unload now. */
function unloads(keepAlive: string | number | undefined): boolean {
  return keepAlive === 0 || (typeof keepAlive === 'string' && /^0+[a-z]*$/i.test(keepAlive.trim()));
}

/** The Ollama-compatible door's generation routes: `/api/chat`, `/api/generate` (with `suffix`). */
export const ollamaRoutes: FastifyPluginAsyncTypebox<OllamaRoutesOptions> = async (app, { streamHeadersAfterMs }) => {
  acceptJsonOfAnyContentType(app);
  const { gateway, registry, router, aliases } = app.switchyard;

  async function serve(kind: Kind, model: string, gatewayRequest: GatewayRequest, context: RequestContext, reply: FastifyReply) {
    const pending = gateway.handle(gatewayRequest, context);
    const render = (events: AsyncIterable<StreamEvent>, served: GatewayResult) =>
      ollamaStreamLines(events, { kind, model, startedAt: context.receivedAt, upstreamTimings: served.servedBy.cache !== 'HIT', errorBody: ollamaErrorBody });
    const result = gatewayRequest.stream ? await resultWithin(pending, streamHeadersAfterMs) : await pending;
    if (result === undefined) {
      return sendEarlyStream(reply, pending, { contentType: NDJSON, render, errorFrame: (error) => `${JSON.stringify(ollamaErrorBody(error))}\n` });
    }
    setServedByHeaders(reply, result.servedBy);
    if (result.type !== 'response') return sendFrames(reply, NDJSON, render(streamEvents(result), result));
    const source = { startedAt: context.receivedAt, timings: result.servedBy.cache === 'HIT' ? undefined : result.response.timings };
    return kind === 'chat' ? chatResponseToOllama(result.response, model, source) : generateResponseToOllama(result.response, model, source);
  }

  /**
   * Ollama's "load a model" call (no messages, no prompt; `keep_alive: 0` unloads instead): passed
   * to an upstream Ollama, which loads it; any other provider has nothing to load, so the
   * reply only confirms that the model exists.
   */
  async function load(kind: Kind, model: string, keepAlive: string | number | undefined, context: RequestContext) {
    const target = lookUpModel(model, { registry, router, aliases });
    if (target.provider.loadModel !== undefined) await target.provider.loadModel(target.model, keepAlive, context.signal);
    const reply = kind === 'chat' ? { message: { role: 'assistant', content: '' } } : { response: '' };
    return { model, created_at: new Date().toISOString(), ...reply, done_reason: unloads(keepAlive) ? 'unload' : 'load', done: true };
  }

  app.post('/api/chat', { schema: { body: OllamaChatRequest, response: errorResponses } }, async (request, reply) => {
    const context = requestContext(request, reply, 'ollama');
    if (request.body.messages === undefined || request.body.messages.length === 0) return load('chat', request.body.model, request.body.keep_alive, context);
    return serve('chat', request.body.model, chatRequestFromOllama(request.body), context, reply);
  });

  app.post('/api/generate', { schema: { body: OllamaGenerateRequest, response: errorResponses } }, async (request, reply) => {
    const context = requestContext(request, reply, 'ollama');
    if (!request.body.prompt && !request.body.suffix) return load('generate', request.body.model, request.body.keep_alive, context);
    return serve('generate', request.body.model, generateRequestFromOllama(request.body), context, reply);
  });
};
