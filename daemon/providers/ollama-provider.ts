/**
 * The `ollama` kind: Ollama's native API. Chat → `POST /api/chat`, completion (with `suffix` for
 * fill-in-the-middle, `system`, `raw`) → `POST /api/generate`, models → `GET /api/tags`.
 * Ollama streams by default, so `stream` is always sent explicitly. Its stream is NDJSON: one
 * object per line, the last with `done: true`, `done_reason` and the token counts.
 */
import type { CancelSignal } from '../core/cancellation';
import type { FinishReason, GatewayRequest, GatewayResponse, ModelInfo, StreamEvent, ToolCall, UpstreamTimings, Usage } from '../../shared/gateway';
import { estimateRequestTokens } from '../core/token-estimate';
import { HttpProvider, nowSeconds } from './http-provider';
import { asNumber, asObject, asString, parsePayload, streamPayloadError, type JsonObject } from './json-payload';
import { readNdjsonLines } from './ndjson-parser';
import { chatBody, finishReasonOf, generateBody, modelsOf, timingsOf, toolCallOf } from './ollama-translate';
import type { ProviderCall, ProviderSettings } from '../core/provider';
import { protocolError } from './upstream-errors';

export class OllamaProvider extends HttpProvider {
  private readonly chatPath: string;
  private readonly generatePath: string;
  private readonly tagsPath: string;
  private readonly showPath: string;
  private readonly psPath: string;

  constructor(settings: ProviderSettings) {
    // Ollama itself has no keys, but Ollama behind an authenticating proxy (or ollama.com) takes a bearer token.
    super(settings, settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {});
    this.chatPath = `${this.basePath}/api/chat`;
    this.generatePath = `${this.basePath}/api/generate`;
    this.tagsPath = `${this.basePath}/api/tags`;
    this.showPath = `${this.basePath}/api/show`;
    this.psPath = `${this.basePath}/api/ps`;
  }

  /** `POST /api/show` of the Ollama behind: its answer as it gave it. */
  showModel(model: string, verbose: boolean, signal: CancelSignal): Promise<JsonObject> {
    return this.requestJson('POST', this.showPath, { model, verbose: verbose || undefined }, signal);
  }

  /** Loads `model` on the Ollama behind (unloads it with `keep_alive: 0`): an `/api/generate` without a prompt. */
  loadModel(model: string, keepAlive: string | number | undefined, signal: CancelSignal): Promise<JsonObject> {
    return this.requestJson('POST', this.generatePath, { model, keep_alive: keepAlive, stream: false }, signal);
  }

  /** `GET /api/ps` of the Ollama behind: the models it has loaded, as it listed them. */
  async runningModels(signal: CancelSignal): Promise<JsonObject[]> {
    const list = (await this.requestJson('GET', this.psPath, undefined, signal)).models;
    if (!Array.isArray(list)) throw protocolError(this.settings.name, 'the running-model list has no models array');
    return list.filter((item): item is JsonObject => asObject(item) !== undefined);
  }

  async complete(call: ProviderCall): Promise<GatewayResponse> {
    const chat = call.request.kind === 'chat';
    const body = chat ? chatBody(call.request, call.model, false) : generateBody(call.request, call.model, false);
    const json = await this.requestJson('POST', chat ? this.chatPath : this.generatePath, body, call.signal);
    if (json.error !== undefined) throw streamPayloadError(this.settings.name, json.error);
    let text: string;
    let toolCalls: ToolCall[] | undefined;
    if (chat) {
      const message = asObject(json.message);
      if (message === undefined) throw protocolError(this.settings.name, 'the chat response has no message');
      text = asString(message.content) ?? '';
      toolCalls = toolCallsOf(message.tool_calls);
    } else {
      const generated = asString(json.response);
      if (generated === undefined) throw protocolError(this.settings.name, 'the generate response has no response text');
      text = generated;
    }
    return {
      id: this.nextId(chat ? 'chatcmpl' : 'cmpl'),
      model: asString(json.model) ?? call.model,
      created: nowSeconds(),
      text,
      toolCalls,
      finishReason: finishReasonOf(json.done_reason, toolCalls !== undefined),
      usage: this.usageOf(asNumber(json.prompt_eval_count), asNumber(json.eval_count), call.request, text),
      timings: timingsOf(json),
    };
  }

  async stream(call: ProviderCall): Promise<AsyncIterable<StreamEvent>> {
    const chat = call.request.kind === 'chat';
    const body = chat ? chatBody(call.request, call.model, true) : generateBody(call.request, call.model, true);
    const response = await this.send('POST', chat ? this.chatPath : this.generatePath, body, call.signal);
    const id = this.nextId(chat ? 'chatcmpl' : 'cmpl');
    return this.guardStream(response.body, call.signal, ollamaStreamEvents(this.settings.name, response.body, call.request, id));
  }

  async listModels(signal: CancelSignal): Promise<ModelInfo[]> {
    return modelsOf(this.settings.name, await this.requestJson('GET', this.tagsPath, undefined, signal));
  }

  probe(signal: CancelSignal): Promise<void> {
    return this.probePath(this.tagsPath, signal);
  }
}

function toolCallsOf(raw: unknown): ToolCall[] | undefined {
  if (!Array.isArray(raw) || raw.length === 0) return undefined;
  const calls: ToolCall[] = [];
  for (const item of raw) {
    const call = toolCallOf(item);
    if (call !== undefined) calls.push(call);
  }
  return calls.length > 0 ? calls : undefined;
}

/** Ollama sends each tool call whole, in one line: it becomes one `tool_call` event with all its arguments. */
async function* ollamaStreamEvents(provider: string, body: AsyncIterable<Uint8Array | string>, request: GatewayRequest, id: string): AsyncGenerator<StreamEvent> {
  const chat = request.kind === 'chat';
  let toolIndex = 0;
  let finishReason: FinishReason | undefined;
  let usage: Usage | undefined;
  let timings: UpstreamTimings | undefined;
  for await (const line of readNdjsonLines(body)) {
    if (finishReason !== undefined) continue;
    const chunk: JsonObject = parsePayload(provider, line);
    if (chunk.error !== undefined) throw streamPayloadError(provider, chunk.error);
    if (chat) {
      const message = asObject(chunk.message);
      const content = message?.content;
      if (typeof content === 'string' && content.length > 0) yield { type: 'text', text: content };
      const calls = toolCallsOf(message?.tool_calls);
      if (calls !== undefined) {
        for (const call of calls) {
          yield { type: 'tool_call', index: toolIndex++, id: call.id, name: call.function.name, argumentsDelta: call.function.arguments };
        }
      }
    } else {
      const text = chunk.response;
      if (typeof text === 'string' && text.length > 0) yield { type: 'text', text };
    }
    if (chunk.done === true) {
      finishReason = finishReasonOf(chunk.done_reason, toolIndex > 0);
      const promptTokens = asNumber(chunk.prompt_eval_count);
      const completionTokens = asNumber(chunk.eval_count);
      // Ollama leaves out `prompt_eval_count` when the whole prompt came from its cache.
      if (completionTokens !== undefined) usage = { promptTokens: promptTokens ?? estimateRequestTokens(request), completionTokens };
      timings = timingsOf(chunk);
    }
  }
  if (finishReason !== undefined) yield { type: 'end', finishReason, usage, id, timings };
}
