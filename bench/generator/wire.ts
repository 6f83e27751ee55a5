/**
 * What the generator sends and how it reads replies, per wire shape. Bodies are built once
 * per model; replies are read with as little parsing as the figures need (token counts
 * from the provider's usage, content chunks for streamed replies).
 */
export type WireApi = 'openai' | 'ollama';

export interface WireRequest {
  path: string;
  body: Buffer;
}

const PROMPT = 'Write one short sentence about railway switchyards.';

export function buildWireRequest(api: WireApi, model: string, stream: boolean, maxTokens: number): WireRequest {
  if (api === 'ollama') {
    const body = { model, messages: [{ role: 'user', content: PROMPT }], stream, options: { num_predict: maxTokens } };
    return { path: '/api/chat', body: Buffer.from(JSON.stringify(body)) };
  }
  const body: Record<string, unknown> = { model, messages: [{ role: 'user', content: PROMPT }], max_tokens: maxTokens, stream };
  if (stream) body.stream_options = { include_usage: true };
  return { path: '/v1/chat/completions', body: Buffer.from(JSON.stringify(body)) };
}

/** Reads a whole (non-streamed) reply. Returns output tokens, or null when the body is not the protocol. */
export function readWholeReply(api: WireApi, text: string): number | null {
  if (api === 'ollama') {
    if (!text.includes('"message"')) return null;
    const m = /"eval_count"\s*:\s*(\d+)/.exec(text);
    return m ? Number(m[1]) : 0;
  }
  if (!text.includes('"choices"')) return null;
  const m = /"completion_tokens"\s*:\s*(\d+)/.exec(text);
  return m ? Number(m[1]) : 0;
}

export interface StreamEvents {
  /** A chunk carrying output text arrived. */
  onContent(): void;
  onUsage(outputTokens: number): void;
}

/** Incremental reader of an SSE (OpenAI) or NDJSON (Ollama) stream. */
export class StreamReader {
  private pending = '';
  done = false;
  malformed = false;

  constructor(
    private readonly api: WireApi,
    private readonly events: StreamEvents,
  ) {}

  push(chunk: string): void {
    const text = this.pending + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl !== -1; nl = text.indexOf('\n', start)) {
      this.readLine(text.slice(start, nl).trim());
      start = nl + 1;
    }
    this.pending = text.slice(start);
  }

  end(): void {
    if (this.pending.trim()) this.readLine(this.pending.trim());
    this.pending = '';
  }

  private readLine(line: string): void {
    if (!line) return;
    if (this.api === 'openai') {
      if (!line.startsWith('data:')) return; // comments, event names, ids
      const data = line.slice(5).trim();
      if (data === '[DONE]') {
        this.done = true;
        return;
      }
      const event = this.parse(data) as { choices?: { delta?: { content?: string | null } }[]; usage?: { completion_tokens?: number } | null } | undefined;
      if (!event) return;
      if (event.choices?.[0]?.delta?.content) this.events.onContent();
      if (event.usage?.completion_tokens !== undefined) this.events.onUsage(event.usage.completion_tokens);
      return;
    }
    const event = this.parse(line) as { message?: { content?: string }; response?: string; done?: boolean; eval_count?: number } | undefined;
    if (!event) return;
    if (event.message?.content || event.response) this.events.onContent();
    if (event.done) {
      this.done = true;
      if (event.eval_count !== undefined) this.events.onUsage(event.eval_count);
    }
  }

  private parse(text: string): unknown {
    try {
      return JSON.parse(text);
    } catch {
      this.malformed = true;
      return undefined;
    }
  }
}
