/**
 * The `llamacpp` kind: llama.cpp's `llama-server`. A completion with a suffix →
 * `POST /infill` (`input_prefix`, `input_suffix`, `input_extra`), one without →
 * `POST /completion`; both take sampling fields by llama.cpp's own names (`n_predict` for max
 * tokens), and `cache_prompt: true`. Chat uses its OpenAI route `POST /v1/chat/completions`
 * (the openai code path), models `GET /v1/models`, and the probe `GET /health` (503 while the
 * model loads).
 *
 * A completion that wants the model's template (Ollama `/api/generate` without `raw`) has it
 * applied by `POST /apply-template` and then goes to `/completion` as usual; a build without that
 * route (older than early 2025) answers 404, and the OpenAI chat route applies it instead.
 *
 * Its native stream is server-sent events without `[DONE]`: `data: {"content": ..., "stop": false}`
 * per token, then one `stop: true` object with `tokens_predicted`, `tokens_evaluated`, `stop_type`
 * (`eos`, `limit`, `word`) and `truncated`.
 */
import type { CancelSignal } from '../core/cancellation';
import type { FinishReason, GatewayRequest, GatewayResponse, StreamEvent, UpstreamTimings, Usage } from '../../shared/gateway';
import { isGatewayError } from '../core/errors';
import { nowSeconds } from './http-provider';
import { asNumber, asObject, asString, nonEmpty, parseSseChunk, type JsonObject } from './json-payload';
import { OpenAIProvider } from './openai-provider';
import type { ProviderCall, ProviderSettings } from '../core/provider';
import { readSseEvents } from './sse-parser';
import { templateMessages, wantsTemplate } from './templated-prompt';
import { protocolError } from './upstream-errors';

export class LlamaCppProvider extends OpenAIProvider {
  private readonly infillPath: string;
  private readonly completionPath: string;
  private readonly healthPath: string;
  private readonly applyTemplatePath: string;

  constructor(settings: ProviderSettings) {
    super(settings, '/v1');
    this.infillPath = `${this.basePath}/infill`;
    this.completionPath = `${this.basePath}/completion`;
    this.healthPath = `${this.basePath}/health`;
    this.applyTemplatePath = `${this.basePath}/apply-template`;
  }

  override async complete(call: ProviderCall): Promise<GatewayResponse> {
    if (call.request.kind === 'chat') return super.complete(call);
    const request = await this.withTemplate(call.request, call.signal);
    if (request === undefined) return super.complete(call);
    const fim = request.suffix !== undefined;
    const json = await this.requestJson('POST', fim ? this.infillPath : this.completionPath, nativeBody(request, call.model, false), call.signal);
    const text = asString(json.content);
    if (text === undefined) throw protocolError(this.settings.name, 'the completion has no content');
    return {
      id: this.nextId('cmpl'),
      model: asString(json.model) ?? call.model,
      created: nowSeconds(),
      text,
      finishReason: finishReasonOf(json),
      usage: this.usageOf(asNumber(json.tokens_evaluated), asNumber(json.tokens_predicted), call.request, text),
      timings: timingsOf(json),
    };
  }

  override async stream(call: ProviderCall): Promise<AsyncIterable<StreamEvent>> {
    if (call.request.kind === 'chat') return super.stream(call);
    const request = await this.withTemplate(call.request, call.signal);
    if (request === undefined) return super.stream(call);
    const fim = request.suffix !== undefined;
    const response = await this.send('POST', fim ? this.infillPath : this.completionPath, nativeBody(request, call.model, true), call.signal);
    return this.guardStream(response.body, call.signal, llamaCppStreamEvents(this.settings.name, response.body, this.nextId('cmpl')));
  }

  /**
   * The completion with its prompt formatted by the server's template when it wants one, else as
   * it is; undefined when this server has no `/apply-template` (the chat route must do it).
   */
  private async withTemplate(request: GatewayRequest, signal: CancelSignal): Promise<GatewayRequest | undefined> {
    if (!wantsTemplate(request)) return request;
    let json: JsonObject;
    try {
      json = await this.requestJson('POST', this.applyTemplatePath, { messages: templateMessages(request) }, signal);
    } catch (error) {
      if (isGatewayError(error) && error.status === 404) return undefined;
      throw error;
    }
    const prompt = asString(json.prompt);
    if (prompt === undefined) throw protocolError(this.settings.name, 'the applied template has no prompt');
    return { ...request, prompt, system: undefined, raw: true };
  }

  override probe(signal: CancelSignal): Promise<void> {
    return this.probePath(this.healthPath, signal);
  }
}

function nativeBody(request: GatewayRequest, model: string, stream: boolean): JsonObject {
  const p = request.params;
  const fim = request.suffix !== undefined;
  return {
    // llama-server serves one model, or picks by `model` in router mode.
    model,
    prompt: fim ? undefined : (request.prompt ?? ''),
    input_prefix: fim ? (request.prompt ?? '') : undefined,
    input_suffix: request.suffix,
    input_extra: fim ? nonEmpty(request.extraContext) : undefined,
    stream,
    // Reuse the KV cache of the slot's previous prompt for the part this one shares with it
    // (the default only on newer servers): an editor's consecutive completions share most of it.
    cache_prompt: true,
    n_predict: p.max_tokens,
    temperature: p.temperature,
    top_k: p.top_k,
    top_p: p.top_p,
    min_p: p.min_p,
    seed: p.seed,
    stop: nonEmpty(p.stop),
    repeat_penalty: p.repeat_penalty,
    presence_penalty: p.presence_penalty,
    frequency_penalty: p.frequency_penalty,
  };
}

/** `stop_type` (current servers) or `stopped_limit` (older ones); a context overflow (`truncated`) also cut the output short. */
/** llama.cpp's `timings` (milliseconds of prompt processing and of generation), in nanoseconds, for the Ollama door. */
function timingsOf(result: JsonObject): UpstreamTimings | undefined {
  const timings = asObject(result.timings);
  const promptMs = asNumber(timings?.prompt_ms);
  const predictedMs = asNumber(timings?.predicted_ms);
  if (promptMs === undefined || predictedMs === undefined) return undefined;
  const promptEvalNs = Math.round(promptMs * 1e6);
  const evalNs = Math.round(predictedMs * 1e6);
  return { promptEvalNs, evalNs, totalNs: promptEvalNs + evalNs };
}

function finishReasonOf(result: JsonObject): FinishReason {
  if (result.stop_type === 'limit' || result.stopped_limit === true || result.truncated === true) return 'length';
  return 'stop';
}

async function* llamaCppStreamEvents(provider: string, body: AsyncIterable<Uint8Array | string>, id: string): AsyncGenerator<StreamEvent> {
  let finishReason: FinishReason | undefined;
  let usage: Usage | undefined;
  let timings: UpstreamTimings | undefined;
  for await (const event of readSseEvents(body)) {
    if (finishReason !== undefined || event.data === '[DONE]') continue;
    const chunk = parseSseChunk(provider, event);
    const text = chunk.content;
    if (typeof text === 'string' && text.length > 0) yield { type: 'text', text };
    if (chunk.stop === true) {
      finishReason = finishReasonOf(chunk);
      const promptTokens = asNumber(chunk.tokens_evaluated);
      const completionTokens = asNumber(chunk.tokens_predicted);
      if (promptTokens !== undefined && completionTokens !== undefined) usage = { promptTokens, completionTokens };
      timings = timingsOf(chunk);
    }
  }
  if (finishReason !== undefined) yield timings === undefined ? { type: 'end', finishReason, usage, id } : { type: 'end', finishReason, usage, id, timings };
}
