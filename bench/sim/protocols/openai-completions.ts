import { countWords } from '../deterministic-text';
import {
  checkCommon, finishJson, includeUsage, OPENAI_STREAM_ERROR_FRAME, openaiChunks, openaiProtocol, openaiUsage, readStop, type OpenAIGeneration,
} from './openai-protocol';
import { readTokenCap } from './input';
import { WireReply, type GenerationRoute, type StreamPlan } from './types';

/** `POST /v1/completions` (the legacy completions API), with `suffix` for fill-in-the-middle. */

/** OpenAI documents 16 as the default `max_tokens` of this endpoint. */
const DEFAULT_MAX_TOKENS = 16;
const FINISH = { stop: 'stop', length: 'length', tool: 'stop' } as const;

function choice(text: string, finish: string | null): string {
  return `{"text":${JSON.stringify(text)},"index":0,"logprobs":null,"finish_reason":${finishJson(finish)}}`;
}

function readPrompt(prompt: unknown): string | undefined {
  if (typeof prompt === 'string') return prompt;
  if (Array.isArray(prompt) && prompt.every((part) => typeof part === 'string')) return prompt.join('\n');
  return undefined;
}

export const openaiCompletionsRoute: GenerationRoute<OpenAIGeneration> = {
  name: 'openai.completions',
  protocol: openaiProtocol,
  streamContentType: 'text/event-stream',

  parse(body, _headers, context) {
    const invalid = checkCommon(body, context);
    if (invalid) return invalid;
    const request = body as Record<string, unknown>;
    if (request.prompt === undefined) return openaiProtocol.error(400, "Missing required parameter: 'prompt'.", 'missing_required_parameter', 'prompt');
    const prompt = readPrompt(request.prompt);
    if (prompt === undefined) return openaiProtocol.error(400, "Invalid type for 'prompt': expected a string or an array of strings.", 'invalid_type', 'prompt');
    const suffix = request.suffix ?? '';
    if (typeof suffix !== 'string') return openaiProtocol.error(400, "Invalid type for 'suffix': expected a string.", 'invalid_type', 'suffix');
    const maxTokens = readTokenCap(openaiProtocol, request.max_tokens, 'max_tokens');
    if (maxTokens instanceof WireReply) return maxTokens;
    const stop = readStop(request.stop);
    if (stop instanceof WireReply) return stop;
    return {
      model: request.model as string,
      stream: request.stream === true,
      input: suffix === '' ? prompt : `${prompt}\u0000${suffix}`,
      promptTokens: countWords(prompt) + countWords(suffix),
      maxTokens: maxTokens ?? DEFAULT_MAX_TOKENS,
      stop,
      requestSeed: typeof request.seed === 'number' ? request.seed : undefined,
      includeUsage: includeUsage(request),
    };
  },

  body(reply) {
    return JSON.stringify({
      id: `cmpl-sim${reply.id}`,
      object: 'text_completion',
      created: reply.created,
      model: reply.request.model,
      choices: [{ text: reply.text, index: 0, logprobs: null, finish_reason: FINISH[reply.finish] }],
      usage: openaiUsage(reply),
      system_fingerprint: 'fp_sim',
    });
  },

  stream(reply): StreamPlan {
    const chunks = openaiChunks(reply, `cmpl-sim${reply.id}`, 'text_completion');
    return {
      frameCount: reply.pieces.length,
      head() {
        return '';
      },
      frame(index) {
        return chunks.chunk(choice(reply.pieces[index]!, null));
      },
      tail() {
        return chunks.end(choice('', FINISH[reply.finish]));
      },
      errorFrame() {
        return OPENAI_STREAM_ERROR_FRAME;
      },
    };
  },
};
