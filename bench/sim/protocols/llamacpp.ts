import { countWords } from '../deterministic-text';
import { bearerToken, isObject, readTokenCap, textOf } from './input';
import { WireReply, type GenerationRoute, type ParsedGeneration, type Protocol, type Reply, type StaticRoute, type StreamPlan } from './types';

/**
 * llama.cpp's server (`llama-server`): `/completion` and `/infill` stream SSE `data:` events of
 * `{content, stop}` with no `[DONE]`; the last has `stop: true`, the token counts and `timings`.
 * Its OpenAI routes are served by the OpenAI handlers.
 */

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error', 401: 'authentication_error', 404: 'not_found_error', 429: 'unavailable_error',
  500: 'server_error', 501: 'not_supported_error', 503: 'unavailable_error',
};

export const llamacppProtocol: Protocol = {
  name: 'llamacpp',
  error(status, message) {
    const type = ERROR_TYPES[status] ?? 'server_error';
    return new WireReply(status, JSON.stringify({ error: { code: status, message, type } }), 'application/json; charset=utf-8');
  },
  hasKey(headers, apiKey) {
    return bearerToken(headers.authorization) === apiKey;
  },
};

interface LlamaRequest extends ParsedGeneration {
  prompt: string;
  nPredict: number;
  seed: number;
  temperature: number;
}

function readCommon(body: Record<string, unknown>, defaultModel: string) {
  const nPredict = readTokenCap(llamacppProtocol, body.n_predict, 'n_predict', true);
  if (nPredict instanceof WireReply) return llamacppProtocol.error(400, '"n_predict" must be an integer');
  if (body.stream !== undefined && typeof body.stream !== 'boolean') return llamacppProtocol.error(400, '"stream" must be a boolean');
  const stop = body.stop ?? [];
  if (!Array.isArray(stop) || !stop.every((item) => typeof item === 'string')) return llamacppProtocol.error(400, '"stop" must be an array of strings');
  return {
    // The server runs one model and ignores `model`; it reports the one it runs.
    model: typeof body.model === 'string' ? body.model : defaultModel,
    stream: body.stream === true,
    // -1 (the default) means until the model stops.
    maxTokens: nPredict !== undefined && nPredict >= 0 ? nPredict : undefined,
    nPredict: nPredict ?? -1,
    seed: typeof body.seed === 'number' ? body.seed : -1,
    requestSeed: typeof body.seed === 'number' && body.seed >= 0 ? body.seed : undefined,
    stop: stop as string[],
    temperature: typeof body.temperature === 'number' ? body.temperature : 0.8,
  };
}

function finalObject(reply: Reply<LlamaRequest>, content: string): Record<string, unknown> {
  const now = performance.now();
  const { startedAt, firstTokenAt } = reply.timing;
  const promptMs = Math.max(0.001, firstTokenAt - startedAt);
  const predictedMs = Math.max(0.001, now - firstTokenAt);
  const request = reply.request;
  return {
    index: 0,
    content,
    tokens: [],
    id_slot: 0,
    stop: true,
    model: request.model,
    tokens_predicted: reply.completionTokens,
    tokens_evaluated: reply.promptTokens,
    generation_settings: { n_predict: request.nPredict, seed: request.seed, temperature: request.temperature, stream: request.stream },
    prompt: request.prompt,
    has_new_line: false,
    truncated: false,
    stop_type: reply.stopSequence !== undefined ? 'word' : reply.finish === 'length' ? 'limit' : 'eos',
    stopping_word: reply.stopSequence ?? '',
    tokens_cached: 0,
    timings: {
      prompt_n: reply.promptTokens,
      prompt_ms: promptMs,
      prompt_per_token_ms: promptMs / Math.max(1, reply.promptTokens),
      prompt_per_second: (reply.promptTokens * 1000) / promptMs,
      predicted_n: reply.completionTokens,
      predicted_ms: predictedMs,
      predicted_per_token_ms: predictedMs / Math.max(1, reply.completionTokens),
      predicted_per_second: (reply.completionTokens * 1000) / predictedMs,
    },
  };
}

function streamPlan(reply: Reply<LlamaRequest>): StreamPlan {
  const evaluated = reply.promptTokens;
  return {
    frameCount: reply.pieces.length,
    head() {
      return '';
    },
    frame(index) {
      return `data: {"index":0,"content":${JSON.stringify(reply.pieces[index])},"tokens":[],"stop":false,"id_slot":-1,` +
        `"tokens_predicted":${index + 1},"tokens_evaluated":${evaluated}}\n\n`;
    },
    tail() {
      return `data: ${JSON.stringify(finalObject(reply, ''))}\n\n`;
    },
    errorFrame() {
      return `data: ${llamacppProtocol.error(500, 'slot processing failed (simulated)').body}\n\n`;
    },
  };
}

