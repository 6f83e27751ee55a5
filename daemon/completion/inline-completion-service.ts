/**
 * Inline (ghost-text) completions for the editor, as a pipeline of small stages, each in its
 * own file:
 *
 *   complete(input, settings, signal)
 *     → context        completion-context.ts   window around the cursor, snippets, shape
 *     → route          default-completion-route.ts when the user named none
 *     → cache          Gateway.lookupCached: a stored answer or a typed-ahead hit is shown at once
 *     → debounce       adaptive-debounce.ts    only on a miss, and only for automatic requests
 *     → gateway        Gateway.handle (door `lsp`: the tight completion deadline; the prompt
 *                      put to each candidate its own way by prompt-style.ts)
 *     → postprocess    postprocess.ts          one line or a block, no repeat of the suffix
 *     → onCompleted    for the status bar: latency, cached, who served
 *
 * Cancellation is silent: when the editor cancels (or a newer request for the same document
 * supersedes this one), the debounce stops or the upstream request is aborted, and the answer
 * is an empty list. Plain data in, no editor types; the LSP door adapts.
 */
import { randomUUID } from 'node:crypto';
import type { CompletionSettings } from '../../shared/lsp/protocol';
import type { ErrorCode } from '../core/errors';
import { isAbortError, isGatewayError } from '../core/errors';
import type { Gateway } from '../gateway/gateway';
import type { GatewayResult, RequestContext } from '../core/pipeline';
import type { ProviderRegistry } from '../providers/provider-registry';
import { sleep } from '../routing/retry-policy';
import type { Router } from '../routing/router';
import { AdaptiveDebounce } from './adaptive-debounce';
import { codeFromChatReply } from './chat-fallback';
import { completionContext, completionRequest, type CompletionContext, type ContextLimits } from './completion-context';
import { defaultCompletionRoute, type ListedModel } from './default-completion-route';
import { blockHasEnded, postprocessCompletion } from './postprocess';
import { completionAdapter, promptStyleFor } from './prompt-style';
import { readCompletionText } from './read-completion-text';

export interface DocumentSnapshot {
  uri: string;
  languageId: string;
  text: string;
  version: number;
  lastUsedAt: number;
}

export interface InlineCompletionInput {
  /** The document being edited. */
  document: DocumentSnapshot;
  /** Cursor offset (UTF-16 code units) in document.text. */
  offset: number;
  /** Explicitly invoked vs automatic. */
  invoked: boolean;
  /** Other open documents, most recently used first. */
  recentDocuments: DocumentSnapshot[];
  /** From the suggest widget. */
  selectedSuggestion?: { text: string; startOffset: number; endOffset: number };
}

export interface InlineCompletionItem {
  insertText: string;
  startOffset: number;
  endOffset: number;
}

export type CompletionCacheStatus = 'HIT' | 'MISS' | 'COALESCED' | 'BYPASS' | 'TYPED_AHEAD';

export interface InlineCompletionOutput {
  items: InlineCompletionItem[];
  servedBy?: { provider: string; model: string; local: boolean; cache: CompletionCacheStatus };
  latencyMs: number;
  /** Why there is no completion, when the gateway failed (no provider up, deadline passed). Never set for a cancellation. */
  error?: { code: ErrorCode; message: string };
}

/** The subset of a pino logger the service uses. */
export interface CompletionLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface InlineCompletionServiceDeps {
  /** The same gateway the HTTP door uses. */
  gateway: Gateway;
  /** Which providers are local, and the models they list (for the default route). */
  registry: ProviderRegistry;
  /** Configured route names and provider health (for the default route). */
  router: Router;
  /** The config's aliases (an alias named `completion` is the default route). */
  aliases: Readonly<Record<string, string>>;
  log: CompletionLogger;
  /** The window around the cursor and the snippets' sizes (defaults: DEFAULT_CONTEXT_LIMITS). */
  limits?: ContextLimits;
}

/** The same failure is logged as a warning at most this often; in between at debug level. */
const WARN_EVERY_MS = 60_000;

export class InlineCompletionService {
  private readonly debounce = new AdaptiveDebounce();
  private readonly listeners = new Set<(output: InlineCompletionOutput) => void>();
  /** The completion in progress per document, and where it was asked: a newer one elsewhere supersedes it. */
  private readonly inFlight = new Map<string, { controller: AbortController; at: string }>();
  private readonly warnedAt = new Map<string, number>();
  private closed = false;

  constructor(private readonly deps: InlineCompletionServiceDeps) {}

