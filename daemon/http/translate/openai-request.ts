import type { ChatMessage, GatewayRequest, SamplingParams } from '../../../shared/gateway';
import { ChatTurn, RequestRecord, SamplingRecord } from '../../core/request-records';
import type { OpenAIChatRequest, OpenAICompletionRequest } from '../../../shared/protocol/openai';
import { RequestError } from '../error-shapes';

type SamplingFields = Pick<
  OpenAIChatRequest,
  'temperature' | 'top_p' | 'top_k' | 'min_p' | 'max_tokens' | 'seed' | 'stop' | 'presence_penalty' | 'frequency_penalty' | 'repeat_penalty'
>;

function samplingFrom(body: SamplingFields, maxTokens: number | null | undefined, reasoningEffort?: string | null): SamplingParams {
  const params: SamplingParams = new SamplingRecord();
  if (body.temperature != null) params.temperature = body.temperature;
  if (body.top_p != null) params.top_p = body.top_p;
  if (body.top_k != null) params.top_k = body.top_k;
  if (body.min_p != null) params.min_p = body.min_p;
  if (maxTokens != null) params.max_tokens = maxTokens;
  if (body.seed != null) params.seed = body.seed;
  if (body.stop != null) params.stop = typeof body.stop === 'string' ? [body.stop] : body.stop;
  if (body.presence_penalty != null) params.presence_penalty = body.presence_penalty;
  if (body.frequency_penalty != null) params.frequency_penalty = body.frequency_penalty;
  if (body.repeat_penalty != null) params.repeat_penalty = body.repeat_penalty;
  if (reasoningEffort != null) params.reasoning_effort = reasoningEffort;
  return params;
}

/** OpenAI refuses `stream_options` on a request that is not streamed, and so does this door: a client moved from one to the other behaves the same. */
function refuseStreamOptionsWithoutStream(body: { stream?: boolean | null; stream_options?: unknown }): void {
  if (body.stream_options != null && body.stream !== true) {
    throw new RequestError('invalid_value', "The 'stream_options' parameter is only allowed when 'stream' is enabled.", { param: 'stream_options' });
  }
}

export function chatRequestFromOpenAI(body: OpenAIChatRequest): GatewayRequest {
  refuseStreamOptionsWithoutStream(body);
  const request: GatewayRequest = new RequestRecord('chat', body.model, body.stream === true, samplingFrom(body, body.max_completion_tokens ?? body.max_tokens, body.reasoning_effort));
  request.messages = body.messages.map((m): ChatMessage => {
    const message: ChatMessage = new ChatTurn(m.role, m.content ?? null);
    if (m.name !== undefined) message.name = m.name;
    if (m.tool_calls !== undefined) message.tool_calls = m.tool_calls;
    if (m.tool_call_id !== undefined) message.tool_call_id = m.tool_call_id;
    return message;
  });
  if (body.tools !== undefined && body.tools.length > 0) request.tools = body.tools;
  if (body.tool_choice !== undefined) request.tool_choice = body.tool_choice;
  if (body.response_format !== undefined) request.response_format = body.response_format;
  return request;
}

export function completionRequestFromOpenAI(body: OpenAICompletionRequest): GatewayRequest {
  refuseStreamOptionsWithoutStream(body);
  const request: GatewayRequest = new RequestRecord('completion', body.model, body.stream === true, samplingFrom(body, body.max_tokens));
  request.prompt = typeof body.prompt === 'string' ? body.prompt : body.prompt[0]!;
  if (body.suffix != null) request.suffix = body.suffix;
  return request;
}

/** Whether the client asked for a final usage chunk in its stream. */
export function wantsStreamUsage(body: { stream_options?: { include_usage?: boolean } | null }): boolean {
  return body.stream_options?.include_usage === true;
}
