/**
 * Budgets as the pipeline sees them: which budgets a call counts against, reserving the
 * estimate before it, committing the actual usage after it (or an estimate of what a cut
 * stream produced; releasing on a failure or cancel before any output), and which cloud
 * candidates a spent `fallback-local` budget rules out.
 *
 * Money is only charged for what has a price: a local provider costs $0, and a $0 charge
 * never fails a money limit.
 */
import type { GatewayRequest, Usage } from '../../shared/gateway';
import { GatewayError } from '../core/errors';
import type { BudgetExclusion, BudgetExclusions, Candidate } from '../core/pipeline';
import { estimateRequestTokens, estimateTokens } from '../core/token-estimate';
import type { BudgetDefinition, BudgetFigures, Ledger } from './ledger';
import { costNanoUsd, nanoToUsd, priceFor } from './prices';
import { describeWindow } from './windows';

/** Output tokens reserved for a request that sets no max tokens. */
export const DEFAULT_OUTPUT_RESERVE = 1024;

/** What an attempt needs of budgets: reserve for one candidate of a route (or of a model named directly). */
export interface AttemptBudgets {
  reserve(candidate: Candidate, request: GatewayRequest, routeName: string | undefined): Promise<Reservation | undefined>;
}

export interface Reservation {
  /** Counts the actual usage (once) and resolves when it is durable. */
  commit(usage: Usage | undefined, outputText?: string): Promise<void>;
  /** Gives the reservation back (a failure or cancel before any output); safe after commit. */
  release(): void;
}

export interface BudgetReportEntry {
  name: string;
  scope: BudgetDefinition['scope'];
  window: string;
  action: BudgetDefinition['action'];
  spent: { tokens: number; usd: number };
  reserved: { tokens: number; usd: number };
  limit: { tokens?: number; usd?: number };
  resetsAt: string;
}

export interface BudgetReport {
  ledger: 'embedded' | 'redis' | 'degraded';
  budgets: BudgetReportEntry[];
}

export interface BudgetServiceOptions {
  definitions: BudgetDefinition[];
  ledger: Ledger;
  warn: (message: string) => void;
}

export class BudgetService implements AttemptBudgets {
  readonly definitions: BudgetDefinition[];
  private readonly ledger: Ledger;
  private readonly matchCache = new Map<string, number[]>();
  private readonly warnedPeriods = new Map<string, number>();
  /** Without a `fallback-local` budget there is never a reroute: known once, not per request. */
  private readonly anyFallbackLocal: boolean;
  /** Told the budget's name each time a call is refused (the rejections counter). */
  onRejected?: (budget: string) => void;

  constructor(private readonly options: BudgetServiceOptions) {
    this.definitions = options.definitions;
    this.ledger = options.ledger;
    this.anyFallbackLocal = options.definitions.some((definition) => definition.action === 'fallback-local');
  }

  get ledgerState(): 'embedded' | 'redis' | 'degraded' {
    return this.ledger.state();
  }

  /** Indices of the budgets a call to this candidate, for this route, counts against. */
  budgetsFor(candidate: Candidate, routeName: string | undefined): number[] {
    const cacheKey = `${candidate.key}\u0000${routeName ?? ''}`;
    let matched = this.matchCache.get(cacheKey);
    if (matched === undefined) {
      matched = [];
      this.definitions.forEach((definition, index) => {
        if (scopeMatches(definition, candidate, routeName)) matched!.push(index);
      });
      this.matchCache.set(cacheKey, matched);
    }
    return matched;
  }

