import { finalObject, loadedReply, NDJSON, ollamaProtocol, progressLine, readCommon, STREAM_ERROR_LINE } from './ollama-protocol';
import { isObject, readMessages } from './input';
import { decideTool, type ToolForcing } from './tool-call';
import type { GenerationRoute, ParsedGeneration, Reply, StreamPlan, ToolChoice } from './types';

/** `POST /api/chat`: NDJSON stream by default, `message` objects, stats on the final `done: true` object. */

function readTools(tools: unknown): ToolChoice[] {
  if (!Array.isArray(tools)) return [];
  return tools.flatMap((tool) =>
    isObject(tool) && isObject(tool.function) && typeof tool.function.name === 'string'
      ? [{ name: tool.function.name, schema: tool.function.parameters }]
      : []);
}

function message(reply: Reply, content: string, withToolCall: boolean) {
  const call = reply.toolCall;
  return withToolCall && call
    ? { role: 'assistant', content, tool_calls: [{ function: { name: call.name, arguments: JSON.parse(call.arguments) as unknown } }] }
    : { role: 'assistant', content };
}

export const ollamaChatRoute: GenerationRoute = {
  name: 'ollama.chat',
  protocol: ollamaProtocol,
  streamContentType: NDJSON,

  parse(body, _headers, context) {
    const common = readCommon(body, context);
    if (!('request' in common)) return common;
    const messages = common.request.messages ?? [];
    if (!Array.isArray(messages)) return ollamaProtocol.error(400, 'json: cannot unmarshal messages: expected an array');
    if (messages.length === 0) return loadedReply(common.model, 'message');
    const text = readMessages(messages);
    if (text === null) return ollamaProtocol.error(400, 'invalid message: each message needs a role');
    // Ollama has no tool_choice: a model calls a tool when it sees fit.
    const forcing: ToolForcing = { mode: 'auto' };
    return {
      model: common.model,
      stream: common.stream,
      input: text.all,
      promptTokens: text.words,
      maxTokens: common.maxTokens,
      stop: common.stop,
      requestSeed: common.requestSeed,
      tool: decideTool(readTools(common.request.tools), forcing, text.lastUser),
    } satisfies ParsedGeneration;
  },

  body: (reply) => finalObject(reply, 'message', message(reply, reply.text, true)),

  stream(reply): StreamPlan {
    const call = reply.toolCall;
    return {
      // A tool call arrives whole, in one object.
      frameCount: call ? 1 : reply.pieces.length,
      head() {
        return '';
      },
      frame(index) {
        return progressLine(reply, 'message', call ? message(reply, '', true) : message(reply, reply.pieces[index]!, false));
      },
      tail() {
        return finalObject(reply, 'message', { role: 'assistant', content: '' }) + '\n';
      },
      errorFrame() {
        return STREAM_ERROR_LINE;
      },
    };
  },
};
