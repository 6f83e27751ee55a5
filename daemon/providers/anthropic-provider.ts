/**
 * The `anthropic` kind: the Messages API, `POST /v1/messages`, authenticated with `x-api-key`
 * and pinned to `anthropic-version: 2023-06-01`. Models → `GET /v1/models`.
 *
 * The streamed event sequence: `message_start` (id, input usage), then per content block
 * `content_block_start` / `content_block_delta` (`text_delta`, `input_json_delta`) /
 * `content_block_stop`, then `message_delta` (stop reason, output usage) and `message_stop`;
 * `ping` anywhere; `error` anywhere, which ends the stream with a GatewayError.
 */
import type { CancelSignal } from '../core/cancellation';
import type { FinishReason, GatewayResponse, ModelInfo, StreamEvent, ToolCall } from '../../shared/gateway';
import { HttpProvider, nowSeconds } from './http-provider';
import { asNumber, asObject, asString, parsePayload } from './json-payload';
import { finishReasonOf, inputTokensOf, messagesBody, streamErrorOf } from './anthropic-translate';
import { modelsOf } from './openai-translate';
import type { ProviderCall, ProviderSettings } from '../core/provider';
import { readSseEvents } from './sse-parser';
import { protocolError } from './upstream-errors';

export const ANTHROPIC_VERSION = '2023-06-01';

export class AnthropicProvider extends HttpProvider {
  private readonly messagesPath: string;
  private readonly modelsPath: string;

  constructor(settings: ProviderSettings) {
    const auth: Record<string, string> = { 'anthropic-version': ANTHROPIC_VERSION };
    if (settings.apiKey) auth['x-api-key'] = settings.apiKey;
    super(settings, auth);
    this.messagesPath = `${this.basePath}/v1/messages`;
    this.modelsPath = `${this.basePath}/v1/models?limit=1000`;
  }

  protected override credentialHeaders(apiKey: string): Record<string, string> {
    return { 'x-api-key': apiKey };
  }

  async complete(call: ProviderCall): Promise<GatewayResponse> {
    const json = await this.requestJson('POST', this.messagesPath, messagesBody(call.request, call.model, false), call.signal);
    if (!Array.isArray(json.content)) throw protocolError(this.settings.name, 'the message has no content array');
    let text = '';
    let toolCalls: ToolCall[] | undefined;
    for (const item of json.content) {
      const block = asObject(item);
      if (block?.type === 'text') {
        text += asString(block.text) ?? '';
      } else if (block?.type === 'tool_use') {
        (toolCalls ??= []).push({
          id: asString(block.id) ?? '',
          type: 'function',
          function: { name: asString(block.name) ?? '', arguments: JSON.stringify(block.input ?? {}) },
        });
      }
      // thinking and other block types carry nothing an OpenAI-shaped response can hold
    }
    const usage = asObject(json.usage);
    return {
      id: asString(json.id) ?? this.nextId('msg'),
      model: asString(json.model) ?? call.model,
      created: nowSeconds(),
      text,
      toolCalls,
      finishReason: finishReasonOf(json.stop_reason),
      usage: this.usageOf(inputTokensOf(usage), asNumber(usage?.output_tokens), call.request, text),
    };
  }

  async stream(call: ProviderCall): Promise<AsyncIterable<StreamEvent>> {
    const response = await this.send('POST', this.messagesPath, messagesBody(call.request, call.model, true), call.signal);
    return this.guardStream(response.body, call.signal, anthropicStreamEvents(this.settings.name, response.body));
  }

  async listModels(signal: CancelSignal): Promise<ModelInfo[]> {
    return modelsOf(this.settings.name, await this.requestJson('GET', this.modelsPath, undefined, signal)).map((model) => ({ ...model, fim: false }));
  }

  probe(signal: CancelSignal): Promise<void> {
    return this.probePath(this.modelsPath, signal);
  }
}

async function* anthropicStreamEvents(provider: string, body: AsyncIterable<Uint8Array | string>): AsyncGenerator<StreamEvent> {
  let id: string | undefined;
  let inputTokens: number | undefined;
  let outputTokens: number | undefined;
  let finishReason: FinishReason = 'stop';
  let stopped = false;
  /** Content block index → tool call index (tool calls are numbered among themselves, from 0). */
  let toolIndexByBlock: Map<number, number> | undefined;
  for await (const event of readSseEvents(body)) {
    if (stopped) continue;
    const payload = parsePayload(provider, event.data);
    switch (payload.type) {
      case 'message_start': {
        const message = asObject(payload.message);
        id = asString(message?.id);
        const usage = asObject(message?.usage);
        inputTokens = inputTokensOf(usage);
        outputTokens = asNumber(usage?.output_tokens);
        break;
      }
      case 'content_block_start': {
        const block = asObject(payload.content_block);
        if (block?.type === 'tool_use') {
          toolIndexByBlock ??= new Map();
          const index = toolIndexByBlock.size;
          toolIndexByBlock.set(asNumber(payload.index) ?? -1, index);
          yield { type: 'tool_call', index, id: asString(block.id), name: asString(block.name), argumentsDelta: '' };
        } else if (block?.type === 'text') {
          const text = asString(block.text);
          if (text !== undefined && text.length > 0) yield { type: 'text', text };
        }
        break;
      }
      case 'content_block_delta': {
        const delta = asObject(payload.delta);
        if (delta?.type === 'text_delta') {
          const text = asString(delta.text);
          if (text !== undefined && text.length > 0) yield { type: 'text', text };
        } else if (delta?.type === 'input_json_delta') {
          const index = toolIndexByBlock?.get(asNumber(payload.index) ?? -1);
          if (index === undefined) throw protocolError(provider, 'input_json_delta for a block that is not a tool_use');
          yield { type: 'tool_call', index, argumentsDelta: asString(delta.partial_json) ?? '' };
        }
        break;
      }
      case 'message_delta': {
        const delta = asObject(payload.delta);
        if (delta?.stop_reason !== undefined && delta.stop_reason !== null) finishReason = finishReasonOf(delta.stop_reason);
        const usage = asObject(payload.usage);
        outputTokens = asNumber(usage?.output_tokens) ?? outputTokens;
        inputTokens = inputTokensOf(usage) ?? inputTokens;
        break;
      }
      case 'message_stop':
        stopped = true;
        break;
      case 'error':
        throw streamErrorOf(provider, payload);
      default:
        // ping, content_block_stop, and event types added later: nothing to translate
        break;
    }
  }
  if (!stopped) return;
  const usage = inputTokens !== undefined && outputTokens !== undefined ? { promptTokens: inputTokens, completionTokens: outputTokens } : undefined;
  yield { type: 'end', finishReason, usage, id };
}
