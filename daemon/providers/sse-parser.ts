/**
 * A server-sent events parser that works on raw body chunks, as the WHATWG spec defines the
 * format: lines end in CRLF, LF or CR (a CRLF may be split across chunks), lines starting
 * with `:` are comments, `data:` lines of one event are joined with `\n`, a blank line
 * dispatches the event, and one space after the colon is dropped. UTF-8 sequences split
 * across chunks are decoded correctly. One extension: llama.cpp's `error:` lines (see below).
 */
import { drainBody, type ChunkParser } from './drain-body';

export interface SseEvent {
  /** The `event:` field, or `message` when the event had none. */
  event: string;
  data: string;
}

/** A single line longer than this is not an event stream; stop buffering it. */
const MAX_PENDING_CHARS = 16 * 1024 * 1024;

export class SseLineTooLongError extends Error {
  constructor() {
    super(`event stream line longer than ${MAX_PENDING_CHARS} characters`);
    this.name = 'SseLineTooLongError';
  }
}

export class SseParser implements ChunkParser<SseEvent> {
  /** Made on the first chunk of bytes: a parser fed text (a stream's events re-read) needs none. */
  private decoder: TextDecoder | undefined;
  private pending = '';
  private data = '';
  private hasData = false;
  private eventType = '';
  /** The previous chunk ended in CR: a LF starting the next chunk belongs to the same line end. */
  private endedWithCr = false;
  private started = false;

  /** Feeds one body chunk and appends every event it completes to `out`. */
  push(chunk: Uint8Array | string, out: SseEvent[]): void {
    let text = typeof chunk === 'string' ? chunk : (this.decoder ??= new TextDecoder('utf-8')).decode(chunk, { stream: true });
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.scan(text, out);
  }

  /** The body ended. Per the spec, an event without its closing blank line is discarded. */
  end(out: SseEvent[]): void {
    const rest = this.decoder?.decode() ?? '';
    if (rest.length > 0) this.scan(rest, out);
    if (this.pending.length > 0) {
      const line = this.pending;
      this.pending = '';
      this.processLine(line, out);
    }
    this.data = '';
    this.hasData = false;
  }

  private scan(text: string, out: SseEvent[]): void {
    const length = text.length;
    let start = 0;
    let i = 0;
    if (this.endedWithCr) {
      this.endedWithCr = false;
      if (length > 0 && text.charCodeAt(0) === 10) start = i = 1;
    }
    for (; i < length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      let line = text.slice(start, i);
      if (this.pending.length > 0) {
        line = this.pending + line;
        this.pending = '';
      }
      this.processLine(line, out);
      if (c === 13) {
        if (i + 1 < length) {
          if (text.charCodeAt(i + 1) === 10) i++;
        } else {
          this.endedWithCr = true;
        }
      }
      start = i + 1;
    }
    if (start < length) {
      this.pending = this.pending.length > 0 ? this.pending + text.slice(start) : text.slice(start);
      if (this.pending.length > MAX_PENDING_CHARS) throw new SseLineTooLongError();
    }
  }

  private processLine(line: string, out: SseEvent[]): void {
    if (line.length === 0) {
      if (this.hasData) out.push({ event: this.eventType.length > 0 ? this.eventType : 'message', data: this.data });
      this.data = '';
      this.hasData = false;
      this.eventType = '';
      return;
    }
    if (line.charCodeAt(0) === 58 /* : */) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = '';
    if (colon >= 0) value = line.charCodeAt(colon + 1) === 32 ? line.slice(colon + 2) : line.slice(colon + 1);
    if (field === 'data') {
      this.data = this.hasData ? this.data + '\n' + value : value;
      this.hasData = true;
    } else if (field === 'event') {
      this.eventType = value;
    } else if (field === 'error') {
      // Not in the spec, but llama.cpp's server reports a failure mid-stream as an `error: {...}`
      // line (then, on its OpenAI routes, `data: [DONE]`). Ignoring it would turn a failed
      // generation into a silently truncated one, so it becomes an event named `error`.
      this.eventType = 'error';
      this.data = this.hasData ? this.data + '\n' + value : value;
      this.hasData = true;
    }
    // `id` and `retry` only matter to a reconnecting EventSource; a proxied completion never reconnects.
  }
}

/** The events of a whole text (an event without its closing blank line is not one). */
export function sseEventsOf(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = new SseParser();
  parser.push(text, events);
  parser.end(events);
  return events;
}

/** Yields the events of a body (an undici body or any async iterable of chunks). */
export function readSseEvents(body: AsyncIterable<Uint8Array | string>): AsyncGenerator<SseEvent> {
  return drainBody(body, new SseParser());
}
