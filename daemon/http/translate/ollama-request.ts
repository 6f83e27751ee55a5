import { randomUUID } from 'node:crypto';
import type { ChatMessage, ContentPart, GatewayRequest, SamplingParams } from '../../../shared/gateway';
import { ChatTurn, RequestRecord, SamplingRecord } from '../../core/request-records';
import type { OllamaChatRequest, OllamaGenerateRequest, OllamaMessage, OllamaOptions } from '../../../shared/protocol/ollama';

function samplingFromOptions(options: OllamaOptions | undefined): SamplingParams {
  const params: SamplingParams = new SamplingRecord();
  if (!options) return params;
  if (options.temperature !== undefined) params.temperature = options.temperature;
  if (options.top_p !== undefined) params.top_p = options.top_p;
  if (options.top_k !== undefined) params.top_k = options.top_k;
  if (options.min_p !== undefined) params.min_p = options.min_p;
  // Ollama's -1 (and -2) mean "until the context is full": no cap.
  if (options.num_predict !== undefined && options.num_predict > 0) params.max_tokens = options.num_predict;
  if (options.seed !== undefined) params.seed = options.seed;
  if (options.stop !== undefined && options.stop.length > 0) params.stop = options.stop;
  if (options.repeat_penalty !== undefined) params.repeat_penalty = options.repeat_penalty;
  if (options.presence_penalty !== undefined) params.presence_penalty = options.presence_penalty;
  if (options.frequency_penalty !== undefined) params.frequency_penalty = options.frequency_penalty;
  return params;
}

/** Ollama's `format`: `"json"` or a JSON schema, as the OpenAI `response_format` the gateway carries. */
function responseFormatFrom(format: unknown): unknown {
  if (format === undefined || format === '' || format === null) return undefined;
  if (format === 'json') return { type: 'json_object' };
  return { type: 'json_schema', json_schema: { name: 'response', schema: format } };
}

function messageFromOllama(message: OllamaMessage): ChatMessage {
  let content: ChatMessage['content'] = message.content;
  if (message.images && message.images.length > 0) {
    const parts: ContentPart[] = [{ type: 'text', text: message.content }];
    for (const image of message.images) parts.push({ type: 'image_url', image_url: { url: `data:image/*;base64,${image}` } });
    content = parts;
  }
  const result: ChatMessage = new ChatTurn(message.role, content);
  if (message.tool_calls && message.tool_calls.length > 0) {
    result.tool_calls = message.tool_calls.map((call) => ({
      id: `call_${randomUUID().slice(0, 8)}`,
      type: 'function' as const,
      function: { name: call.function.name, arguments: JSON.stringify(call.function.arguments) },
    }));
  }
  if (message.tool_name !== undefined) result.name = message.tool_name;
  return result;
}

export function chatRequestFromOllama(body: OllamaChatRequest): GatewayRequest {
  const request: GatewayRequest = new RequestRecord('chat', body.model, body.stream !== false, samplingFromOptions(body.options));
  request.messages = (body.messages ?? []).map(messageFromOllama);
  if (body.tools && body.tools.length > 0) request.tools = body.tools as GatewayRequest['tools'];
  const format = responseFormatFrom(body.format);
  if (format !== undefined) request.response_format = format;
  if (body.keep_alive !== undefined) request.keepAlive = body.keep_alive;
  return request;
}

export function generateRequestFromOllama(body: OllamaGenerateRequest): GatewayRequest {
  const request: GatewayRequest = new RequestRecord('completion', body.model, body.stream !== false, samplingFromOptions(body.options));
  request.prompt = body.prompt ?? '';
  if (body.suffix !== undefined && body.suffix !== '') request.suffix = body.suffix;
  if (body.system !== undefined) request.system = body.system;
  // Ollama applies the model's template unless told `raw`: the providers need to know which.
  request.raw = body.raw === true;
  const format = responseFormatFrom(body.format);
  if (format !== undefined) request.response_format = format;
  if (body.keep_alive !== undefined) request.keepAlive = body.keep_alive;
  return request;
}
