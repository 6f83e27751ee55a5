import { bearerToken, isObject } from './input';
import type { ToolForcing } from './tool-call';
import { WireReply, type ParsedGeneration, type Protocol, type Reply, type RouteContext, type ToolChoice } from './types';

/** OpenAI's error object: `{"error": {"message", "type", "param", "code"}}`. */
function errorType(status: number): string {
  if (status === 429) return 'requests';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

export const openaiProtocol: Protocol = {
  name: 'openai',
  error(status, message, code, param) {
    const body = JSON.stringify({ error: { message, type: errorType(status), param: param ?? null, code: code ?? null } });
    return new WireReply(status, body);
  },
  hasKey(headers, apiKey) {
    return bearerToken(headers.authorization) === apiKey;
  },
};

/** A chat or legacy completion request: both may ask for a usage chunk at the end of a stream. */
export interface OpenAIGeneration extends ParsedGeneration {
  includeUsage: boolean;
}

export function openaiUsage(reply: Reply) {
  return { prompt_tokens: reply.promptTokens, completion_tokens: reply.completionTokens, total_tokens: reply.promptTokens + reply.completionTokens };
}

/** `finish_reason` as JSON: `null` until the last chunk. */
export function finishJson(finish: string | null): string {
  return finish === null ? 'null' : `"${finish}"`;
}

/**
 * The `data:` chunks of a streamed chat or legacy completion. Every chunk shares one envelope
 * (`id`, `object`, `created`, `model`), built once per reply; `choice` is one choice's JSON.
 */
export function openaiChunks(reply: Reply<OpenAIGeneration>, id: string, object: string) {
  const prefix = `data: {"id":"${id}","object":"${object}","created":${reply.created},` +
    `"model":${JSON.stringify(reply.request.model)},"system_fingerprint":"fp_sim","choices":[`;
  const suffix = reply.request.includeUsage ? '],"usage":null}\n\n' : ']}\n\n';
  return {
    chunk(choice: string): string {
      return prefix + choice + suffix;
    },
    /** The chunk of the last choice, then the usage chunk when the request asked for one, then `[DONE]`. */
    end(choice: string): string {
      let tail = prefix + choice + suffix;
      if (reply.request.includeUsage) tail += `${prefix}],"usage":${JSON.stringify(openaiUsage(reply))}}\n\n`;
      return tail + 'data: [DONE]\n\n';
    },
  };
}

/** The in-band error of an OpenAI stream (the `stream-error` fault). */
export const OPENAI_STREAM_ERROR_FRAME =
  `data: ${openaiProtocol.error(500, 'The server had an error while processing your request (simulated).', 'server_error').body}\n\n`;

export function modelNotFound(model: string): WireReply {
  return openaiProtocol.error(404, `The model \`${model}\` does not exist or you do not have access to it.`, 'model_not_found');
}

/** Checks the fields every OpenAI generation request shares; returns the error the API would send. */
export function checkCommon(body: unknown, context: RouteContext): WireReply | undefined {
  if (!isObject(body)) return openaiProtocol.error(400, 'The request body must be a JSON object.', 'invalid_type');
  if (body.model === undefined) return openaiProtocol.error(400, 'you must provide a model parameter');
  if (typeof body.model !== 'string') {
    return openaiProtocol.error(400, `Invalid type for 'model': expected a string, but got ${typeof body.model} instead.`, 'invalid_type', 'model');
  }
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') {
    return openaiProtocol.error(400, `Invalid type for 'stream': expected a boolean, but got ${typeof body.stream} instead.`, 'invalid_type', 'stream');
  }
  if (body.stream_options !== undefined && body.stream_options !== null && body.stream !== true) {
    return openaiProtocol.error(400, "The 'stream_options' parameter is only allowed when 'stream' is enabled.", 'invalid_value', 'stream_options');
  }
  if (!context.models.includes(body.model)) return modelNotFound(body.model);
  return undefined;
}

/** OpenAI's `stop`: a string or up to four strings. */
export function readStop(stop: unknown): string[] | WireReply {
  if (stop === undefined || stop === null) return [];
  if (typeof stop === 'string') return [stop];
  if (Array.isArray(stop) && stop.length <= 4 && stop.every((item) => typeof item === 'string')) return stop as string[];
  return openaiProtocol.error(400, "Invalid 'stop': expected a string or an array of at most 4 strings.", 'invalid_value', 'stop');
}

export function includeUsage(body: Record<string, unknown>): boolean {
  return isObject(body.stream_options) && body.stream_options.include_usage === true;
}

/** The function tools a chat request offers (`[{type:'function', function:{name, parameters}}]`). */
export function readTools(tools: unknown): ToolChoice[] | WireReply {
  if (tools === undefined || tools === null) return [];
  if (!Array.isArray(tools)) return openaiProtocol.error(400, "Invalid type for 'tools': expected an array.", 'invalid_type', 'tools');
  const read: ToolChoice[] = [];
  for (const [index, tool] of tools.entries()) {
    if (!isObject(tool) || !isObject(tool.function) || typeof tool.function.name !== 'string') {
      return openaiProtocol.error(400, `Missing required parameter: 'tools[${index}].function.name'.`, 'missing_required_parameter', `tools[${index}].function.name`);
    }
    read.push({ name: tool.function.name, schema: tool.function.parameters });
  }
  return read;
}

export function readToolChoice(choice: unknown): ToolForcing {
  if (choice === 'none') return { mode: 'none' };
  if (choice === 'required') return { mode: 'any' };
  if (isObject(choice) && isObject(choice.function) && typeof choice.function.name === 'string') {
    return { mode: 'named', name: choice.function.name };
  }
  return { mode: 'auto' };
}

/** `GET /v1/models` and `GET /v1/models/{id}` in OpenAI's shape (also what llama.cpp's server lists). */
export function openaiModelList(context: RouteContext, path: string): WireReply {
  const entry = (id: string) => ({ id, object: 'model', created: 1735689600, owned_by: 'switchyard-sim' });
  const id = path.startsWith('/v1/models/') ? decodeURIComponent(path.slice('/v1/models/'.length)) : undefined;
  if (id === undefined) return new WireReply(200, JSON.stringify({ object: 'list', data: context.models.map(entry) }));
  return context.models.includes(id) ? new WireReply(200, JSON.stringify(entry(id))) : modelNotFound(id);
}
