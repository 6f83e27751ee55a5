import { countWords } from '../deterministic-text';
import { checkCommon, includeUsage, openaiProtocol, readStop } from './openai-protocol';
import { readTokenCap } from './input';
import { WireReply, type GenerationRoute, type ParsedGeneration, type Reply, type StreamPlan } from './types';

/** `POST /v1/completions` (the legacy completions API), with `suffix` for fill-in-the-middle. */

interface CompletionRequest extends ParsedGeneration {
  includeUsage: boolean;
}

/** OpenAI documents 16 as the default `max_tokens` of this endpoint. */
const DEFAULT_MAX_TOKENS = 16;
const FINISH = { stop: 'stop', length: 'length', tool: 'stop' } as const;

function usageOf(reply: Reply) {
  return { prompt_tokens: reply.promptTokens, completion_tokens: reply.completionTokens, total_tokens: reply.promptTokens + reply.completionTokens };
}

function readPrompt(prompt: unknown): string | undefined {
  if (typeof prompt === 'string') return prompt;
  if (Array.isArray(prompt) && prompt.every((part) => typeof part === 'string')) return prompt.join('\n');
  return undefined;
}

export const openaiCompletionsRoute: GenerationRoute<CompletionRequest> = {
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
      usage: usageOf(reply),
      system_fingerprint: 'fp_sim',
    });
  },

  stream(reply): StreamPlan {
    const prefix = `data: {"id":"cmpl-sim${reply.id}","object":"text_completion","created":${reply.created},` +
      `"model":${JSON.stringify(reply.request.model)},"system_fingerprint":"fp_sim","choices":[`;
    const suffix = reply.request.includeUsage ? '],"usage":null}\n\n' : ']}\n\n';
    const choice = (text: string, finish: string | null) =>
      `${prefix}{"text":${JSON.stringify(text)},"index":0,"logprobs":null,"finish_reason":${finish === null ? 'null' : `"${finish}"`}}${suffix}`;
    return {
      frameCount: reply.pieces.length,
      head: () => '',
      frame: (index) => choice(reply.pieces[index]!, null),
      tail: () => {
        let tail = choice('', FINISH[reply.finish]);
        if (reply.request.includeUsage) tail += `${prefix}],"usage":${JSON.stringify(usageOf(reply))}}\n\n`;
        return tail + 'data: [DONE]\n\n';
      },
      errorFrame: () => `data: ${openaiProtocol.error(500, 'The server had an error while processing your request (simulated).', 'server_error').body}\n\n`,
    };
  },
};
