import type { FinishReason, GatewayResponse, StreamEvent, ToolCall, Usage } from '../../../shared/gateway';
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

/** The timing and token fields Ollama puts on its final object (durations in nanoseconds). */
function finalFields(usage: Usage | undefined, startedAt: number, firstTokenAt: number | undefined) {
  const now = performance.now();
  const total = Math.round((now - startedAt) * 1e6);
  const evalDuration = firstTokenAt === undefined ? 0 : Math.round((now - firstTokenAt) * 1e6);
  return {
    total_duration: total,
    load_duration: 0,
    prompt_eval_count: usage?.promptTokens ?? 0,
    prompt_eval_duration: Math.max(0, total - evalDuration),
    eval_count: usage?.completionTokens ?? 0,
    eval_duration: evalDuration,
  };
}

export function chatResponseToOllama(response: GatewayResponse, model: string, startedAt: number) {
  const message: Record<string, unknown> = { role: 'assistant', content: response.text };
  if (response.toolCalls && response.toolCalls.length > 0) message.tool_calls = ollamaToolCalls(response.toolCalls);
  return {
    model,
    created_at: new Date().toISOString(),
    message,
    done_reason: doneReason(response.finishReason),
    done: true,
    ...finalFields(response.usage, startedAt, undefined),
  };
}

export function generateResponseToOllama(response: GatewayResponse, model: string, startedAt: number) {
  return {
    model,
    created_at: new Date().toISOString(),
    response: response.text,
    done: true,
    done_reason: doneReason(response.finishReason),
    ...finalFields(response.usage, startedAt, undefined),
  };
}

export interface OllamaStreamOptions {
  kind: 'chat' | 'generate';
  model: string;
  startedAt: number;
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
        Object.assign(final, finalFields(event.usage, options.startedAt, firstTokenAt));
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
