/**
 * Snippets from the other documents the user has open, as extra context for a completion
 * (llama.cpp `input_extra`, Qwen's `<|file_sep|>` files, comments before the prefix).
 *
 * Which documents: the most recently used ones. In what order: by URI, not by recency, so
 * that switching between two files does not reorder the snippets and throw away the model's
 * cached prompt. Each snippet is the start of its document (imports, declarations), cut at a
 * line end, which stays the same while the user edits elsewhere.
 */
import type { ExtraContext } from '../../shared/gateway';

export interface SnippetDocument {
  uri: string;
  languageId: string;
  text: string;
}

export interface SnippetLimits {
  /** How many other documents contribute. */
  maxDocuments: number;
  /** Characters taken from one document. */
  maxCharsEach: number;
  /** Characters of all snippets together. */
  maxCharsTotal: number;
}

export const DEFAULT_SNIPPET_LIMITS: SnippetLimits = { maxDocuments: 3, maxCharsEach: 1_500, maxCharsTotal: 3_000 };

/** `recentDocuments` is most recently used first; the current document is left out if it is among them. */
export function contextSnippets(recentDocuments: readonly SnippetDocument[], currentUri: string, limits: SnippetLimits = DEFAULT_SNIPPET_LIMITS): ExtraContext[] {
  const chosen: SnippetDocument[] = [];
  for (const document of recentDocuments) {
    if (chosen.length >= limits.maxDocuments) break;
    if (document.uri === currentUri || document.text.trim().length === 0) continue;
    if (chosen.some((other) => other.uri === document.uri)) continue;
    chosen.push(document);
  }
  chosen.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
  const snippets: ExtraContext[] = [];
  let budget = limits.maxCharsTotal;
  for (const document of chosen) {
    const text = headOf(document.text, Math.min(limits.maxCharsEach, budget));
    if (text.length === 0) continue;
    snippets.push({ filename: displayPath(document.uri), text });
    budget -= text.length;
  }
  return snippets;
}

/** The document's start, up to the last line end within `maxChars` (or all of it when shorter). */
function headOf(text: string, maxChars: number): string {
  if (maxChars <= 0) return '';
  if (text.length <= maxChars) return text;
  const newline = text.lastIndexOf('\n', maxChars - 1);
  return newline > 0 ? text.slice(0, newline + 1) : '';
}

/**
 * A short path for the prompt: the last two segments of the URI's path, decoded. Enough for a
 * model to tell files apart, without sending the user's home directory layout.
 */
export function displayPath(uri: string): string {
  let path = uri;
  try {
    path = decodeURIComponent(new URL(uri).pathname);
  } catch {
    // Not a URL (an untitled buffer's name, a test's plain path): use it as it is.
  }
  const segments = path.split(/[\\/]/).filter((segment) => segment.length > 0);
  return segments.slice(-2).join('/') || uri;
}
