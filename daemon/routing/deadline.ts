/**
 * Request deadlines. Every request has one: from `X-Switchyard-Deadline-Ms`, else the route's
 * `deadline_ms`, else a default per request kind, with a tight one for inline completions.
 *
 * The deadline bounds the time until the response starts: the whole reply when it is not
 * streamed, the first token when it is. Once a stream has started it runs to its end (the
 * providers' body timeout guards against a stall); there is nothing left to retry by then.
 */
import type { GatewayRequest } from '../../shared/gateway';
import { Cancellation, type CancelSignal } from '../core/cancellation';
import type { RequestContext } from '../core/pipeline';
import { deadlineError } from './retry-policy';

export interface DeadlineDefaults {
  chatMs: number;
  completionMs: number;
  /** Ghost-text completions from the editor: the user is waiting at the cursor. */
  inlineCompletionMs: number;
}

export const DEFAULT_DEADLINES: DeadlineDefaults = {
  chatMs: 120_000,
  completionMs: 60_000,
  inlineCompletionMs: 1_000,
};

/**
 * Whether a request is the editor's inline (ghost-text) completion: one from the editor's door,
 * or one whose client says so (`X-Switchyard-Client: vscode-inline`). A `suffix` alone does not
 * make one: any client may use fill-in-the-middle on a slow model and wait for it.
 */
export function isInlineCompletion(request: GatewayRequest, context: RequestContext): boolean {
  return request.kind === 'completion' && (context.door === 'lsp' || context.directives.inlineCompletion === true);
}

/** The deadline of a request in ms from its receipt: header, then route, then the default for its kind. */
export function resolveDeadlineMs(request: GatewayRequest, context: RequestContext, routeDeadlineMs: number | undefined, defaults: DeadlineDefaults): number {
  const fromHeader = context.directives.deadlineMs;
  if (fromHeader !== undefined && Number.isFinite(fromHeader) && fromHeader > 0) return fromHeader;
  if (routeDeadlineMs !== undefined) return routeDeadlineMs;
  if (request.kind === 'chat') return defaults.chatMs;
  return isInlineCompletion(request, context) ? defaults.inlineCompletionMs : defaults.completionMs;
}

/**
 * A deadline as a cancellation signal that also follows the caller's signal. When the time runs out
 * the signal aborts with a `deadlineExceeded` GatewayError as its reason (so an aborted
 * provider call rejects with a 504-shaped error); when the caller goes away it aborts with the
 * caller's reason (a cancellation).
 */
export class Deadline {
  /** `performance.now()` at which the deadline passes. */
  readonly at: number;
  readonly signal: CancelSignal;
  private readonly cancellation = new Cancellation();
  private timer: NodeJS.Timeout | undefined;
  private readonly parent: CancelSignal;
  private readonly onParentAbort = (): void => this.cancellation.abort(this.parent.reason);

  constructor(
    readonly budgetMs: number,
    startedAt: number,
    parent: CancelSignal,
  ) {
    this.at = startedAt + budgetMs;
    this.parent = parent;
    this.signal = this.cancellation;
    if (parent.aborted) {
      this.cancellation.abort(parent.reason);
      return;
    }
    parent.addEventListener('abort', this.onParentAbort, { once: true });
    const delay = Math.max(0, this.at - performance.now());
    // Unref'd: a request's own socket keeps the process up while it waits. A ref'd timer also
    // costs every request Node's recreating its timer list and toggling the loop's ref.
    this.timer = setTimeout(() => this.cancellation.abort(deadlineError(budgetMs)), delay).unref();
  }

  remainingMs(now = performance.now()): number {
    return this.at - now;
  }

  expired(now = performance.now()): boolean {
    return this.signal.aborted || now >= this.at;
  }

  /** Stops the clock (the response has started); the caller's cancellation still propagates. */
  stopClock(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Stops the clock and unlinks from the caller's signal; safe to call twice. */
  dispose(): void {
    this.stopClock();
    this.parent.removeEventListener('abort', this.onParentAbort);
  }
}
