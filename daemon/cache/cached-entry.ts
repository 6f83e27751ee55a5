/**
 * What the cache stores for one key: the complete response and who produced it, plus
 * helpers to build one from a finished stream and to replay one as a GatewayResult.
 */
import { randomUUID } from 'node:crypto';
import type { FinishReason, GatewayResponse, StreamEvent, ToolCall, Usage } from '../../shared/gateway';
import type { CacheStatus, GatewayResult } from '../core/pipeline';

export interface CachedEntry {
  response: GatewayResponse;
  /** The provider and upstream model that served the original request. */
  provider: string;
  model: string;
  /** The key's resolved target (route or `provider/model` list), for invalidation by model. */
  target: string;
  /** Unix milliseconds when stored. */
  storedAt: number;
}

/** Approximate size in memory and on disk, for the byte bound. */
export function entryBytes(entry: CachedEntry, keyLength: number): number {
  let bytes = 256 + keyLength + entry.target.length + entry.response.text.length * 2;
  if (entry.response.toolCalls !== undefined) {
    for (const call of entry.response.toolCalls) bytes += 64 + (call.function.name.length + call.function.arguments.length) * 2;
  }
  return bytes;
}

/** A stored value from a store is trusted only if it has the shape of an entry. */
export function isCachedEntry(value: unknown): value is CachedEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Partial<CachedEntry>;
  const response = entry.response as Partial<GatewayResponse> | undefined;
  return (
    typeof entry.provider === 'string' &&
    typeof entry.model === 'string' &&
    typeof entry.target === 'string' &&
    typeof entry.storedAt === 'number' &&
    typeof response === 'object' &&
    response !== null &&
    typeof response.text === 'string' &&
    typeof response.finishReason === 'string' &&
    typeof response.usage === 'object' &&
    response.usage !== null
  );
}

/**
 * Gathers a stream's events into the response it amounts to. Returns undefined until the
 * `end` event arrives: a stream cut short is never a complete response.
 */
export class StreamAssembler {
  private text = '';
  private readonly toolCalls: ToolCall[] = [];
  private finish?: FinishReason;
  private usage?: Usage;
  private id?: string;

  add(event: StreamEvent): void {
    if (event.type === 'text') {
      this.text += event.text;
    } else if (event.type === 'tool_call') {
      let call = this.toolCalls[event.index];
      if (call === undefined) {
        call = { id: event.id ?? `call_${event.index}`, type: 'function', function: { name: event.name ?? '', arguments: '' } };
        this.toolCalls[event.index] = call;
      }
      if (event.id !== undefined) call.id = event.id;
      if (event.name !== undefined && call.function.name === '') call.function.name = event.name;
      call.function.arguments += event.argumentsDelta;
    } else {
      this.finish = event.finishReason;
      this.usage = event.usage;
      this.id = event.id;
    }
  }

  get complete(): boolean {
    return this.finish !== undefined;
  }

  /** The response, once complete; `estimate` gives usage when the stream reported none. */
  response(model: string, estimate: () => Usage): GatewayResponse | undefined {
    if (this.finish === undefined) return undefined;
    const toolCalls = this.toolCalls.filter((call) => call !== undefined);
    return {
      id: this.id ?? `chatcmpl-sy-${Date.now().toString(36)}`,
      model,
      created: Math.floor(Date.now() / 1000),
      text: this.text,
      ...(toolCalls.length > 0 ? { toolCalls } : {}),
      finishReason: this.finish,
      usage: this.usage ?? { ...estimate(), estimated: true },
    };
  }
}

/** A complete response as stream events: the text, each tool call, then the end. */
export function responseEvents(response: GatewayResponse): StreamEvent[] {
  const events: StreamEvent[] = [];
  if (response.text.length > 0) events.push({ type: 'text', text: response.text });
  response.toolCalls?.forEach((call, index) => {
    events.push({ type: 'tool_call', index, id: call.id, name: call.function.name, argumentsDelta: call.function.arguments });
  });
  events.push({
    type: 'end',
    finishReason: response.finishReason,
    usage: { promptTokens: response.usage.promptTokens, completionTokens: response.usage.completionTokens },
    id: response.id,
  });
  return events;
}

async function* replay(events: StreamEvent[]): AsyncGenerator<StreamEvent> {
  for (const event of events) yield event;
}

/**
 * The same answer as a new response: a fresh `id` (with the original's prefix, `chatcmpl` or
 * `cmpl`) and `created`. Clients keep messages by id (chat UIs, logs), so two requests must
 * never share one, even when the second is answered from the first.
 */
export function withFreshIdentity(response: GatewayResponse): GatewayResponse {
  const dash = response.id.indexOf('-');
  const prefix = dash > 0 ? response.id.slice(0, dash) : 'chatcmpl';
  return { ...response, id: `${prefix}-${randomUUID().replace(/-/g, '').slice(0, 24)}`, created: Math.floor(Date.now() / 1000) };
}

/** A stored or shared response replayed for another request, in the form the client asked for, under a fresh identity. */
export function resultFromResponse(
  response: GatewayResponse,
  stream: boolean,
  servedBy: { provider: string; model: string; attempts?: number },
  cache: CacheStatus,
): GatewayResult {
  const by = { provider: servedBy.provider, model: servedBy.model, attempts: servedBy.attempts ?? 0, cache };
  const replayed = withFreshIdentity(response);
  return stream ? { type: 'stream', events: replay(responseEvents(replayed)), servedBy: by } : { type: 'response', response: replayed, servedBy: by };
}
