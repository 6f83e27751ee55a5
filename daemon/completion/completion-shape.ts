/**
 * Single line or a block: decided from the syntax around the cursor before the request is
 * sent (it sets the request's stop sequences and length), and applied again to the answer.
 * - In the middle of a line (code after the cursor): finish that line only.
 * - At the end of a line that opens a block (`{`, `(`, `[`, `:` in Python, `=>`, `do`, `then`)
 *   or on an empty line inside a block: a block of several lines.
 * - Anywhere else at a line's end: the rest of the line.
 * A suggestion picked in the editor's suggest widget is always completed on its line.
 */

export type CompletionShape = 'single-line' | 'multi-line';

export interface ShapeInput {
  linePrefix: string;
  lineSuffix: string;
  /** Text before the cursor (to find the line above an empty line). */
  prefix: string;
  languageId: string;
  /** A suggest-widget item is being completed. */
  fromSuggestion?: boolean;
}

const BLOCK_OPENER = /(?:[{([]|=>|\bdo|\bthen|->)\s*$/;
const CLOSERS_ONLY = /^[)\]}'"`;,]+$/;
const PYTHON_LIKE = new Set(['python', 'yaml', 'coffeescript', 'nim']);

export function completionShape(input: ShapeInput): CompletionShape {
  if (input.fromSuggestion === true) return 'single-line';
  const before = input.linePrefix.replace(/\s+$/, '');
  const after = input.lineSuffix.trim();
  if (after.length > 0) {
    // Code after the cursor: finish this line, unless all that follows is the closing bracket
    // the editor typed for a block just opened (`function f() {|}`).
    return CLOSERS_ONLY.test(after) && /[{[]$/.test(before) ? 'multi-line' : 'single-line';
  }
  if (before.length === 0) return lineAbove(input.prefix, input.linePrefix.length) !== undefined ? 'multi-line' : 'single-line';
  if (opensBlock(before, input.languageId)) return 'multi-line';
  return 'single-line';
}

function opensBlock(line: string, languageId: string): boolean {
  if (BLOCK_OPENER.test(line)) return true;
  return PYTHON_LIKE.has(languageId) && line.endsWith(':') && !line.trimStart().startsWith('#');
}

/** On an empty line: the nearest non-empty line above, when the cursor's line is inside its block; undefined at top level. */
function lineAbove(prefix: string, linePrefixLength: number): string | undefined {
  const lines = prefix.slice(0, prefix.length - linePrefixLength).split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (line.trim().length === 0) continue;
    return /^\s/.test(line) || /[{(\[:]\s*$/.test(line) ? line : undefined;
  }
  return undefined;
}

/** Leading whitespace of a line, as written. */
export function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}
