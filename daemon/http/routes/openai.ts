import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import type { GatewayRequest, GatewayResponse, StreamEvent } from '../../../shared/gateway';
import {
  OpenAIChatRequest,
  OpenAIChatResponse,
  OpenAICompletionRequest,
  OpenAICompletionResponse,
  OpenAIErrorBody,
  OpenAIModel,
  OpenAIModelList,
} from '../../../shared/protocol/openai';
import { GatewayError } from '../../core/errors';
import { estimateRequestTokens } from '../../core/token-estimate';
import { clientModelNames } from '../model-names';
import type { GatewayResult, RequestContext } from '../../core/pipeline';
import { resultWithin, sendEarlyStream } from '../early-stream';
import { openAIErrorBody } from '../error-shapes';
import { requestContext } from '../request-context';
import { sendBytes } from '../byte-writer';
import { sendFrames, setServedByHeaders } from '../send-result';
import { chatRequestFromOpenAI, completionRequestFromOpenAI, wantsStreamUsage } from '../translate/openai-request';
import { openAIByteEdit } from '../translate/openai-forward';
import { chatResponseToOpenAI, completionResponseToOpenAI, openAIStreamFrames } from '../translate/openai-response';

const errorResponses = { 400: OpenAIErrorBody, 401: OpenAIErrorBody, 404: OpenAIErrorBody, 429: OpenAIErrorBody, '5xx': OpenAIErrorBody };
const SSE = 'text/event-stream; charset=utf-8';

export interface OpenAIRoutesOptions {
  /** See `early-stream.ts`: how long a stream waits for its first token before its headers go. */
  streamHeadersAfterMs: number;
}

type Kind = 'chat' | 'completion';

/** The OpenAI-compatible door: `/v1/chat/completions`, `/v1/completions` (with `suffix`), `/v1/models`, `/v1/models/{model}`. */
export const openAIRoutes: FastifyPluginAsyncTypebox<OpenAIRoutesOptions> = async (app, { streamHeadersAfterMs }) => {
  const { gateway } = app.switchyard;
  // A model's `created` is stable for the daemon's life: the gateway knows no real creation date.
  const listedAt = Math.floor(Date.now() / 1000);

  /** Runs one request through the gateway and answers in OpenAI's shape: a JSON body, or SSE. */
  async function serve<T>(kind: Kind, gatewayRequest: GatewayRequest, context: RequestContext, includeUsage: boolean, reply: FastifyReply, whole: (response: GatewayResponse) => T) {
    // An OpenAI-compatible upstream's stream is already this door's protocol: its bytes go on as they came.
    if (gatewayRequest.stream) context.forward = kind === 'chat' ? 'openai-chat' : 'openai-completion';
    const pending = gateway.handle(gatewayRequest, context);
    const estimatePromptTokens = () => estimateRequestTokens(gatewayRequest);
    const render = (events: AsyncIterable<StreamEvent>, served: GatewayResult) =>
      openAIStreamFrames(events, { kind, model: served.servedBy.model, includeUsage, estimatePromptTokens, errorBody: openAIErrorBody });
    const result = gatewayRequest.stream ? await resultWithin(pending, streamHeadersAfterMs) : await pending;
    if (result === undefined) {
      return sendEarlyStream(reply, pending, {
        contentType: SSE,
        heartbeat: ': waiting for the first token\n\n',
        render,
        errorFrame: (error) => `data: ${JSON.stringify(openAIErrorBody(error))}\n\n`,
      });
    }
    setServedByHeaders(reply, result.servedBy);
    if (result.type === 'response') return whole(result.response);
    if (result.type === 'bytes') {
      const edit = openAIByteEdit(result.bytes, { includeUsage, estimatePromptTokens, errorBody: openAIErrorBody });
      return sendBytes(reply, SSE, result.bytes, edit);
    }
    return sendFrames(reply, SSE, render(result.events, result));
  }

  app.post('/v1/chat/completions', { schema: { body: OpenAIChatRequest, response: { 200: OpenAIChatResponse, ...errorResponses } } }, async (request, reply) =>
    serve('chat', chatRequestFromOpenAI(request.body), requestContext(request, reply, 'openai'), wantsStreamUsage(request.body), reply, chatResponseToOpenAI),
  );

  app.post('/v1/completions', { schema: { body: OpenAICompletionRequest, response: { 200: OpenAICompletionResponse, ...errorResponses } } }, async (request, reply) =>
    serve('completion', completionRequestFromOpenAI(request.body), requestContext(request, reply, 'openai'), wantsStreamUsage(request.body), reply, completionResponseToOpenAI),
  );

  /** The models a client may name, each as OpenAI's model object; routes and aliases are owned by `switchyard`. */
  async function listedModels(): Promise<OpenAIModel[]> {
    const { registry, aliases } = app.switchyard;
    await registry.refreshModels(AbortSignal.timeout(2_000));
    return clientModelNames(registry, aliases, app.switchyard.router.routeNames()).map(({ name, provider }) => ({ id: name, object: 'model' as const, created: listedAt, owned_by: provider }));
  }

  app.get('/v1/models', { schema: { response: { 200: OpenAIModelList } } }, async () => ({ object: 'list' as const, data: await listedModels() }));

  // A model id may hold slashes (`provider/model`, `library/name:tag`): the wildcard takes the rest of the path.
  app.get<{ Params: { '*': string } }>('/v1/models/*', { schema: { response: { 200: OpenAIModel, ...errorResponses } } }, async (request) => {
    const id = decodeURIComponent(request.params['*']);
    const model = (await listedModels()).find((m) => m.id === id);
    if (model === undefined) throw new GatewayError('unknownModel', `The model '${id}' does not exist: GET /v1/models lists the models you can use.`, { param: 'model' });
    return model;
  });
};
