/**
 * The canonical model ↔ Ollama's native API (`/api/chat`, `/api/generate`, `/api/tags`).
 * Differences from OpenAI that matter: sampling goes in `options` with Ollama's names
 * (`num_predict` for max tokens), images are bare base64 strings beside the text, tool call
 * arguments are JSON objects (not strings) and carry no ids, a tool result names its tool with
 * `tool_name`, and the counts are `prompt_eval_count` / `eval_count`.
 */
import { randomUUID } from 'node:crypto';
import type { ChatMessage, FinishReason, GatewayRequest, ModelFacts, ModelInfo, SamplingParams, ToolCall, UpstreamTimings } from '../../shared/gateway';
import { GatewayError } from '../core/errors';
import { asObject, asString, nonEmpty, requireMessages, toolCallArguments, type JsonObject } from './json-payload';
import { guessFim } from './model-hints';
import { protocolError } from './upstream-errors';

function options(p: SamplingParams): JsonObject {
  return {
    temperature: p.temperature,
    top_p: p.top_p,
    top_k: p.top_k,
    min_p: p.min_p,
    seed: p.seed,
    num_predict: p.max_tokens,
    stop: nonEmpty(p.stop),
    repeat_penalty: p.repeat_penalty,
    presence_penalty: p.presence_penalty,
    frequency_penalty: p.frequency_penalty,
  };
}

/** OpenAI `response_format` → Ollama `format`: `"json"` or a JSON schema. */
function formatOf(responseFormat: unknown): unknown {
  const format = asObject(responseFormat);
  if (format?.type === 'json_object') return 'json';
  if (format?.type === 'json_schema') return asObject(format.json_schema)?.schema;
  return undefined;
}

/** OpenAI `reasoning_effort` → Ollama `think` (a level for models that take one, `false` for none). */
function thinkOf(effort: string | undefined): boolean | string | undefined {
  if (effort === undefined) return undefined;
  if (effort === 'none') return false;
  return effort === 'low' || effort === 'medium' || effort === 'high' ? effort : undefined;
}

const DATA_URL_BASE64 = ';base64,';

function chatMessages(messages: ChatMessage[]): JsonObject[] {
  let toolNames: Map<string, string> | undefined;
  const out: JsonObject[] = new Array(messages.length);
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    let content = '';
    let images: string[] | undefined;
    if (typeof message.content === 'string') {
      content = message.content;
    } else if (message.content !== null) {
      for (const part of message.content) {
        if (part.type === 'text') {
          content += part.text;
          continue;
        }
        const url = part.image_url.url;
        const at = url.startsWith('data:') ? url.indexOf(DATA_URL_BASE64) : -1;
        if (at < 0) throw new GatewayError('unsupported', 'Ollama takes images only as base64 data URLs', { param: 'messages' });
        (images ??= []).push(url.slice(at + DATA_URL_BASE64.length));
      }
    }
    let toolCalls: JsonObject[] | undefined;
    if (message.tool_calls !== undefined && message.tool_calls.length > 0) {
      toolNames ??= new Map();
      toolCalls = message.tool_calls.map((call) => {
        toolNames!.set(call.id, call.function.name);
        return { function: { name: call.function.name, arguments: toolCallArguments(call) } };
      });
    }
    const toolName = message.role === 'tool' ? (message.name ?? (message.tool_call_id !== undefined ? toolNames?.get(message.tool_call_id) : undefined)) : undefined;
    out[i] = {
      role: message.role === 'developer' ? 'system' : message.role,
      content,
      images,
      tool_calls: toolCalls,
      tool_name: toolName,
    };
  }
  return out;
}

export function chatBody(request: GatewayRequest, model: string, stream: boolean): JsonObject {
  return {
    model,
    messages: chatMessages(requireMessages(request)),
    stream,
    tools: nonEmpty(request.tools),
    format: formatOf(request.response_format),
    options: options(request.params),
    keep_alive: request.keepAlive,
    think: thinkOf(request.params.reasoning_effort),
  };
}

/** `/api/generate`; `extraContext` (llama.cpp's `input_extra`) has no field here and is not sent. */
export function generateBody(request: GatewayRequest, model: string, stream: boolean): JsonObject {
  return {
    model,
    prompt: request.prompt ?? '',
    suffix: request.suffix,
    system: request.system,
    raw: request.raw,
    stream,
    format: formatOf(request.response_format),
    options: options(request.params),
    keep_alive: request.keepAlive,
    think: thinkOf(request.params.reasoning_effort),
  };
}

/** Ollama gives tool calls no ids; OpenAI clients need one to answer with a tool result. */
export function toolCallOf(raw: unknown): ToolCall | undefined {
  const fn = asObject(asObject(raw)?.function);
  const name = asString(fn?.name);
  if (fn === undefined || name === undefined) return undefined;
  const args = fn.arguments;
  return {
    id: `call_${randomUUID().replaceAll('-', '').slice(0, 24)}`,
    type: 'function',
    function: { name, arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) },
  };
}

/** `done_reason` → finish reason; a turn that called tools finishes with `tool_calls`. */
export function finishReasonOf(doneReason: unknown, calledTools: boolean): FinishReason {
  if (doneReason === 'length') return 'length';
  return calledTools ? 'tool_calls' : 'stop';
}

/** `GET /api/tags`: `{"models": [{"name": "llama3.2:latest", "model": ..., "details": {...}}]}`. */
export function modelsOf(provider: string, body: JsonObject): ModelInfo[] {
  const list = body.models;
  if (!Array.isArray(list)) throw protocolError(provider, 'the tag list has no models array');
  const models: ModelInfo[] = [];
  for (const item of list) {
    const model = asObject(item);
    const id = asString(model?.name) ?? asString(model?.model);
    if (id === undefined) continue;
    const facts = factsOf(model!);
    models.push(facts === undefined ? { id, provider, fim: guessFim(id) } : { id, provider, fim: guessFim(id), facts });
  }
  return models;
}

/** Size, digest, date and details of a tag, as Ollama listed them; what it left out stays out. */
function factsOf(model: JsonObject): ModelFacts | undefined {
  const facts: ModelFacts = {};
  if (typeof model.size === 'number') facts.sizeBytes = model.size;
  const digest = asString(model.digest);
  if (digest !== undefined) facts.digest = digest;
  const modifiedAt = asString(model.modified_at);
  if (modifiedAt !== undefined) facts.modifiedAt = modifiedAt;
  const details = asObject(model.details);
  if (details !== undefined) {
    const families = Array.isArray(details.families) ? details.families.filter((f): f is string => typeof f === 'string') : null;
    facts.details = {
      parentModel: asString(details.parent_model) ?? '',
      format: asString(details.format) ?? '',
      family: asString(details.family) ?? '',
      families,
      parameterSize: asString(details.parameter_size) ?? '',
      quantizationLevel: asString(details.quantization_level) ?? '',
    };
  }
  return Object.keys(facts).length > 0 ? facts : undefined;
}

/** The durations Ollama puts on its final object (nanoseconds), for the Ollama door to pass on. */
export function timingsOf(final: JsonObject): UpstreamTimings | undefined {
  const timings: UpstreamTimings = {};
  if (typeof final.total_duration === 'number') timings.totalNs = final.total_duration;
  if (typeof final.load_duration === 'number') timings.loadNs = final.load_duration;
  if (typeof final.prompt_eval_duration === 'number') timings.promptEvalNs = final.prompt_eval_duration;
  if (typeof final.eval_duration === 'number') timings.evalNs = final.eval_duration;
  return Object.keys(timings).length > 0 ? timings : undefined;
}
