import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  OpenAIChatRequest,
  OpenAIChatResponse,
  OpenAICompletionRequest,
  OpenAICompletionResponse,
  OpenAIErrorBody,
  OpenAIModelList,
} from '../../../shared/protocol/openai';
import { clientModelNames } from '../model-names';
import { openAIErrorBody } from '../error-shapes';
import { requestContext } from '../request-context';
import { sendFrames, setServedByHeaders } from '../send-result';
import { chatRequestFromOpenAI, completionRequestFromOpenAI, wantsStreamUsage } from '../translate/openai-request';
import { chatResponseToOpenAI, completionResponseToOpenAI, openAIStreamFrames } from '../translate/openai-response';

const errorResponses = { 400: OpenAIErrorBody, 401: OpenAIErrorBody, 404: OpenAIErrorBody, 429: OpenAIErrorBody, '5xx': OpenAIErrorBody };

/** The OpenAI-compatible door: `/v1/chat/completions`, `/v1/completions` (with `suffix`), `/v1/models`. */
export const openAIRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { gateway } = app.switchyard;

  app.post('/v1/chat/completions', { schema: { body: OpenAIChatRequest, response: { 200: OpenAIChatResponse, ...errorResponses } } }, async (request, reply) => {
    const gatewayRequest = chatRequestFromOpenAI(request.body);
    const result = await gateway.handle(gatewayRequest, requestContext(request, reply, 'openai'));
    setServedByHeaders(reply, result.servedBy);
    if (result.type === 'response') return chatResponseToOpenAI(result.response);
    return sendFrames(reply, 'text/event-stream; charset=utf-8', openAIStreamFrames(result.events, streamOptions('chat', result.servedBy.model, request.body)));
  });

  app.post('/v1/completions', { schema: { body: OpenAICompletionRequest, response: { 200: OpenAICompletionResponse, ...errorResponses } } }, async (request, reply) => {
    const gatewayRequest = completionRequestFromOpenAI(request.body);
    const result = await gateway.handle(gatewayRequest, requestContext(request, reply, 'openai'));
    setServedByHeaders(reply, result.servedBy);
    if (result.type === 'response') return completionResponseToOpenAI(result.response);
    return sendFrames(reply, 'text/event-stream; charset=utf-8', openAIStreamFrames(result.events, streamOptions('completion', result.servedBy.model, request.body)));
  });

  app.get('/v1/models', { schema: { response: { 200: OpenAIModelList } } }, async () => {
    const { registry, aliases } = app.switchyard;
    await registry.refreshModels(AbortSignal.timeout(2_000));
    const created = Math.floor(Date.now() / 1000);
    const data = clientModelNames(registry, aliases, app.switchyard.router.routeNames()).map(({ name, provider }) => ({ id: name, object: 'model' as const, created, owned_by: provider }));
    return { object: 'list' as const, data };
  });
};

function streamOptions(kind: 'chat' | 'completion', model: string, body: { stream_options?: { include_usage?: boolean } | null }) {
  return { kind, model, includeUsage: wantsStreamUsage(body), errorBody: openAIErrorBody };
}
