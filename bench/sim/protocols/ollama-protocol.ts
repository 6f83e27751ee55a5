import { hashText } from '../random';
import { bearerToken, isObject } from './input';
import { WireReply, type Protocol, type Reply, type RouteContext, type StaticRoute } from './types';

/** Ollama's native API: errors are `{"error": "..."}`, streams are NDJSON, durations are nanoseconds. */

export const NDJSON = 'application/x-ndjson';

export const ollamaProtocol: Protocol = {
  name: 'ollama',
  error(status, message) {
    return new WireReply(status, JSON.stringify({ error: message }), 'application/json; charset=utf-8');
  },
  hasKey(headers, apiKey) {
    return bearerToken(headers.authorization) === apiKey;
  },
};

/** Ollama names carry a tag; `sim-chat` and `sim-chat:latest` are the same model. */
export function findModel(context: RouteContext, requested: string): string | undefined {
  const bare = requested.endsWith(':latest') ? requested.slice(0, -':latest'.length) : requested;
  return context.models.find((model) => model === requested || model === bare);
}

export function tagged(model: string): string {
  return model.includes(':') ? model : `${model}:latest`;
}

/** Checks `model`, `stream` and `options` as Ollama does; returns the error reply or the parsed basics. */
export function readCommon(body: unknown, context: RouteContext):
  | WireReply
  | { request: Record<string, unknown>; model: string; stream: boolean; maxTokens: number | undefined; stop: string[]; requestSeed: number | undefined } {
  if (!isObject(body)) return ollamaProtocol.error(400, 'invalid request body: expected a JSON object');
  if (body.model === undefined || body.model === '') return ollamaProtocol.error(400, 'model is required');
  if (typeof body.model !== 'string') return ollamaProtocol.error(400, 'json: cannot unmarshal model: expected a string');
  if (findModel(context, body.model) === undefined) {
    return ollamaProtocol.error(404, `model "${body.model}" not found, try pulling it first`);
  }
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') {
    return ollamaProtocol.error(400, 'json: cannot unmarshal stream: expected a boolean');
  }
  const options = body.options ?? {};
  if (!isObject(options)) return ollamaProtocol.error(400, 'json: cannot unmarshal options: expected an object');
  const numPredict = options.num_predict;
  if (numPredict !== undefined && (typeof numPredict !== 'number' || !Number.isInteger(numPredict))) {
    return ollamaProtocol.error(400, 'json: cannot unmarshal num_predict: expected an integer');
  }
  const stop = options.stop ?? [];
  if (!Array.isArray(stop) || !stop.every((item) => typeof item === 'string')) {
    return ollamaProtocol.error(400, 'json: cannot unmarshal stop: expected an array of strings');
  }
  return {
    request: body,
    model: body.model,
    stop: stop as string[],
    requestSeed: typeof options.seed === 'number' ? options.seed : undefined,
    // Ollama streams unless told not to.
    stream: body.stream !== false,
    // -1 (the default) is unlimited, -2 fills the context; both mean no cap here.
    maxTokens: numPredict !== undefined && numPredict >= 0 ? numPredict : undefined,
  };
}

function ns(ms: number): number {
  return Math.max(0, Math.round(ms * 1e6));
}

/** The statistics Ollama puts on the final object, in nanoseconds. */
export function finalStats(reply: Reply): Record<string, number | string> {
  const now = performance.now();
  const { receivedAt, startedAt, firstTokenAt } = reply.timing;
  return {
    done_reason: reply.finish === 'length' ? 'length' : 'stop',
    total_duration: ns(now - receivedAt),
    load_duration: ns(startedAt - receivedAt),
    prompt_eval_count: reply.promptTokens,
    prompt_eval_duration: ns(firstTokenAt - startedAt),
    eval_count: reply.completionTokens,
    eval_duration: ns(now - firstTokenAt),
  };
}

type ReplyField = 'message' | 'response';

/** One streamed object before the last: `/api/chat` carries a `message`, `/api/generate` a `response`. */
export function progressLine(reply: Reply, field: ReplyField, value: unknown): string {
  return JSON.stringify({ model: reply.request.model, created_at: new Date().toISOString(), [field]: value, done: false }) + '\n';
}

/** The `done: true` object with the statistics: a whole reply, or the last line of a stream. */
export function finalObject(reply: Reply, field: ReplyField, value: unknown): string {
  return JSON.stringify({ model: reply.request.model, created_at: new Date().toISOString(), [field]: value, done: true, ...finalStats(reply) });
}