function promptText(prompt: unknown): string | undefined {
  if (prompt === undefined) return '';
  if (typeof prompt === 'string') return prompt;
  if (Array.isArray(prompt)) return prompt.map((part) => (typeof part === 'string' ? part : String(part))).join(' ');
  return undefined;
}

export const llamacppCompletionRoute: GenerationRoute<LlamaRequest> = {
  name: 'llamacpp.completion',
  protocol: llamacppProtocol,
  streamContentType: 'text/event-stream',
  parse(body, _headers, context) {
    if (!isObject(body)) return llamacppProtocol.error(400, 'the request body must be a JSON object');
    if (body.prompt === undefined) return llamacppProtocol.error(400, '"prompt" must be provided');
    const prompt = promptText(body.prompt);
    if (prompt === undefined) return llamacppProtocol.error(400, '"prompt" must be a string, an array of token ids or an array of prompts');
    const common = readCommon(body, context.models[0]!);
    if (common instanceof WireReply) return common;
    return { ...common, prompt, input: prompt, promptTokens: countWords(prompt) };
  },
  body: (reply) => JSON.stringify(finalObject(reply, reply.text)),
  stream: streamPlan,
};

export const llamacppInfillRoute: GenerationRoute<LlamaRequest> = {
  name: 'llamacpp.infill',
  protocol: llamacppProtocol,
  streamContentType: 'text/event-stream',
  parse(body, _headers, context) {
    if (!isObject(body)) return llamacppProtocol.error(400, 'the request body must be a JSON object');
    const { input_prefix: prefix = '', input_suffix: suffix = '', input_extra: extra = [] } = body;
    if (typeof prefix !== 'string') return llamacppProtocol.error(400, '"input_prefix" must be a string');
    if (typeof suffix !== 'string') return llamacppProtocol.error(400, '"input_suffix" must be a string');
    const extraOk = Array.isArray(extra) && extra.every((chunk) => isObject(chunk) && typeof chunk.text === 'string'
      && (chunk.filename === undefined || typeof chunk.filename === 'string'));
    if (!extraOk) return llamacppProtocol.error(400, '"input_extra" must be an array of {"filename": string, "text": string}');
    const prompt = promptText(body.prompt);
    if (prompt === undefined) return llamacppProtocol.error(400, '"prompt" must be a string');
    const common = readCommon(body, context.models.find((model) => /coder|code|fim/i.test(model)) ?? context.models[0]!);
    if (common instanceof WireReply) return common;
    const extraText = (extra as { filename?: string; text: string }[]).map((chunk) => `${chunk.filename ?? ''}\u0000${chunk.text}`).join('\u0000');
    const extraWords = (extra as { text: string }[]).reduce((sum, chunk) => sum + countWords(chunk.text), 0);
    return {
      ...common,
      prompt,
      input: `${extraText}\u0001${prefix}\u0001${suffix}\u0001${prompt}`,
      promptTokens: extraWords + countWords(prefix) + countWords(suffix) + countWords(prompt),
    };
  },
  body: (reply) => JSON.stringify(finalObject(reply, reply.text)),
  stream: streamPlan,
};

export const llamacppHealthRoute: StaticRoute = {
  name: 'llamacpp.health',
  open: true,
  protocolFor: () => llamacppProtocol,
  respond: () => new WireReply(200, '{"status":"ok"}', 'application/json; charset=utf-8'),
};

/**
 * `POST /apply-template`: the model's chat template applied to `messages` (as for
 * `/v1/chat/completions`), returned as `{prompt}` without generating anything. The simulated
 * model's template is ChatML, ending with the opened assistant turn.
 */
export const llamacppApplyTemplateRoute: StaticRoute = {
  name: 'llamacpp.apply-template',
  protocolFor: () => llamacppProtocol,
  respond: (_headers, _context, _path, body) => {
    const messages = isObject(body) ? body.messages : undefined;
    if (!Array.isArray(messages) || !messages.every((m) => isObject(m) && typeof m.role === 'string')) {
      return llamacppProtocol.error(400, '"messages" must be an array of {role, content}');
    }
    let prompt = '';
    for (const message of messages as Array<Record<string, unknown>>) prompt += `<|im_start|>${message.role as string}\n${textOf(message.content)}<|im_end|>\n`;
    prompt += '<|im_start|>assistant\n';
    return new WireReply(200, JSON.stringify({ prompt }), 'application/json; charset=utf-8');
  },
};
