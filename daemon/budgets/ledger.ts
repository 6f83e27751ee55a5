/**
 * The budget ledger: what has been spent and reserved against each budget. Two
 * implementations: embedded (memory plus an append-only journal, for one daemon) and Redis
 * (Lua scripts, for several daemons sharing one ledger).
 *
 * Protocol, per provider call: `reserve` the estimate for every budget the call counts
 * against, all or nothing; then, on the hold it returns, `commit` (the actual usage) or
 * `release` (the call failed or was cancelled); only the first of them counts. Amounts are
 * integer tokens and integer nano-dollars.
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

export interface BudgetFigures {
  name: string;
  spentTokens: number;
  reservedTokens: number;
  spentNanoUsd: number;
  reservedNanoUsd: number;
  /** Unix ms when the window resets (calendar) or next frees spending (rolling). */
  resetsAt: number;
}

/**
 * A reservation that went through: commit or release it through the handle itself, so the
 * ledger needs no table of reservation ids. The first commit or release settles it; anything
 * after that counts nothing.
 */
export interface Hold {
  readonly ok: true;
  /** Counts the actual usage against every budget the reservation held, and gives back the estimate. */
  commit(tokens: number, nanoUsd: number, now: number): void | Promise<void>;
  /** Gives the estimate back: the call failed or was cancelled. */
  release(): void | Promise<void>;
}

export interface Refusal {
  readonly ok: false;
  /** Index of the first enforced budget the charge does not fit in. */
  budget: number;
  figures: BudgetFigures;
}

export type ReserveOutcome = Hold | Refusal;

/** The room left in one budget. */
export interface BudgetRoom {
  /** Tokens that can still be reserved: Infinity without a token limit, negative once overspent. */
  availableTokens(now: number): number;
  /** Nano-dollars that can still be reserved: Infinity without a money limit. */
  availableNanoUsd(now: number): number;
  /** Whether a charge fits: the test every reservation makes of every budget it counts against. */
  fits(tokens: number, nanoUsd: number, now: number): boolean;
}

export interface Ledger {
  readonly kind: 'embedded' | 'redis';
  /** Reserves the same estimate against each of `budgets` (indices into the definitions): all or nothing. */
  reserve(budgets: readonly number[], tokens: number, nanoUsd: number, now: number): ReserveOutcome | Promise<ReserveOutcome>;
  /** Resolves once everything committed so far is durable (written to the journal, or acknowledged by Redis). */
  durable(): Promise<void>;
  figures(now: number): BudgetFigures[] | Promise<BudgetFigures[]>;
  /** The room left in every budget, in definition order. */
  room(now: number): readonly BudgetRoom[] | Promise<readonly BudgetRoom[]>;
  /** Where the ledger lives right now, for the status route. */
  state(): 'embedded' | 'redis' | 'degraded';
  close(): Promise<void>;
}
