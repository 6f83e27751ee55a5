/** A parser of raw body chunks that appends whatever each chunk completes to `out`. */
export interface ChunkParser<T> {
  push(chunk: Uint8Array | string, out: T[]): void;
  /** The body ended: appends what the last bytes complete. */
  end(out: T[]): void;
}

/**
 * Yields what `parser` makes of a body (an undici body or any async iterable of chunks). One
 * output array is reused for every chunk, so a chunk that completes nothing costs no allocation.
 */
export async function* drainBody<T>(body: AsyncIterable<Uint8Array | string>, parser: ChunkParser<T>): AsyncGenerator<T> {
  const out: T[] = [];
  for await (const chunk of body) {
    parser.push(chunk, out);
    if (out.length === 0) continue;
    for (let i = 0; i < out.length; i++) yield out[i]!;
    out.length = 0;
  }
  parser.end(out);
  for (let i = 0; i < out.length; i++) yield out[i]!;
}