  async complete(input: InlineCompletionInput, settings: CompletionSettings, signal: AbortSignal): Promise<InlineCompletionOutput> {
    const startedAt = performance.now();
    if (this.closed || !settings.enabled || settings.disabledLanguages.includes(input.document.languageId)) return { items: [], latencyMs: 0 };
    this.debounce.noteRequest();
    const uri = input.document.uri;
    const at = `${input.document.version}:${input.offset}`;
    const previous = this.inFlight.get(uri);
    // The same place asked again (the editor re-asking) joins the request in flight through the cache's coalescing.
    if (previous !== undefined && previous.at !== at) previous.controller.abort(new DOMException('A newer completion for this document superseded this one.', 'AbortError'));
    const controller = new AbortController();
    const entry = { controller, at };
    this.inFlight.set(uri, entry);
    const onAbort = (): void => controller.abort(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    try {
      const output = await this.run(input, settings, controller.signal, startedAt);
      if (output.items.length > 0) this.emit(output);
      return output;
    } catch (error) {
      const latencyMs = performance.now() - startedAt;
      if (controller.signal.aborted || isAbortError(error)) return { items: [], latencyMs };
      if (!isGatewayError(error)) throw error;
      this.logFailure(error.code, error.message);
      return { items: [], latencyMs, error: { code: error.code, message: error.message } };
    } finally {
      signal.removeEventListener('abort', onAbort);
      if (this.inFlight.get(uri) === entry) this.inFlight.delete(uri);
    }
  }

  /** Called after every completion that showed something; returns the unsubscribe. */
  onCompleted(listener: (output: InlineCompletionOutput) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The route completions use now when the settings name none, or undefined when no model can serve. */
  defaultRoute(allowCloud: boolean): string | undefined {
    const { registry, router, aliases } = this.deps;
    const models: ListedModel[] = registry.models().map((model) => ({
      provider: model.provider,
      id: model.id,
      local: registry.get(model.provider)?.settings.local === true,
      fim: model.fim,
      down: router.prober.ref(model.provider).status === 'down',
    }));
    return defaultCompletionRoute({ routeNames: router.routeNames(), aliases, models }, allowCloud);
  }

  /** Cancels completions in progress and drops the listeners; safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const { controller } of this.inFlight.values()) controller.abort(new DOMException('The completion service closed.', 'AbortError'));
    this.inFlight.clear();
    this.listeners.clear();
  }

  private async run(input: InlineCompletionInput, settings: CompletionSettings, signal: AbortSignal, startedAt: number): Promise<InlineCompletionOutput> {
    const route = settings.route.trim() || this.defaultRoute(settings.allowCloud);
    // No model anywhere: an expected first-run state that the status bar explains; completions stay quiet.
    if (route === undefined) return { items: [], latencyMs: performance.now() - startedAt };
    const context = completionContext(input, this.deps.limits);
    const request = completionRequest(context, route);
    const requestContext = this.requestContext(context, settings, signal);

    let result: GatewayResult;
    let cache: CompletionCacheStatus;
    let text: string;
    const cached = this.deps.gateway.lookupCached(request, requestContext(performance.now()));
    if (cached !== undefined) {
      result = cached.result;
      cache = cached.typedAhead ? 'TYPED_AHEAD' : 'HIT';
      text = await readCompletionText(result);
    } else {
      if (!input.invoked) await sleep(this.debounce.delayMs(route, settings), signal);
      const sentAt = performance.now();
      result = await this.deps.gateway.handle(request, requestContext(sentAt));
      // A block is read only to its end; a chat reply is read whole (its code comes out of it afterwards).
      const readsBlock = context.shape === 'multi-line' && !this.servedByChat(result.servedBy);
      text = await readCompletionText(result, readsBlock ? (sofar) => blockHasEnded(sofar, context.window) : undefined);
      cache = result.servedBy.cache;
      if (cache === 'MISS' || cache === 'BYPASS') this.debounce.noteLatency(route, performance.now() - sentAt);
    }
    const { provider, model } = result.servedBy;
    const settingsOf = this.deps.registry.get(provider)?.settings;
    if (this.servedByChat(result.servedBy)) text = codeFromChatReply(text);
    const output: InlineCompletionOutput = {
      items: itemsFor(context, text),
      servedBy: { provider, model, local: settingsOf?.local === true, cache },
      latencyMs: performance.now() - startedAt,
    };
    this.deps.log.debug({ route, provider, model, cache, shape: context.shape, shown: output.items.length > 0, ms: Math.round(output.latencyMs) }, 'completion');
    return output;
  }

  /** Whether the candidate that answered was asked through the chat fallback. */
  private servedByChat(servedBy: { provider: string; model: string }): boolean {
    const settings = this.deps.registry.get(servedBy.provider)?.settings;
    return settings !== undefined && promptStyleFor({ providerKind: settings.kind, baseUrl: settings.baseUrl, model: servedBy.model }).kind === 'chat';
  }

  private requestContext(context: CompletionContext, settings: CompletionSettings, signal: AbortSignal): (receivedAt: number) => RequestContext {
    const requestId = randomUUID();
    const adaptRequest = completionAdapter({ filename: context.filename, languageId: context.languageId, multiline: context.shape === 'multi-line' });
    // The deadline counts from when the request is sent, not from the keystroke: the debounce is ours.
    return (receivedAt) => ({ signal, door: 'lsp', directives: settings.allowCloud ? {} : { localOnly: true }, requestId, receivedAt, adaptRequest });
  }

  private emit(output: InlineCompletionOutput): void {
    for (const listener of this.listeners) {
      try {
        listener(output);
      } catch (error) {
        this.deps.log.warn({ err: error }, 'completion: an onCompleted listener failed');
      }
    }
  }

  private logFailure(code: ErrorCode, message: string): void {
    const now = performance.now();
    const last = this.warnedAt.get(code);
    if (last !== undefined && now - last < WARN_EVERY_MS) {
      this.deps.log.debug({ code }, `completion failed: ${message}`);
      return;
    }
    this.warnedAt.set(code, now);
    this.deps.log.warn({ code }, `completion failed: ${message}`);
  }
}

/** The ghost text for the answer, or none; with a picked suggestion, the item replaces its range and starts with it. */
function itemsFor(context: CompletionContext, text: string): InlineCompletionItem[] {
  const completion = postprocessCompletion({
    completion: text,
    shape: context.shape,
    linePrefix: context.window.linePrefix,
    lineSuffix: context.window.lineSuffix,
    suffix: context.window.suffix,
  });
  if (completion === undefined) return [];
  const suggestion = context.suggestion;
  if (suggestion !== undefined) return [{ insertText: suggestion.text + completion, startOffset: suggestion.startOffset, endOffset: suggestion.endOffset }];
  return [{ insertText: completion, startOffset: context.offset, endOffset: context.offset }];
}
