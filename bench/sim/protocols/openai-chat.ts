import { checkCommon, includeUsage, openaiProtocol, readStop, readToolChoice, readTools } from './openai-protocol';
import { readMessages, readTokenCap, type MessagesText } from './input';
import { decideTool } from './tool-call';
import { WireReply, type GenerationRoute, type ParsedGeneration, type Reply, type StreamPlan } from './types';

/** `POST /v1/chat/completions`, as OpenAI documents it (also served by llama.cpp, vLLM, LM Studio). */

interface ChatRequest extends ParsedGeneration {
  includeUsage: boolean;
}

const FINISH = { stop: 'stop', length: 'length', tool: 'tool_calls' } as const;

function usageOf(reply: Reply) {
  return { prompt_tokens: reply.promptTokens, completion_tokens: reply.completionTokens, total_tokens: reply.promptTokens + reply.completionTokens };
}

export const openaiChatRoute: GenerationRoute<ChatRequest> = {
  name: 'openai.chat',
  protocol: openaiProtocol,
  streamContentType: 'text/event-stream',

  parse(body, _headers, context) {
    const invalid = checkCommon(body, context);
    if (invalid) return invalid;
    const request = body as Record<string, unknown>;
    const messages = request.messages;
    if (messages === undefined) return openaiProtocol.error(400, "Missing required parameter: 'messages'.", 'missing_required_parameter', 'messages');
    if (!Array.isArray(messages)) return openaiProtocol.error(400, "Invalid type for 'messages': expected an array.", 'invalid_type', 'messages');
    if (messages.length === 0) {
      return openaiProtocol.error(400, "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", 'empty_array', 'messages');
    }
    const text: MessagesText | null = readMessages(messages);
    if (text === null) return openaiProtocol.error(400, "Invalid 'messages': each message needs a string 'role'.", 'invalid_value', 'messages');
    const capField = request.max_completion_tokens !== undefined ? 'max_completion_tokens' : 'max_tokens';
    const maxTokens = readTokenCap(openaiProtocol, request[capField], capField);
    if (maxTokens instanceof WireReply) return maxTokens;
    const tools = readTools(request.tools);
    if (tools instanceof WireReply) return tools;
    const stop = readStop(request.stop);
    if (stop instanceof WireReply) return stop;
    return {
      model: request.model as string,
      stream: request.stream === true,
      input: text.all,
      promptTokens: text.words,
      maxTokens,
      stop,
      requestSeed: typeof request.seed === 'number' ? request.seed : undefined,
      tool: decideTool(tools, readToolChoice(request.tool_choice), text.lastUser),
      includeUsage: includeUsage(request),
    };
  },

  body(reply) {
    const call = reply.toolCall;
    if (call === undefined) {
      // The benchmark's hot path: built as a string, which is measurably cheaper than JSON.stringify of objects.
      return `{"id":"chatcmpl-sim${reply.id}","object":"chat.completion","created":${reply.created},` +
        `"model":${JSON.stringify(reply.request.model)},"choices":[{"index":0,"message":{"role":"assistant",` +
        `"content":${JSON.stringify(reply.text)},"refusal":null},"logprobs":null,"finish_reason":"${FINISH[reply.finish]}"}],` +
        `"usage":${JSON.stringify(usageOf(reply))},"system_fingerprint":"fp_sim"}`;
    }
    const message = { role: 'assistant', content: null, tool_calls: [{ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }], refusal: null };
    return JSON.stringify({
      id: `chatcmpl-sim${reply.id}`,
      object: 'chat.completion',
      created: reply.created,
      model: reply.request.model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: FINISH[reply.finish] }],
      usage: usageOf(reply),
      system_fingerprint: 'fp_sim',
    });
  },

  stream(reply): StreamPlan {
    const prefix = `data: {"id":"chatcmpl-sim${reply.id}","object":"chat.completion.chunk","created":${reply.created},` +
      `"model":${JSON.stringify(reply.request.model)},"system_fingerprint":"fp_sim","choices":[`;
    const suffix = reply.request.includeUsage ? '],"usage":null}\n\n' : ']}\n\n';
    const choice = (delta: string, finish: string | null) =>
      `${prefix}{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finish === null ? 'null' : `"${finish}"`}}${suffix}`;
    const call = reply.toolCall;
    return {
      frameCount: call ? call.fragments.length : reply.pieces.length,
      head: () => call
        ? choice(`{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"${call.id}","type":"function","function":{"name":${JSON.stringify(call.name)},"arguments":""}}]}`, null)
        : choice('{"role":"assistant","content":"","refusal":null}', null),
      frame: (index) => call
        ? choice(`{"tool_calls":[{"index":0,"function":{"arguments":${JSON.stringify(call.fragments[index])}}}]}`, null)
        : choice(`{"content":${JSON.stringify(reply.pieces[index])}}`, null),
      tail: () => {
        let tail = choice('{}', FINISH[reply.finish]);
        if (reply.request.includeUsage) tail += `${prefix}],"usage":${JSON.stringify(usageOf(reply))}}\n\n`;
        return tail + 'data: [DONE]\n\n';
      },
      errorFrame: () => `data: ${openaiProtocol.error(500, 'The server had an error while processing your request (simulated).', 'server_error').body}\n\n`,
    };
  },
};
