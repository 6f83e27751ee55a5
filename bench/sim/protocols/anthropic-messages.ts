import { countWords } from '../deterministic-text';
import { anthropicErrorBody, anthropicProtocol } from './anthropic-protocol';
import { isObject, readMessages, readTokenCap, textOf } from './input';
import { decideTool, type ToolForcing } from './tool-call';
import { WireReply, type GenerationRoute, type ParsedGeneration, type Reply, type StreamPlan, type ToolChoice } from './types';

/** `POST /v1/messages`: `max_tokens` required, `system` top-level, SSE with named events. */

const STOP = { stop: 'end_turn', length: 'max_tokens', tool: 'tool_use' } as const;

function stopReason(reply: Reply): string {
  return reply.stopSequence !== undefined ? 'stop_sequence' : STOP[reply.finish];
}

function invalid(message: string): WireReply {
  return anthropicProtocol.error(400, message);
}

function readTools(tools: unknown): ToolChoice[] | WireReply {
  if (tools === undefined) return [];
  if (!Array.isArray(tools)) return invalid('tools: Input should be a valid list');
  const read: ToolChoice[] = [];
  for (const [index, tool] of tools.entries()) {
    if (!isObject(tool) || typeof tool.name !== 'string') return invalid(`tools.${index}.name: Field required`);
    read.push({ name: tool.name, schema: tool.input_schema });
  }
  return read;
}

function readToolChoice(choice: unknown): ToolForcing {
  if (!isObject(choice)) return { mode: 'auto' };
  if (choice.type === 'none') return { mode: 'none' };
  if (choice.type === 'any') return { mode: 'any' };
  if (choice.type === 'tool' && typeof choice.name === 'string') return { mode: 'named', name: choice.name };
  return { mode: 'auto' };
}

function usageOf(reply: Reply) {
  return { input_tokens: reply.promptTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: reply.completionTokens };
}

function sse(event: string, data: string): string {
  return `event: ${event}\ndata: ${data}\n\n`;
}

export const anthropicMessagesRoute: GenerationRoute = {
  name: 'anthropic.messages',
  protocol: anthropicProtocol,
  streamContentType: 'text/event-stream; charset=utf-8',

  parse(body, headers, context) {
    if (headers['anthropic-version'] === undefined) return invalid('anthropic-version: header is required');
    if (!isObject(body)) return invalid('Input should be a valid dictionary');
    for (const field of ['model', 'max_tokens', 'messages'] as const) {
      if (body[field] === undefined) return invalid(`${field}: Field required`);
    }
    if (typeof body.model !== 'string') return invalid('model: Input should be a valid string');
    const maxTokens = readTokenCap(anthropicProtocol, body.max_tokens, 'max_tokens');
    if (maxTokens instanceof WireReply) return invalid('max_tokens: Input should be a valid integer greater than or equal to 1');
    if (!Array.isArray(body.messages)) return invalid('messages: Input should be a valid list');
    if (body.messages.length === 0) return invalid('messages: at least one message is required');
    if (body.messages.some((message) => isObject(message) && message.role === 'system')) {
      return invalid('messages: Unexpected role "system". The Messages API accepts a top-level `system` parameter, not "system" as an input message role.');
    }
    const text = readMessages(body.messages);
    if (text === null) return invalid('messages: each message needs a role');
    if (body.stream !== undefined && typeof body.stream !== 'boolean') return invalid('stream: Input should be a valid boolean');
    if (!context.models.includes(body.model)) return anthropicProtocol.error(404, `model: ${body.model}`);
    const tools = readTools(body.tools);
    if (tools instanceof WireReply) return tools;
    const stop = body.stop_sequences ?? [];
    if (!Array.isArray(stop) || !stop.every((item) => typeof item === 'string')) return invalid('stop_sequences: Input should be a valid list of strings');
    const system = textOf(body.system);
    return {
      model: body.model,
      stream: body.stream === true,
      // Written as the system turn an OpenAI or Ollama request carries, so a conversation gets
      // the same words on every protocol (a gateway that lifts the system prompt out changes nothing).
      input: system === '' ? text.all : `system: ${system}\n${text.all}`,
      promptTokens: countWords(system) + text.words,
      maxTokens,
      stop: stop as string[],
      tool: decideTool(tools, readToolChoice(body.tool_choice), text.lastUser),
    } satisfies ParsedGeneration;
  },

  body(reply) {
    const call = reply.toolCall;
    const content = call
      ? [{ type: 'tool_use', id: `toolu_sim${reply.id}`, name: call.name, input: JSON.parse(call.arguments) as unknown }]
      : [{ type: 'text', text: reply.text }];
    return JSON.stringify({
      id: `msg_sim${reply.id}`,
      type: 'message',
      role: 'assistant',
      model: reply.request.model,
      content,
      stop_reason: stopReason(reply),
      stop_sequence: reply.stopSequence ?? null,
      usage: usageOf(reply),
    });
  },

  stream(reply): StreamPlan {
    const call = reply.toolCall;
    const block = call
      ? { type: 'tool_use', id: `toolu_sim${reply.id}`, name: call.name, input: {} }
      : { type: 'text', text: '' };
    const message = {
      id: `msg_sim${reply.id}`,
      type: 'message',
      role: 'assistant',
      model: reply.request.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { ...usageOf(reply), output_tokens: 1 },
    };
    return {
      frameCount: call ? call.fragments.length : reply.pieces.length,
      head() {
        return sse('message_start', JSON.stringify({ type: 'message_start', message })) +
          sse('content_block_start', JSON.stringify({ type: 'content_block_start', index: 0, content_block: block })) +
          sse('ping', '{"type": "ping"}');
      },
      frame(index) {
        return call
          ? sse('content_block_delta', `{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":${JSON.stringify(call.fragments[index])}}}`)
          : sse('content_block_delta', `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":${JSON.stringify(reply.pieces[index])}}}`);
      },
      tail() {
        return sse('content_block_stop', '{"type":"content_block_stop","index":0}') +
          sse('message_delta', JSON.stringify({
            type: 'message_delta',
            delta: { stop_reason: stopReason(reply), stop_sequence: reply.stopSequence ?? null },
            usage: { output_tokens: reply.completionTokens },
          })) +
          sse('message_stop', '{"type":"message_stop"}');
      },
      errorFrame() {
        return sse('error', anthropicErrorBody(529, 'Overloaded'));
      },
    };
  },
};
