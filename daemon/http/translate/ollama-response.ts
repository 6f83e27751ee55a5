import type { FinishReason, GatewayResponse, StreamEvent, ToolCall, UpstreamTimings, Usage } from '../../../shared/gateway';
import type { OllamaErrorBody } from '../../../shared/protocol/ollama';
import { GatewayError } from '../../core/errors';

/** Ollama reports why generation stopped as `done_reason`: `stop` or `length` (tool calls end with `stop`). */
function doneReason(reason: FinishReason): string {
  return reason === 'length' ? 'length' : 'stop';
}

function ollamaToolCalls(calls: ToolCall[]): { function: { name: string; arguments: unknown } }[] {
  return calls.map((call) => ({ function: { name: call.function.name, arguments: parseArguments(call.function.arguments) } }));
}

function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

/** Where the durations of a reply come from. */
export interface DurationSource {
  /** `performance.now()` when the door received the request. */
  startedAt: number;
  /** `performance.now()` of the first token, for a stream. */
  firstTokenAt?: number;
  /** The upstream's own durations (Ollama, llama.cpp's native routes), unless the reply came from the cache. */
  timings?: UpstreamTimings;
}

/** Nanoseconds, never 0 for a time that passed: a client dividing tokens by it must not get Infinity. */
function ns(ms: number): number {
  return Math.max(1, Math.round(ms * 1e6));
}

/**
 * The timing and token fields Ollama puts on its final object (durations in nanoseconds): the
 * upstream's own when it reported them, else measured here. A stream splits at its first token
 * (prompt evaluation before, generation after). A whole reply from an upstream that reports no
 * timings cannot be split: both durations are then the whole time, an upper bound for each,
 * so the rates a client computes from them are lower bounds.
 */
function finalFields(usage: Usage | undefined, source: DurationSource) {
  const now = performance.now();
  const total = ns(now - source.startedAt);
  const counts = { prompt_eval_count: usage?.promptTokens ?? 0, eval_count: usage?.completionTokens ?? 0 };
  const timings = source.timings;
  if (timings?.evalNs !== undefined) {
    return {
      total_duration: Math.max(total, timings.totalNs ?? 0),
      load_duration: timings.loadNs ?? 0,
      prompt_eval_count: counts.prompt_eval_count,
      prompt_eval_duration: timings.promptEvalNs ?? 0,
      eval_count: counts.eval_count,
      eval_duration: timings.evalNs,
    };
  }
  const firstTokenAt = source.firstTokenAt;
  return {
    total_duration: total,
    load_duration: 0,
    prompt_eval_count: counts.prompt_eval_count,
    prompt_eval_duration: firstTokenAt === undefined ? total : ns(firstTokenAt - source.startedAt),
    eval_count: counts.eval_count,
    eval_duration: firstTokenAt === undefined ? total : ns(now - firstTokenAt),
  };
}

export function chatResponseToOllama(response: GatewayResponse, model: string, source: DurationSource) {
  const message: Record<string, unknown> = { role: 'assistant', content: response.text };
  if (response.toolCalls && response.toolCalls.length > 0) message.tool_calls = ollamaToolCalls(response.toolCalls);
  return {
    model,
    created_at: new Date().toISOString(),
    message,
    done_reason: doneReason(response.finishReason),
    done: true,
    ...finalFields(response.usage, source),
  };
}

export function generateResponseToOllama(response: GatewayResponse, model: string, source: DurationSource) {
  return {
    model,
    created_at: new Date().toISOString(),
    response: response.text,
    done: true,
    done_reason: doneReason(response.finishReason),
    ...finalFields(response.usage, source),
  };
}

export interface OllamaStreamOptions {
  kind: 'chat' | 'generate';
  model: string;
  startedAt: number;
  /** Whether the end event's upstream timings describe this reply (not when it is replayed from the cache). */
  upstreamTimings: boolean;
  errorBody: (error: unknown) => OllamaErrorBody;
}

/**
 * Renders gateway stream events as Ollama NDJSON: one object per chunk with `done: false`,
 * then the final object with `done: true`, `done_reason` and the token counts. An upstream
 * that dies part-way ends the stream with `{"error": ...}`, as Ollama itself does.
 */
export async function* ollamaStreamLines(events: AsyncIterable<StreamEvent>, options: OllamaStreamOptions): AsyncGenerator<string> {
  const modelJson = JSON.stringify(options.model);
  const toolCalls: ToolCall[] = [];
  let firstTokenAt: number | undefined;
  try {
    for await (const event of events) {
      if (event.type === 'text') {
        firstTokenAt ??= performance.now();
        const createdAt = new Date().toISOString();
        const text = JSON.stringify(event.text);
        yield options.kind === 'chat'
          ? `{"model":${modelJson},"created_at":"${createdAt}","message":{"role":"assistant","content":${text}},"done":false}\n`
          : `{"model":${modelJson},"created_at":"${createdAt}","response":${text},"done":false}\n`;
      } else if (event.type === 'tool_call') {
        firstTokenAt ??= performance.now();
        const existing = toolCalls[event.index];
        if (existing) existing.function.arguments += event.argumentsDelta;
        else toolCalls[event.index] = { id: event.id ?? '', type: 'function', function: { name: event.name ?? '', arguments: event.argumentsDelta } };
      } else {
        const final: Record<string, unknown> = { model: options.model, created_at: new Date().toISOString() };
        if (options.kind === 'chat') {
          const message: Record<string, unknown> = { role: 'assistant', content: '' };
          const calls = toolCalls.filter(Boolean);
          if (calls.length > 0) message.tool_calls = ollamaToolCalls(calls);
          final.message = message;
        } else {
          final.response = '';
        }
        final.done = true;
        final.done_reason = doneReason(event.finishReason);
        const timings = options.upstreamTimings ? event.timings : undefined;
        Object.assign(final, finalFields(event.usage, { startedAt: options.startedAt, firstTokenAt: firstTokenAt ?? performance.now(), timings }));
        yield `${JSON.stringify(final)}\n`;
        return;
      }
    }
  } catch (error) {
    yield `${JSON.stringify(options.errorBody(error))}\n`;
    return;
  }
  yield `${JSON.stringify(options.errorBody(new GatewayError('upstreamProtocol', 'The upstream stream ended without finishing.')))}\n`;
}
