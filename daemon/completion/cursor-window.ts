/**
 * The text around the cursor that goes into a completion prompt.
 *
 * A local model spends most of a completion on reading the prompt, and llama.cpp, Ollama and
 * vLLM reuse the part of the prompt that matches the previous one. So the window must not
 * slide with every keystroke:
 * - the prefix starts at a fixed place in the document (a line start found from an offset
 *   rounded to `stepChars`), which moves only once the cursor has travelled a whole step, so
 *   consecutive prompts while typing share everything up to the cursor;
 * - the suffix is measured from the cursor, so it is the same text while the user types in
 *   front of it (the text after the cursor does not change).
 * Both are cut at line boundaries where the document has them.
 */

export interface WindowLimits {
  /** Most characters of text before the cursor. */
  maxPrefixChars: number;
  /** Most characters of text after the cursor. */
  maxSuffixChars: number;
  /** The prefix's start moves in steps of this many characters. */
  stepChars: number;
  /** Start the prefix at a line start and end the suffix at a line end (default); off, both are cut at the exact limits. */
  alignToLines?: boolean;
}

/**
 * The suffix is read again on every keystroke (it follows the prefix in the prompt, and the
 * prompt cache ends where the prompts differ, at the cursor), so it is kept short: about 200
 * tokens. The prefix is mostly reused, so it can be longer.
 */
export const DEFAULT_WINDOW_LIMITS: WindowLimits = { maxPrefixChars: 6_000, maxSuffixChars: 800, stepChars: 1_024 };

export interface CursorWindow {
  /** Text before the cursor, from a line start. */
  prefix: string;
  /** Text after the cursor, to a line end. */
  suffix: string;
  /** Where `prefix` starts in the document. */
  startOffset: number;
  /** The cursor's line up to the cursor, and from the cursor to the line's end. */
  linePrefix: string;
  lineSuffix: string;
}

export function cursorWindow(text: string, offset: number, limits: WindowLimits = DEFAULT_WINDOW_LIMITS): CursorWindow {
  const cursor = Math.max(0, Math.min(offset, text.length));
  const aligned = limits.alignToLines !== false;
  const startOffset = aligned ? prefixStart(text, cursor, limits) : Math.max(0, cursor - limits.maxPrefixChars);
  const suffixEnd = aligned ? suffixEndOffset(text, cursor, limits.maxSuffixChars) : Math.min(text.length, cursor + limits.maxSuffixChars);
  const lineStart = text.lastIndexOf('\n', cursor - 1) + 1;
  let lineEnd = text.indexOf('\n', cursor);
  if (lineEnd < 0) lineEnd = text.length;
  return {
    prefix: text.slice(startOffset, cursor),
    suffix: text.slice(cursor, suffixEnd),
    startOffset,
    linePrefix: text.slice(lineStart, cursor),
    lineSuffix: text.slice(cursor, lineEnd).replace(/\r$/, ''),
  };
}

/**
 * The first line start at or after the earliest allowed offset rounded up to a step. Text
 * before the cursor keeps its offsets while the user types at the cursor, so this stays put
 * until the cursor has moved `stepChars` further.
 */
function prefixStart(text: string, cursor: number, limits: WindowLimits): number {
  const earliest = cursor - limits.maxPrefixChars;
  if (earliest <= 0) return 0;
  const step = Math.max(1, limits.stepChars);
  const aligned = Math.ceil(earliest / step) * step;
  if (aligned >= cursor) return cursor;
  const newline = text.indexOf('\n', aligned);
  // One very long line: cut inside it rather than lose the whole prefix.
  return newline < 0 || newline >= cursor ? aligned : newline + 1;
}

/** The last line end within `maxChars` after the cursor (the limit itself inside one very long line). */
function suffixEndOffset(text: string, cursor: number, maxChars: number): number {
  const limit = cursor + maxChars;
  if (limit >= text.length) return text.length;
  const newline = text.lastIndexOf('\n', limit - 1);
  return newline < cursor ? limit : newline + 1;
}