  async reserve(candidate: Candidate, request: GatewayRequest, routeName?: string): Promise<Reservation | undefined> {
    const budgets = this.budgetsFor(candidate, routeName);
    if (budgets.length === 0) return undefined;
    const { price, promptEstimate, tokens: reserveTokens, nano } = estimateCharge(candidate, request);
    const now = Date.now();
    const hold = await this.ledger.reserve(budgets, reserveTokens, nano, now);
    if (!hold.ok) {
      const definition = this.definitions[hold.budget]!;
      this.onRejected?.(definition.name);
      throw this.exceeded(definition, hold.figures, now);
    }

    let settled = false;
    return {
      commit: async (usage, outputText) => {
        if (settled) return;
        settled = true;
        const actual = usage ?? { promptTokens: promptEstimate, completionTokens: estimateTokens(outputText ?? '') };
        const committedAt = Date.now();
        await hold.commit(actual.promptTokens + actual.completionTokens, costNanoUsd(price, actual.promptTokens, actual.completionTokens), committedAt);
        await this.ledger.durable();
        this.warnIfOver(budgets, committedAt);
      },
      release: () => {
        if (settled) return;
        settled = true;
        void hold.release();
      },
    };
  }

  /**
   * The cloud candidates a spent `fallback-local` budget rules out for this request, asked once
   * before route selection; the router then prefers local candidates (the route's own, or the
   * budget's `fallback_model`). Undefined, without touching the ledger, when no candidate is
   * watched by such a budget. A final check still happens at reservation time.
   */
  exclusionsFor(candidates: readonly Candidate[], routeName: string | undefined, request: GatewayRequest): Promise<BudgetExclusions | undefined> | undefined {
    if (!this.anyFallbackLocal) return undefined;
    const watched = candidates.filter((candidate) => !candidate.provider.settings.local && this.budgetsFor(candidate, routeName).some((index) => this.definitions[index]!.action === 'fallback-local'));
    return watched.length === 0 ? undefined : this.spentFor(watched, routeName, request);
  }

  private async spentFor(watched: Candidate[], routeName: string | undefined, request: GatewayRequest): Promise<BudgetExclusions | undefined> {
    const now = Date.now();
    const room = await this.ledger.room(now);
    const excluded = new Map<string, BudgetExclusion>();
    for (const candidate of watched) {
      const { tokens, nano } = estimateCharge(candidate, request);
      for (const index of this.budgetsFor(candidate, routeName)) {
        const definition = this.definitions[index]!;
        if (definition.action !== 'fallback-local' || room[index]!.fits(tokens, nano, now)) continue;
        const known = excluded.get(candidate.key);
        if (known === undefined) {
          excluded.set(candidate.key, { reason: `budget "${definition.name}" has no room (fallback-local)`, ...(definition.fallbackModel !== undefined ? { fallbackModel: definition.fallbackModel } : {}) });
        } else if (known.fallbackModel === undefined && definition.fallbackModel !== undefined) {
          known.fallbackModel = definition.fallbackModel;
        }
      }
    }
    return excluded.size > 0 ? excluded : undefined;
  }

  async report(now = Date.now()): Promise<BudgetReport> {
    const figures = await this.ledger.figures(now);
    return {
      ledger: this.ledger.state(),
      budgets: this.definitions.map((definition, index) => {
        const figure = figures[index]!;
        return {
          name: definition.name,
          scope: definition.scope,
          window: describeWindow(definition.window),
          action: definition.action,
          spent: { tokens: figure.spentTokens, usd: nanoToUsd(figure.spentNanoUsd) },
          reserved: { tokens: figure.reservedTokens, usd: nanoToUsd(figure.reservedNanoUsd) },
          limit: {
            ...(definition.limitTokens !== undefined ? { tokens: definition.limitTokens } : {}),
            ...(definition.limitNanoUsd !== undefined ? { usd: nanoToUsd(definition.limitNanoUsd) } : {}),
          },
          resetsAt: new Date(figure.resetsAt).toISOString(),
        };
      }),
    };
  }

  async close(): Promise<void> {
    await this.ledger.close();
  }

