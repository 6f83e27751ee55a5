/** LSP's inline completion shapes to and from the pipeline's plain data (offsets, not positions). */
import { InlineCompletionTriggerKind, type InlineCompletionList, type InlineCompletionParams } from 'vscode-languageserver-protocol';
import type { InlineCompletionInput, InlineCompletionOutput } from './completion-port';
import type { DocumentStore } from './document-store';

/** The pipeline's input for a request, or undefined when the editor never opened the document here. */
export function completionInput(documents: DocumentStore, params: InlineCompletionParams): InlineCompletionInput | undefined {
  const document = documents.use(params.textDocument.uri);
  if (document === undefined) return undefined;
  const uri = document.uri;
  const input: InlineCompletionInput = {
    document,
    offset: documents.offsetAt(uri, params.position)!,
    invoked: params.context.triggerKind === InlineCompletionTriggerKind.Invoked,
    recentDocuments: documents.recent(uri),
  };
  const selected = params.context.selectedCompletionInfo;
  if (selected) {
    input.selectedSuggestion = {
      text: selected.text,
      startOffset: documents.offsetAt(uri, selected.range.start)!,
      endOffset: documents.offsetAt(uri, selected.range.end)!,
    };
  }
  return input;
}

export function completionList(documents: DocumentStore, uri: string, output: InlineCompletionOutput): InlineCompletionList {
  return {
    items: output.items.map((item) => ({
      insertText: item.insertText,
      range: { start: documents.positionAt(uri, item.startOffset)!, end: documents.positionAt(uri, item.endOffset)! },
    })),
  };
}
