/**
 * A newline-delimited JSON splitter for raw body chunks (Ollama's streaming format): one JSON
 * value per line, lines ending in LF or CRLF, blank lines ignored, a last line without its
 * newline still counted. It yields the line text; the adapter parses it, so a line that is not
 * JSON becomes that adapter's protocol error.
 */
import { drainBody, type ChunkParser } from './drain-body';

/** A single line longer than this is not a stream of small JSON objects; stop buffering it. */
const MAX_PENDING_CHARS = 16 * 1024 * 1024;

export class NdjsonLineTooLongError extends Error {
  constructor() {
    super(`NDJSON line longer than ${MAX_PENDING_CHARS} characters`);
    this.name = 'NdjsonLineTooLongError';
  }
}

export class NdjsonSplitter implements ChunkParser<string> {
  private readonly decoder = new TextDecoder('utf-8');
  private pending = '';

  /** Feeds one body chunk and appends every complete, non-blank line to `out`. */
  push(chunk: Uint8Array | string, out: string[]): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    let start = 0;
    let newline = text.indexOf('\n');
    while (newline >= 0) {
      let line = text.slice(start, newline);
      if (this.pending.length > 0) {
        line = this.pending + line;
        this.pending = '';
      }
      this.emit(line, out);
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    if (start < text.length) {
      this.pending = this.pending.length > 0 ? this.pending + text.slice(start) : text.slice(start);
      if (this.pending.length > MAX_PENDING_CHARS) throw new NdjsonLineTooLongError();
    }
  }

  /** The body ended: a last line without a trailing newline still counts. */
  end(out: string[]): void {
    const rest = this.decoder.decode();
    const line = this.pending + rest;
    this.pending = '';
    this.emit(line, out);
  }

  private emit(line: string, out: string[]): void {
    let end = line.length;
    if (end > 0 && line.charCodeAt(end - 1) === 13) end--;
    // Skip blank (or whitespace-only) lines without allocating a trimmed copy.
    let first = 0;
    while (first < end && isSpace(line.charCodeAt(first))) first++;
    if (first === end) return;
    out.push(end === line.length ? line : line.slice(0, end));
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13;
}

/** Yields the non-blank lines of a body (an undici body or any async iterable of chunks). */
export function readNdjsonLines(body: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  return drainBody(body, new NdjsonSplitter());
}
