/**
 * What the LSP door needs of the inline-completion pipeline (`daemon/completion/`): the door
 * turns LSP requests into its inputs and never looks inside the pipeline.
 */
import type { CompletionSettings } from '../../shared/lsp/protocol';
import type { InlineCompletionInput, InlineCompletionOutput } from '../completion/inline-completion-service';

export type { DocumentSnapshot, InlineCompletionInput, InlineCompletionOutput } from '../completion/inline-completion-service';

export interface InlineCompleter {
  complete(input: InlineCompletionInput, settings: CompletionSettings, signal: AbortSignal): Promise<InlineCompletionOutput>;
  /** The route completions use when the settings name none; undefined when no model can serve. */
  defaultRoute(allowCloud: boolean): string | undefined;
}
