/**
 * Turns what the model produced into the ghost text to show, or nothing:
 * - a single-line completion ends at the first line break;
 * - a block ends where its indentation falls back to the level it opened from (a closing
 *   bracket there is kept only if the text after the cursor does not already close it), and
 *   after a bounded number of lines;
 * - it stops where it starts repeating the text after the cursor (the next line of the
 *   document, or the brackets the editor closed itself on the cursor's line);
 * - trailing whitespace goes, and an answer with nothing but whitespace is no answer.
 */
import { indentOf, type CompletionShape } from './completion-shape';

export interface PostprocessInput {
  completion: string;
  shape: CompletionShape;
  linePrefix: string;
  lineSuffix: string;
  /** All the text after the cursor in the prompt's window. */
  suffix: string;
}

export const MAX_BLOCK_LINES = 24;

export function postprocessCompletion(input: PostprocessInput): string | undefined {
  let text = input.completion.replace(/\r\n/g, '\n');
  if (input.shape === 'single-line') {
    const newline = text.indexOf('\n');
    if (newline >= 0) text = text.slice(0, newline);
    text = withoutLineSuffixOverlap(text, input.lineSuffix);
  } else {
    text = blockOf(text, input);
  }
  // The user already typed the space the model starts with.
  if (/\s$/.test(input.linePrefix) && input.linePrefix.trim().length > 0) text = text.replace(/^[ \t]+/, '');
  text = text.replace(/\s+$/, '');
  return text.trim().length === 0 ? undefined : text;
}

/** The block's lines, up to where it ends or repeats the document's next line. */
function blockOf(text: string, input: PostprocessInput): string {
  return scanBlock(text.split('\n'), input).kept.join('\n');
}

/**
 * Whether the model's output so far already holds the whole block (it has gone past the
 * block's end, or reached the line limit), judged on complete lines only: reading on would
 * only produce text that postprocessing cuts off.
 */
export function blockHasEnded(text: string, input: Omit<PostprocessInput, 'completion' | 'shape'>): boolean {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  lines.pop(); // the line still being written
  return lines.length > 0 && scanBlock(lines, input).ended;
}

function scanBlock(lines: readonly string[], input: Omit<PostprocessInput, 'completion' | 'shape'>): { kept: string[]; ended: boolean } {
  const opensHere = input.linePrefix.trim().length > 0;
  // Lines of the block are deeper than an opener's line, or at least as deep as the cursor on an empty line.
  const minIndent = opensHere ? indentOf(input.linePrefix).length + 1 : input.linePrefix.length;
  const nextLine = firstNonBlankLine(input.suffix.slice(input.lineSuffix.length));
  const kept: string[] = [lines[0]!];
  for (let i = 1; i < lines.length; i++) {
    if (kept.length >= MAX_BLOCK_LINES) return { kept, ended: true };
    const line = lines[i]!;
    const trimmed = line.trim();
    if (trimmed.length === 0) {
      kept.push(line);
      continue;
    }
    if (nextLine !== undefined && trimmed === nextLine) return { kept, ended: true };
    if (indentOf(line).length < minIndent) {
      // The block's own closing line, unless the document already has it after the cursor.
      if (opensHere && /^[)\]}]+[;,]?$/.test(trimmed) && !startsWithCloser(input.suffix, trimmed)) kept.push(line);
      return { kept, ended: true };
    }
    kept.push(line);
  }
  return { kept, ended: kept.length >= MAX_BLOCK_LINES };
}

function firstNonBlankLine(text: string): string | undefined {
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed.length > 0) return trimmed;
  }
  return undefined;
}

function startsWithCloser(suffix: string, closer: string): boolean {
  return suffix.trimStart().startsWith(closer.replace(/[;,]$/, ''));
}

/**
 * Takes off the end of a one-line completion that the rest of the line already has: the
 * longest tail of the completion that is a start of the text after the cursor, when that text
 * starts with punctuation (`a, b)` before `)` becomes `a, b`).
 */
function withoutLineSuffixOverlap(text: string, lineSuffix: string): string {
  const after = lineSuffix.replace(/\s+$/, '');
  // Only punctuation is taken as a repeat: a shared letter is more likely a coincidence.
  if (after.length === 0 || /^\w/.test(after)) return text;
  for (let length = Math.min(after.length, text.length); length > 0; length--) {
    if (text.endsWith(after.slice(0, length))) return text.slice(0, text.length - length);
  }
  return text;
}
