import { Counter, Gauge, type Registry } from 'prom-client';
import type { BudgetReport, BudgetService } from './budget-service';

/** Minimum time between two ledger reads for a scrape: one read serves every gauge. */
const REFRESH_MS = 500;

/**
 * Budget figures as Prometheus gauges, read from the ledger when scraped (one read for all
 * the gauges of a scrape), plus a counter of requests refused by a budget.
 */
export function registerBudgetMetrics(registry: Registry, budgets: BudgetService): { rejected: Counter<'budget'> } {
  let last: { at: number; report: Promise<BudgetReport> } | undefined;
  const read = (): Promise<BudgetReport> => {
    const now = Date.now();
    if (last === undefined || now - last.at > REFRESH_MS) last = { at: now, report: budgets.report(now) };
    return last.report;
  };
  const gauge = (name: string, help: string, value: (entry: BudgetReport['budgets'][number]) => number | undefined): void => {
    new Gauge({
      name,
      help,
      labelNames: ['budget'] as const,
      registers: [registry],
      async collect() {
        const report = await read();
        for (const entry of report.budgets) {
          const figure = value(entry);
          if (figure !== undefined) this.labels(entry.name).set(figure);
        }
      },
    });
  };
  gauge('switchyard_budget_spent_tokens', 'Tokens spent in the budget window', (entry) => entry.spent.tokens);
  gauge('switchyard_budget_reserved_tokens', 'Tokens reserved by calls in flight', (entry) => entry.reserved.tokens);
  gauge('switchyard_budget_limit_tokens', 'Token limit of the budget', (entry) => entry.limit.tokens);
  gauge('switchyard_budget_spent_usd', 'USD spent in the budget window', (entry) => entry.spent.usd);
  gauge('switchyard_budget_reserved_usd', 'USD reserved by calls in flight', (entry) => entry.reserved.usd);
  gauge('switchyard_budget_limit_usd', 'USD limit of the budget', (entry) => entry.limit.usd);
  gauge('switchyard_budget_resets_at_seconds', 'Unix time when the budget window resets', (entry) => Date.parse(entry.resetsAt) / 1000);
  new Gauge({
    name: 'switchyard_budget_ledger_degraded',
    help: '1 while the team ledger (Redis) is unreachable and budgets are enforced locally',
    registers: [registry],
    collect() {
      this.set(budgets.ledgerState === 'degraded' ? 1 : 0);
    },
  });
  const rejected = new Counter({
    name: 'switchyard_budget_rejections_total',
    help: 'Provider calls refused because a budget had no room for them',
    labelNames: ['budget'] as const,
    registers: [registry],
  });
  return { rejected };
}
