/**
 * The `openai` kind: OpenAI and every server that speaks its API (LM Studio, vLLM, OpenRouter,
 * llama.cpp's OpenAI routes). Chat → `POST {baseUrl}/chat/completions`, completion (with
 * `suffix` for fill-in-the-middle) → `POST {baseUrl}/completions`, models → `GET {baseUrl}/models`.
 * A completion that wants the model's template (Ollama `/api/generate` without `raw`) goes to the
 * chat route, where the server applies it.
 */
import type { ByteProtocol, ByteStream } from '../core/byte-stream';
import type { CancelSignal } from '../core/cancellation';
import type { GatewayRequest, GatewayResponse, ModelInfo, StreamEvent } from '../../shared/gateway';
import { HttpProvider, nowSeconds } from './http-provider';
import { asNumber, asString } from './json-payload';
import type { ProviderCall, ProviderSettings } from '../core/provider';
import { OpenAIByteStream } from './openai-bytes';
import { openAIStreamEvents } from './openai-stream';
import { chatBody, completionBody, dialectOf, firstChoice, modelsOf, usageFields, type OpenAIDialect } from './openai-translate';
import { asChatRequest, wantsTemplate } from './templated-prompt';

export class OpenAIProvider extends HttpProvider {
  protected readonly dialect: OpenAIDialect;
  private readonly chatPath: string;
  private readonly completionsPath: string;
  protected readonly modelsPath: string;

  /** `apiPrefix` is appended to the base URL's path (llama.cpp's OpenAI routes live under `/v1` of its origin). */
  constructor(settings: ProviderSettings, apiPrefix = '') {
    super(settings, settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {});
    this.dialect = dialectOf(this.origin);
    const base = this.basePath + apiPrefix;
    this.chatPath = `${base}/chat/completions`;
    this.completionsPath = `${base}/completions`;
    this.modelsPath = `${base}/models`;
  }

  async complete(call: ProviderCall): Promise<GatewayResponse> {
    const request = wantsTemplate(call.request) ? asChatRequest(call.request) : call.request;
    const kind = request.kind;
    const body = kind === 'chat' ? chatBody(request, call.model, false, this.dialect) : completionBody(request, call.model, false, this.dialect);
    const json = await this.requestJson('POST', kind === 'chat' ? this.chatPath : this.completionsPath, body, call.signal);
    const choice = firstChoice(this.settings.name, json, kind);
    const usage = usageFields(json);
    return {
      id: asString(json.id) ?? this.nextId(kind === 'chat' ? 'chatcmpl' : 'cmpl'),
      model: asString(json.model) ?? call.model,
      created: asNumber(json.created) ?? nowSeconds(),
      text: choice.text,
      toolCalls: choice.toolCalls,
      finishReason: choice.finishReason,
      usage: this.usageOf(usage.prompt, usage.completion, call.request, choice.text),
    };
  }

  async stream(call: ProviderCall): Promise<AsyncIterable<StreamEvent>> {
    const request = wantsTemplate(call.request) ? asChatRequest(call.request) : call.request;
    const kind = request.kind;
    const response = await this.sendStreamed(request, call);
    return this.guardStream(response.body, call.signal, openAIStreamEvents(this.settings.name, response.body, kind));
  }

  /**
   * Only the `openai` kind: servers of other kinds that reuse this adapter (llama.cpp) put
   * events of their own in the stream, which the event path translates.
   */
  canForward(request: GatewayRequest, protocol: ByteProtocol): boolean {
    return this.settings.kind === 'openai' && !wantsTemplate(request) && protocol === (request.kind === 'chat' ? 'openai-chat' : 'openai-completion');
  }

  async forward(call: ProviderCall, protocol: ByteProtocol): Promise<ByteStream> {
    const response = await this.sendStreamed(call.request, call);
    const stream = new OpenAIByteStream(protocol, this.settings.name, response.body, call.signal, (error) => this.mapError(error, call.signal));
    call.acceptor?.accepted(stream);
    return stream.ready;
  }

  private sendStreamed(request: GatewayRequest, call: ProviderCall) {
    const chat = request.kind === 'chat';
    const body = chat ? chatBody(request, call.model, true, this.dialect) : completionBody(request, call.model, true, this.dialect);
    return this.send('POST', chat ? this.chatPath : this.completionsPath, body, call.signal);
  }

  async listModels(signal: CancelSignal): Promise<ModelInfo[]> {
    return modelsOf(this.settings.name, await this.requestJson('GET', this.modelsPath, undefined, signal));
  }

  probe(signal: CancelSignal): Promise<void> {
    return this.probePath(this.modelsPath, signal);
  }
}
