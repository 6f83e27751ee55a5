/**
 * Budget accounting per provider call on the embedded ledger (memory only: the journal's
 * batched writes are measured by budget-reserve.ts), called as the budget service calls it:
 * the reserve before the call (against the budget list the service caches per candidate and
 * route) and the commit through the hold it returns; the fit test each reservation applies to
 * each budget; and the room left in a pool's budget.
 */
import { EmbeddedLedger } from '../../../daemon/budgets/embedded-ledger';
import type { BudgetDefinition } from '../../../daemon/budgets/ledger';
import { HOT_PATH_BUDGET_NS, type MicroGroup } from '../micro-row';

const pool: BudgetDefinition = { name: 'chat-pool', scope: { kind: 'pool', routes: ['chat'] }, window: { kind: 'month' }, limitTokens: Number.MAX_SAFE_INTEGER, action: 'block' };
const poolBudgets: readonly number[] = [0];
const estimate = { tokens: 1_100, nanoUsd: 2_750_000 };
const actual = { tokens: 420, nanoUsd: 1_050_000 };

export const budgetRows: MicroGroup = {
  title: 'Budget',
  rows: [
    { name: 'budget/reserve-commit', input: 'one pool budget: reserve the estimate, commit the actual usage through the hold', hooshNs: 32, budgetNs: HOT_PATH_BUDGET_NS },
    { name: 'budget/check', input: 'does a charge fit a budget (window check, tokens and money)', hooshNs: 16, budgetNs: HOT_PATH_BUDGET_NS },
    { name: 'budget/pool-available', input: 'tokens left in a pool budget: window check, running figure', hooshNs: 0.24, budgetNs: HOT_PATH_BUDGET_NS },
  ],
  async open() {
    const ledger = new EmbeddedLedger({ definitions: [pool], warn: () => {} });
    const now = Date.now();
    const room = ledger.room()[0]!;
    return {
      bodies: {
        'budget/reserve-commit': () => {
          const hold = ledger.reserve(poolBudgets, estimate.tokens, estimate.nanoUsd, now);
          if (hold.ok) hold.commit(actual.tokens, actual.nanoUsd, now);
          return hold;
        },
        'budget/check': () => room.fits(estimate.tokens, estimate.nanoUsd, now),
        'budget/pool-available': () => room.availableTokens(now),
      },
      close: () => ledger.close(),
    };
  },
};
