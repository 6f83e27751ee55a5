import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { OllamaChatRequest, OllamaErrorBody, OllamaGenerateRequest, OllamaTagList } from '../../../shared/protocol/ollama';
import { clientModelNames } from '../model-names';
import { ollamaErrorBody } from '../error-shapes';
import { requestContext } from '../request-context';
import { sendFrames, setServedByHeaders } from '../send-result';
import { chatRequestFromOllama, generateRequestFromOllama } from '../translate/ollama-request';
import { chatResponseToOllama, generateResponseToOllama, ollamaStreamLines } from '../translate/ollama-response';

const errorResponses = { 200: Type.Unknown(), 400: OllamaErrorBody, 401: OllamaErrorBody, 404: OllamaErrorBody, 429: OllamaErrorBody, '5xx': OllamaErrorBody };
const NDJSON = 'application/x-ndjson';

/** The Ollama-compatible door: `/api/chat`, `/api/generate` (with `suffix`), `/api/tags`, `/api/version`. */
export const ollamaRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { gateway } = app.switchyard;

  app.post('/api/chat', { schema: { body: OllamaChatRequest, response: errorResponses } }, async (request, reply) => {
    const context = requestContext(request, reply, 'ollama');
    const result = await gateway.handle(chatRequestFromOllama(request.body), context);
    setServedByHeaders(reply, result.servedBy);
    if (result.type === 'response') return chatResponseToOllama(result.response, request.body.model, context.receivedAt);
    return sendFrames(reply, NDJSON, ollamaStreamLines(result.events, { kind: 'chat', model: request.body.model, startedAt: context.receivedAt, errorBody: ollamaErrorBody }));
  });

  app.post('/api/generate', { schema: { body: OllamaGenerateRequest, response: errorResponses } }, async (request, reply) => {
    // Ollama answers an empty prompt by loading the model; there is nothing to load here.
    if (!request.body.prompt && !request.body.suffix) {
      return { model: request.body.model, created_at: new Date().toISOString(), response: '', done: true, done_reason: 'load' };
    }
    const context = requestContext(request, reply, 'ollama');
    const result = await gateway.handle(generateRequestFromOllama(request.body), context);
    setServedByHeaders(reply, result.servedBy);
    if (result.type === 'response') return generateResponseToOllama(result.response, request.body.model, context.receivedAt);
    return sendFrames(reply, NDJSON, ollamaStreamLines(result.events, { kind: 'generate', model: request.body.model, startedAt: context.receivedAt, errorBody: ollamaErrorBody }));
  });

  app.get('/api/tags', { schema: { response: { 200: OllamaTagList } } }, async () => {
    const { registry, aliases } = app.switchyard;
    await registry.refreshModels(AbortSignal.timeout(2_000));
    const modifiedAt = new Date().toISOString();
    return {
      models: clientModelNames(registry, aliases, app.switchyard.router.routeNames()).map(({ name }) => ({
        name,
        model: name,
        modified_at: modifiedAt,
        size: 0,
        digest: '',
        details: { format: '', family: '', families: null, parameter_size: '', quantization_level: '' },
      })),
    };
  });

  app.get('/api/version', async () => ({ version: `0.0.0-switchyard-${app.switchyard.version}` }));
};