/** What Ollama sends when the runner fails mid-stream (the `stream-error` fault). */
export const STREAM_ERROR_LINE = JSON.stringify({ error: 'an error was encountered while running the model: unexpected EOF (simulated)' }) + '\n';

/** What `/api/chat` and `/api/generate` send for an empty input: the model was loaded, nothing generated. */
export function loadedReply(model: string, field: ReplyField): WireReply {
  const value = field === 'message' ? { role: 'assistant', content: '' } : '';
  const body = { model, created_at: new Date().toISOString(), [field]: value, done_reason: 'load', done: true };
  return new WireReply(200, JSON.stringify(body), 'application/json; charset=utf-8');
}

export function isFimModel(model: string): boolean {
  return /coder|code|fim/i.test(model);
}

function digestOf(model: string): string {
  let hex = '';
  for (let i = 0; hex.length < 64; i++) hex += hashText(model, i).toString(16).padStart(8, '0');
  return hex.slice(0, 64);
}

const DETAILS = { parent_model: '', format: 'gguf', family: 'llama', families: ['llama'], parameter_size: '7B', quantization_level: 'Q4_K_M' };

export const ollamaTagsRoute: StaticRoute = {
  name: 'ollama.tags',
  protocolFor: () => ollamaProtocol,
  respond(_headers, context) {
    const models = context.models.map((model) => ({
      name: tagged(model),
      model: tagged(model),
      modified_at: '2026-01-01T00:00:00Z',
      size: 4_109_865_159,
      digest: digestOf(model),
      details: DETAILS,
    }));
    return new WireReply(200, JSON.stringify({ models }), 'application/json; charset=utf-8');
  },
};

/** `GET /api/ps`: every simulated model counts as loaded, fully in VRAM, for five more minutes. */
export const ollamaPsRoute: StaticRoute = {
  name: 'ollama.ps',
  protocolFor: () => ollamaProtocol,
  respond(_headers, context) {
    const expiresAt = new Date(Date.now() + 5 * 60_000).toISOString();
    const models = context.models.map((model) => ({
      name: tagged(model),
      model: tagged(model),
      size: 4_109_865_159,
      digest: digestOf(model),
      details: DETAILS,
      expires_at: expiresAt,
      size_vram: 4_109_865_159,
      context_length: 8192,
    }));
    return new WireReply(200, JSON.stringify({ models }), 'application/json; charset=utf-8');
  },
};

export const ollamaVersionRoute: StaticRoute = {
  name: 'ollama.version',
  protocolFor: () => ollamaProtocol,
  respond: () => new WireReply(200, JSON.stringify({ version: '0.12.6' }), 'application/json; charset=utf-8'),
};

export const ollamaRootRoute: StaticRoute = {
  name: 'ollama.root',
  open: true,
  protocolFor: () => ollamaProtocol,
  respond: () => new WireReply(200, 'Ollama is running', 'text/plain; charset=utf-8'),
};

/** `POST /api/show` (capabilities tell a client whether the model does fill-in-the-middle: `insert`). */
export function showModel(body: unknown, context: RouteContext): WireReply {
  const name = isObject(body) ? (body.model ?? body.name) : undefined;
  if (typeof name !== 'string' || name === '') return ollamaProtocol.error(400, 'model is required');
  const model = findModel(context, name);
  if (model === undefined) return ollamaProtocol.error(404, `model '${name}' not found`);
  const capabilities = isFimModel(model) ? ['completion', 'tools', 'insert'] : ['completion', 'tools'];
  const show = {
    license: '',
    modelfile: `FROM ${tagged(model)}\n`,
    parameters: 'temperature 0.8',
    template: isFimModel(model) ? '{{- if .Suffix }}<PRE> {{ .Prompt }} <SUF>{{ .Suffix }} <MID>{{- else }}{{ .Prompt }}{{- end }}' : '{{ .Prompt }}',
    details: DETAILS,
    model_info: { 'general.architecture': 'llama', 'llama.context_length': 8192 },
    capabilities,
    modified_at: '2026-01-01T00:00:00Z',
  };
  return new WireReply(200, JSON.stringify(show), 'application/json; charset=utf-8');
}

export const ollamaShowRoute: StaticRoute = {
  name: 'ollama.show',
  protocolFor: () => ollamaProtocol,
  respond: (_headers, context, _path, body) => showModel(body, context),
};
