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
import type { ByteStream } from '../../core/byte-stream';
import { GatewayError, isAbortError } from '../../core/errors';
import { estimateRequestTokens } from '../../core/token-estimate';
import { clientModelNames } from '../model-names';
import type { GatewayResult, RequestContext, ServedBy, StreamAcceptor } from '../../core/pipeline';
import { HEARTBEAT_MS, resultWithin, sendEarlyStream } from '../early-stream';
import { openAIErrorBody } from '../error-shapes';
import { requestContext } from '../request-context';
import { ByteReply } from '../byte-writer';
import { sendFrames, setServedByHeaders } from '../send-result';
import { chatRequestFromOpenAI, completionRequestFromOpenAI, wantsStreamUsage } from '../translate/openai-request';
import { openAIByteEdit } from '../translate/openai-forward';
import { chatResponseToOpenAI, completionResponseToOpenAI, openAIStreamFrames } from '../translate/openai-response';

const errorResponses = { 400: OpenAIErrorBody, 401: OpenAIErrorBody, 404: OpenAIErrorBody, 429: OpenAIErrorBody, '5xx': OpenAIErrorBody };
const SSE = 'text/event-stream; charset=utf-8';
/** The SSE comment of a stream still waiting for its first token (`early-stream.ts`). */
const WAITING = ': waiting for the first token\n\n';

export interface OpenAIRoutesOptions {
  /** See `early-stream.ts`: how long a stream waits for its first token before its headers go. */
  streamHeadersAfterMs: number;
  /**
   * A forwarded stream's headers go when its upstream accepts it, as a proxy's would (the first
   * token then goes out in the read that brought it, with no head to write); false: with its
   * first token, so that a failure before it still gets its own status.
   */
  streamHeadersOnAccept: boolean;
}

type Kind = 'chat' | 'completion';

/**
 * Writes the forwarded streams of one response: started when an upstream accepts the request
 * (`RequestContext.streamAcceptor`), or from the gateway's result (a hedge's winner). An object
 * on the context, not a closure: a closure over the request's state kept there made the
 * collector promote most of every stream's objects (PERFORMANCE.md, "The eighth session").
 */
class OpenAIStreamStart implements StreamAcceptor {
  readonly out: ByteReply;

  constructor(
    private readonly reply: FastifyReply,
    private readonly includeUsage: boolean,
    private readonly estimatePromptTokens: () => number,
    private readonly headOnAccept: boolean,
  ) {
    this.out = new ByteReply(reply, SSE);
  }

  streamAccepted(bytes: ByteStream, servedBy: ServedBy): void {
    setServedByHeaders(this.reply, servedBy);
    if (this.headOnAccept) this.out.sendHead();
    this.pipe(bytes);
  }

  pipe(bytes: ByteStream): void {
    this.out.pipe(bytes, openAIByteEdit(bytes, { includeUsage: this.includeUsage, estimatePromptTokens: this.estimatePromptTokens, errorBody: openAIErrorBody }));
  }
}

/** The OpenAI-compatible door: `/v1/chat/completions`, `/v1/completions` (with `suffix`), `/v1/models`, `/v1/models/{model}`. */
export const openAIRoutes: FastifyPluginAsyncTypebox<OpenAIRoutesOptions> = async (app, { streamHeadersAfterMs, streamHeadersOnAccept }) => {
  const { gateway } = app.switchyard;
  // A model's `created` is stable for the daemon's life: the gateway knows no real creation date.
  const listedAt = Math.floor(Date.now() / 1000);

  /** Runs one request through the gateway and answers in OpenAI's shape: a JSON body, or SSE. */
  async function serve<T>(kind: Kind, gatewayRequest: GatewayRequest, context: RequestContext, includeUsage: boolean, reply: FastifyReply, whole: (response: GatewayResponse) => T) {
    const estimatePromptTokens = () => estimateRequestTokens(gatewayRequest);
    let start: OpenAIStreamStart | undefined;
    if (gatewayRequest.stream) {
      // An OpenAI-compatible upstream's stream is already this door's protocol: its bytes go on as they came,
      // started as soon as the upstream accepts the request.
      context.forward = kind === 'chat' ? 'openai-chat' : 'openai-completion';
      context.streamAcceptor = start = new OpenAIStreamStart(reply, includeUsage, estimatePromptTokens, streamHeadersOnAccept);
    }
    const pending = gateway.handle(gatewayRequest, context);
    const render = (events: AsyncIterable<StreamEvent>, served: GatewayResult) =>
      openAIStreamFrames(events, { kind, model: served.servedBy.model, includeUsage, estimatePromptTokens, errorBody: openAIErrorBody });
    const out = start?.out;
    let result: GatewayResult | undefined;
    try {
      result = out !== undefined ? await resultWithin(pending, streamHeadersAfterMs) : await pending;
      if (result === undefined && out?.hasStream === true) {
        // An upstream accepted the stream and its first token is late: the head goes now if it has not, and a comment says why.
        out.keepAlive(WAITING, HEARTBEAT_MS);
        result = await pending;
      }
    } catch (error) {
      if (out?.headSent !== true) throw error;
      // The head went when an upstream accepted the stream: a failure after that is an error event in it.
      out.endWith(isAbortError(error) ? '' : `data: ${JSON.stringify(openAIErrorBody(error))}\n\n`);
      return reply;
    }
    if (result === undefined) {
      // The early stream renders whatever comes now; no stream is started on acceptance any more.
      context.streamAcceptor = undefined;
      return sendEarlyStream(reply, pending, {
        contentType: SSE,
        heartbeat: WAITING,
        render,
        errorFrame: (error) => `data: ${JSON.stringify(openAIErrorBody(error))}\n\n`,
      });
    }
    setServedByHeaders(reply, result.servedBy);
    if (result.type === 'response') return whole(result.response);
    if (result.type === 'bytes') {
      // Started on acceptance, it is already being written; else (a hedge's winner) it starts now.
      if (!out!.isWriting(result.bytes)) start!.pipe(result.bytes);
      return reply;
    }
    // A fallback whose events are rendered may write on a head that went with an earlier upstream's acceptance.
    out?.stopKeepAlive();
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