  /** The 429: which budget, how much is spent of what limit, and when it resets. */
  exceeded(definition: BudgetDefinition, figures: BudgetFigures, now: number): GatewayError {
    const parts: string[] = [];
    if (definition.limitTokens !== undefined) parts.push(`${figures.spentTokens} of ${definition.limitTokens} tokens spent (${figures.reservedTokens} reserved)`);
    if (definition.limitNanoUsd !== undefined) {
      parts.push(`${formatUsd(figures.spentNanoUsd)} of ${formatUsd(definition.limitNanoUsd)} spent (${formatUsd(figures.reservedNanoUsd)} reserved)`);
    }
    const resetsAt = new Date(figures.resetsAt).toISOString();
    return new GatewayError('budgetExceeded', `Budget "${definition.name}" (${describeWindow(definition.window)}) is exhausted: ${parts.join('; ')}. It resets at ${resetsAt}.`, {
      // Never retried on the same candidate, nor counted against its health: the reroute to a
      // local model (fallback-local) is chosen in route selection, from exclusionsFor.
      retryable: false,
      details: {
        budget: definition.name,
        window: describeWindow(definition.window),
        spent: { tokens: figures.spentTokens, usd: nanoToUsd(figures.spentNanoUsd) },
        reserved: { tokens: figures.reservedTokens, usd: nanoToUsd(figures.reservedNanoUsd) },
        limit: {
          ...(definition.limitTokens !== undefined ? { tokens: definition.limitTokens } : {}),
          ...(definition.limitNanoUsd !== undefined ? { usd: nanoToUsd(definition.limitNanoUsd) } : {}),
        },
        resets_at: resetsAt,
        retry_after_seconds: Math.max(0, Math.ceil((figures.resetsAt - now) / 1000)),
      },
    });
  }

  /** `warn` budgets never block; they say so once per window when spending passes the limit. */
  private warnIfOver(budgets: number[], now: number): void {
    if (this.ledger.kind !== 'embedded') return;
    let figures: BudgetFigures[] | undefined;
    for (const index of budgets) {
      const definition = this.definitions[index]!;
      if (definition.action !== 'warn') continue;
      figures ??= this.ledger.figures(now) as BudgetFigures[];
      const figure = figures[index]!;
      const over =
        (definition.limitTokens !== undefined && figure.spentTokens > definition.limitTokens) ||
        (definition.limitNanoUsd !== undefined && figure.spentNanoUsd > definition.limitNanoUsd);
      if (over && this.warnedPeriods.get(definition.name) !== figure.resetsAt) {
        this.warnedPeriods.set(definition.name, figure.resetsAt);
        this.options.warn(`budget "${definition.name}" is over its limit (action = warn); it resets at ${new Date(figure.resetsAt).toISOString()}`);
      }
    }
  }
}

/** What a call is expected to cost before it is made: the prompt estimate plus the output it may produce. */
function estimateCharge(candidate: Candidate, request: GatewayRequest) {
  const { price } = priceFor(candidate.provider.settings, candidate.model);
  const promptEstimate = estimateRequestTokens(request);
  const outputReserve = request.params.max_tokens ?? DEFAULT_OUTPUT_RESERVE;
  return { price, promptEstimate, tokens: promptEstimate + outputReserve, nano: costNanoUsd(price, promptEstimate, outputReserve) };
}

/** Dollars for people: cents for large sums, four significant digits for small ones. */
function formatUsd(nano: number): string {
  const usd = nanoToUsd(nano);
  return usd >= 1 || usd === 0 ? `$${usd.toFixed(2)}` : `$${Number(usd.toPrecision(4))}`;
}

function scopeMatches(definition: BudgetDefinition, candidate: Candidate, routeName: string | undefined): boolean {
  const scope = definition.scope;
  switch (scope.kind) {
    case 'all':
      return true;
    case 'provider':
      return scope.providers.includes(candidate.provider.settings.name);
    case 'model':
      return scope.models.includes(candidate.key) || scope.models.includes(candidate.model);
    case 'pool':
      return routeName !== undefined && scope.routes.includes(routeName);
  }
}
