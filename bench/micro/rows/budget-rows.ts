/**
 * Budget accounting per provider call on the embedded ledger (memory only: the journal's
 * batched writes are measured by budget-reserve.ts): the reserve before the call and the
 * commit after it, the fit test each reservation applies to each budget, and the room left
 * in a pool's budget.
 */
import { EmbeddedLedger } from '../../../daemon/budgets/embedded-ledger';
import { fits, type BudgetDefinition, type Charge } from '../../../daemon/budgets/ledger';
import { HOT_PATH_BUDGET_NS, type MicroGroup } from '../micro-row';

const pool: BudgetDefinition = { name: 'chat-pool', scope: { kind: 'pool', routes: ['chat'] }, window: { kind: 'month' }, limitTokens: Number.MAX_SAFE_INTEGER, action: 'block' };
const reserve: Charge[] = [{ budget: 0, tokens: 1_100, nanoUsd: 2_750_000 }];
const actual: Charge[] = [{ budget: 0, tokens: 420, nanoUsd: 1_050_000 }];

export const budgetRows: MicroGroup = {
  title: 'Budget',
  rows: [
    { name: 'budget/reserve-commit', input: 'one pool budget: reserve the estimate, commit the actual usage', hooshNs: 32, budgetNs: HOT_PATH_BUDGET_NS },
    { name: 'budget/check', input: 'does a charge fit a budget (tokens and money)', hooshNs: 16, budgetNs: HOT_PATH_BUDGET_NS },
    { name: 'budget/pool-available', input: 'tokens left in a pool budget, from the ledger figures', hooshNs: 0.24, budgetNs: HOT_PATH_BUDGET_NS },
  ],
  async open() {
    const ledger = new EmbeddedLedger({ definitions: [pool], warn: () => {} });
    const ids = Array.from({ length: 1024 }, (_, i) => `r${i}`);
    const now = Date.now();
    let next = 0;
    const figures = ledger.figures(now)[0]!;
    return {
      bodies: {
        'budget/reserve-commit': () => {
          const id = ids[next++ & 1023]!;
          ledger.reserve(id, reserve, now);
          ledger.commit(id, actual, now);
        },
        'budget/check': () => fits(pool, figures, reserve[0]!),
        'budget/pool-available': () => {
          const f = ledger.figures(now)[0]!;
          return pool.limitTokens! - f.spentTokens - f.reservedTokens;
        },
      },
      close: () => ledger.close(),
    };
  },
};
