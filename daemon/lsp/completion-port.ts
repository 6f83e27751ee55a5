/**
 * What the LSP door needs of the inline-completion pipeline (`daemon/completion/`): the door
 * turns LSP requests into these inputs and never looks inside the pipeline.
 */
import type { CompletionSettings } from '../../shared/lsp/protocol';

export interface DocumentSnapshot {
  uri: string;
  languageId: string;
  text: string;
  version: number;
  lastUsedAt: number;
}

export interface InlineCompletionInput {
  document: DocumentSnapshot;
  /** Cursor offset (UTF-16 code units) in `document.text`. */
  offset: number;
  invoked: boolean;
  /** Other open documents, most recently used first. */
  recentDocuments: DocumentSnapshot[];
  selectedSuggestion?: { text: string; startOffset: number; endOffset: number };
}

export interface InlineCompletionItem {
  insertText: string;
  startOffset: number;
  endOffset: number;
}

export interface InlineCompletionOutput {
  items: InlineCompletionItem[];
  servedBy?: { provider: string; model: string; local: boolean; cache: 'HIT' | 'MISS' | 'COALESCED' | 'BYPASS' | 'TYPED_AHEAD' };
  latencyMs: number;
}

export interface InlineCompleter {
  complete(input: InlineCompletionInput, settings: CompletionSettings, signal: AbortSignal): Promise<InlineCompletionOutput>;
  onCompleted(listener: (output: InlineCompletionOutput) => void): () => void;
}
