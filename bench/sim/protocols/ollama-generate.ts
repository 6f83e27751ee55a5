import { countWords } from '../deterministic-text';
import { finalStats, loadedReply, NDJSON, ollamaProtocol, readCommon } from './ollama-protocol';
import type { GenerationRoute, ParsedGeneration, Reply, StreamPlan } from './types';

/** `POST /api/generate`: `prompt`, `suffix` (fill-in-the-middle), `system`, `raw`, `options`. */

function line(reply: Reply, response: string): string {
  return JSON.stringify({ model: reply.request.model, created_at: new Date().toISOString(), response, done: false }) + '\n';
}

export const ollamaGenerateRoute: GenerationRoute = {
  name: 'ollama.generate',
  protocol: ollamaProtocol,
  streamContentType: NDJSON,

  parse(body, _headers, context) {
    const common = readCommon(body, context);
    if (!('request' in common)) return common;
    const { prompt = '', suffix = '', system = '', raw } = common.request;
    for (const [name, value] of [['prompt', prompt], ['suffix', suffix], ['system', system]] as const) {
      if (typeof value !== 'string') return ollamaProtocol.error(400, `json: cannot unmarshal ${name}: expected a string`);
    }
    if (raw !== undefined && typeof raw !== 'boolean') return ollamaProtocol.error(400, 'json: cannot unmarshal raw: expected a boolean');
    const [p, s, sys] = [prompt as string, suffix as string, system as string];
    if (p === '' && s === '') return loadedReply(common.model, 'response');
    // `raw` skips the model's template, and with it the system prompt.
    const used = raw === true ? '' : sys;
    return {
      model: common.model,
      stream: common.stream,
      input: `${used}\u0000${p}\u0000${s}`,
      promptTokens: countWords(used) + countWords(p) + countWords(s),
      maxTokens: common.maxTokens,
      stop: common.stop,
      requestSeed: common.requestSeed,
    } satisfies ParsedGeneration;
  },

  body(reply) {
    return JSON.stringify({
      model: reply.request.model,
      created_at: new Date().toISOString(),
      response: reply.text,
      done: true,
      ...finalStats(reply),
    });
  },

  stream(reply): StreamPlan {
    return {
      frameCount: reply.pieces.length,
      head: () => '',
      frame: (index) => line(reply, reply.pieces[index]!),
      tail: () => JSON.stringify({
        model: reply.request.model,
        created_at: new Date().toISOString(),
        response: '',
        done: true,
        ...finalStats(reply),
      }) + '\n',
      errorFrame: () => JSON.stringify({ error: 'an error was encountered while running the model: unexpected EOF (simulated)' }) + '\n',
    };
  },
};
