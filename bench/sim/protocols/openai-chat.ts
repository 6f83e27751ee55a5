import {
  checkCommon, finishJson, includeUsage, OPENAI_STREAM_ERROR_FRAME, openaiChunks, openaiProtocol, openaiUsage, readStop, readToolChoice, readTools,
  type OpenAIGeneration,
} from './openai-protocol';
import { readMessages, readTokenCap, type MessagesText } from './input';
import { decideTool } from './tool-call';
import { WireReply, type GenerationRoute, type StreamPlan } from './types';

/** `POST /v1/chat/completions`, as OpenAI documents it (also served by llama.cpp, vLLM, LM Studio). */

const FINISH = { stop: 'stop', length: 'length', tool: 'tool_calls' } as const;

function choice(delta: string, finish: string | null): string {
  return `{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finishJson(finish)}}`;
}

export const openaiChatRoute: GenerationRoute<OpenAIGeneration> = {
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
        `"usage":${JSON.stringify(openaiUsage(reply))},"system_fingerprint":"fp_sim"}`;
    }
    const message = { role: 'assistant', content: null, tool_calls: [{ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }], refusal: null };
    return JSON.stringify({
      id: `chatcmpl-sim${reply.id}`,
      object: 'chat.completion',
      created: reply.created,
      model: reply.request.model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: FINISH[reply.finish] }],
      usage: openaiUsage(reply),
      system_fingerprint: 'fp_sim',
    });
  },

  stream(reply): StreamPlan {
    const chunks = openaiChunks(reply, `chatcmpl-sim${reply.id}`, 'chat.completion.chunk');
    const call = reply.toolCall;
    return {
      frameCount: call ? call.fragments.length : reply.pieces.length,
      head() {
        return chunks.chunk(call
          ? choice(`{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"${call.id}","type":"function","function":{"name":${JSON.stringify(call.name)},"arguments":""}}]}`, null)
          : choice('{"role":"assistant","content":"","refusal":null}', null));
      },
      frame(index) {
        return chunks.chunk(call
          ? choice(`{"tool_calls":[{"index":0,"function":{"arguments":${JSON.stringify(call.fragments[index])}}}]}`, null)
          : choice(`{"content":${JSON.stringify(reply.pieces[index])}}`, null));
      },
      tail() {
        return chunks.end(choice('{}', FINISH[reply.finish]));
      },
      errorFrame() {
        return OPENAI_STREAM_ERROR_FRAME;
      },
    };
  },
};
