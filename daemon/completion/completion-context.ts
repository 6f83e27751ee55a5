/**
 * The context stage: from the editor's plain data (document, cursor, other open documents, a
 * suggestion picked in the suggest widget) to what the prompt is made of, and the request the
 * gateway gets. No editor types: offsets are UTF-16 code units into the document's text.
 */
import type { ExtraContext, GatewayRequest } from '../../shared/gateway';
import { completionShape, type CompletionShape } from './completion-shape';
import { contextSnippets, displayPath, DEFAULT_SNIPPET_LIMITS, type SnippetDocument, type SnippetLimits } from './context-snippets';
import { cursorWindow, DEFAULT_WINDOW_LIMITS, type CursorWindow, type WindowLimits } from './cursor-window';

export interface ContextInput {
  document: SnippetDocument;
  offset: number;
  recentDocuments: readonly SnippetDocument[];
  selectedSuggestion?: { text: string; startOffset: number; endOffset: number };
}

export interface CompletionContext {
  window: CursorWindow;
  shape: CompletionShape;
  snippets: ExtraContext[];
  filename: string;
  languageId: string;
  /** The cursor in the editor's document (before any suggestion is applied). */
  offset: number;
  /** The suggest widget's item, which the completion continues (and the ghost text includes). */
  suggestion?: { text: string; startOffset: number; endOffset: number };
}

export interface ContextLimits {
  window: WindowLimits;
  snippets: SnippetLimits;
}

export const DEFAULT_CONTEXT_LIMITS: ContextLimits = { window: DEFAULT_WINDOW_LIMITS, snippets: DEFAULT_SNIPPET_LIMITS };

export function completionContext(input: ContextInput, limits: ContextLimits = DEFAULT_CONTEXT_LIMITS): CompletionContext {
  const { document } = input;
  let text = document.text;
  const cursor = Math.max(0, Math.min(input.offset, text.length));
  let offset = cursor;
  const suggestion = validSuggestion(input.selectedSuggestion, text.length);
  if (suggestion !== undefined) {
    // Complete as if the suggestion were already accepted.
    text = text.slice(0, suggestion.startOffset) + suggestion.text + text.slice(suggestion.endOffset);
    offset = suggestion.startOffset + suggestion.text.length;
  }
  const window = cursorWindow(text, offset, limits.window);
  return {
    window,
    shape: completionShape({ ...window, languageId: document.languageId, fromSuggestion: suggestion !== undefined }),
    snippets: contextSnippets(input.recentDocuments, document.uri, limits.snippets),
    filename: displayPath(document.uri),
    languageId: document.languageId,
    offset: cursor,
    suggestion,
  };
}

function validSuggestion(suggestion: ContextInput['selectedSuggestion'], length: number): ContextInput['selectedSuggestion'] {
  if (suggestion === undefined) return undefined;
  const { startOffset, endOffset } = suggestion;
  return startOffset >= 0 && startOffset <= endOffset && endOffset <= length ? suggestion : undefined;
}

/** Output lengths: a line is short; a block gets room for a small function body. */
export const MAX_TOKENS: Record<CompletionShape, number> = { 'single-line': 64, 'multi-line': 256 };

/**
 * The gateway request for a completion: fill-in-the-middle in neutral form, streamed (so the
 * deadline bounds the first token, not the whole answer), greedy (the same context gives the
 * same answer, which is what makes it worth caching), a line break as the stop of a one-line
 * completion, and Ollama asked to keep the model loaded between bursts of typing.
 */
export function completionRequest(context: CompletionContext, route: string): GatewayRequest {
  const singleLine = context.shape === 'single-line';
  return {
    kind: 'completion',
    model: route,
    prompt: context.window.prefix,
    suffix: context.window.suffix,
    extraContext: context.snippets.length > 0 ? context.snippets : undefined,
    stream: true,
    params: { temperature: 0, max_tokens: MAX_TOKENS[context.shape], ...(singleLine ? { stop: ['\n'] } : {}) },
    keepAlive: KEEP_ALIVE,
  };
}

/**
 * Ollama unloads an idle model after 5 minutes by default, and a reload costs seconds: a pause
 * in typing should not. (A request's `keep_alive` overrides the server's OLLAMA_KEEP_ALIVE for
 * that model, so a longer server setting is shortened to this while the editor is in use.)
 */
export const KEEP_ALIVE = '30m';
