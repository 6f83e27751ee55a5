import { countWords } from '../deterministic-text';
import { finalObject, loadedReply, NDJSON, ollamaProtocol, progressLine, readCommon, STREAM_ERROR_LINE } from './ollama-protocol';
import type { GenerationRoute, ParsedGeneration, StreamPlan } from './types';

/** `POST /api/generate`: `prompt`, `suffix` (fill-in-the-middle), `system`, `raw`, `options`. */

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

  body: (reply) => finalObject(reply, 'response', reply.text),

  stream(reply): StreamPlan {
    return {
      frameCount: reply.pieces.length,
      head() {
        return '';
      },
      frame(index) {
        return progressLine(reply, 'response', reply.pieces[index]!);
      },
      tail() {
        return finalObject(reply, 'response', '') + '\n';
      },
      errorFrame() {
        return STREAM_ERROR_LINE;
      },
    };
  },
};
