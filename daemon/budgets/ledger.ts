/**
 * The budget ledger: what has been spent and reserved against each budget. Two
 * implementations: embedded (memory plus an append-only journal, for one daemon) and Redis
 * (Lua scripts, for several daemons sharing one ledger).
 *
 * Protocol, per provider call: `reserve` the estimate for every budget the call counts
 * against, all or nothing; then exactly one of `commit` (the actual usage) or `release`
 * (the call failed or was cancelled). Amounts are integer tokens and integer nano-dollars.
 */
import type { BudgetWindow } from './windows';

export type BudgetAction = 'block' | 'fallback-local' | 'warn';

export type BudgetScope =
  | { kind: 'all' }
  | { kind: 'provider'; providers: string[] }
  | { kind: 'model'; models: string[] }
  | { kind: 'pool'; routes: string[] };

export interface BudgetDefinition {
  name: string;
  scope: BudgetScope;
  window: BudgetWindow;
  limitTokens?: number;
  limitNanoUsd?: number;
  action: BudgetAction;
  /** A local model to send requests to when this budget runs out (`fallback-local`) and the route has no local candidate. */
  fallbackModel?: string;
}

export interface Charge {
  /** Index of the budget in the ledger's definitions. */
  budget: number;
  tokens: number;
  nanoUsd: number;
}

export interface BudgetFigures {
  name: string;
  spentTokens: number;
  reservedTokens: number;
  spentNanoUsd: number;
  reservedNanoUsd: number;
  /** Unix ms when the window resets (calendar) or next frees spending (rolling). */
  resetsAt: number;
}

export type ReserveOutcome =
  | { ok: true }
  /** `budget` is the index of the first enforced budget the charge does not fit in. */
  | { ok: false; budget: number; figures: BudgetFigures };

export interface Ledger {
  readonly kind: 'embedded' | 'redis';
  reserve(id: string, charges: readonly Charge[], now: number): ReserveOutcome | Promise<ReserveOutcome>;
  commit(id: string, actual: readonly Charge[], now: number): void | Promise<void>;
  release(id: string): void | Promise<void>;
  /** Resolves once everything committed so far is durable (written to the journal, or acknowledged by Redis). */
  durable(): Promise<void>;
  figures(now: number): BudgetFigures[] | Promise<BudgetFigures[]>;
  /** Where the ledger lives right now, for the status route. */
  state(): 'embedded' | 'redis' | 'degraded';
  close(): Promise<void>;
}

/** Whether a charge fits a budget: a limit of undefined is no limit, and a $0 charge never fails a money limit. */
export function fits(definition: BudgetDefinition, figures: Omit<BudgetFigures, 'name' | 'resetsAt'>, charge: Charge): boolean {
  if (definition.action === 'warn') return true;
  if (definition.limitTokens !== undefined && charge.tokens > 0) {
    if (figures.spentTokens + figures.reservedTokens + charge.tokens > definition.limitTokens) return false;
  }
  if (definition.limitNanoUsd !== undefined && charge.nanoUsd > 0) {
    if (figures.spentNanoUsd + figures.reservedNanoUsd + charge.nanoUsd > definition.limitNanoUsd) return false;
  }
  return true;
}
