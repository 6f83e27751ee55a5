import type { BudgetLine, CompletionSettings, EditorStatus } from '../../shared/lsp/protocol';
import type { BudgetService } from '../budgets/budget-service';
import type { Router } from '../routing/router';
import type { RouteResolution } from './active-route';

/** A budget this close to its limit turns the status bar to a warning. */
const BUDGET_WARNING_FRACTION = 0.9;

export interface StatusInputs {
  settings: CompletionSettings;
  resolution: RouteResolution;
  lastCompletion?: EditorStatus['lastCompletion'];
  router: Router;
  budgets?: BudgetService;
  daemon: EditorStatus['daemon'];
}

/** What one editor's status bar shows, from the route it would use now and the daemon's live state. */
export async function buildEditorStatus(inputs: StatusInputs): Promise<EditorStatus> {
  const { settings, resolution, lastCompletion, router, daemon } = inputs;
  const budgetReport = inputs.budgets === undefined ? undefined : await inputs.budgets.report();
  const budgets: BudgetLine[] = (budgetReport?.budgets ?? []).map((entry) => ({
    name: entry.name,
    spentUsd: entry.spent.usd,
    ...(entry.limit.usd !== undefined ? { limitUsd: entry.limit.usd } : {}),
    spentTokens: entry.spent.tokens,
    ...(entry.limit.tokens !== undefined ? { limitTokens: entry.limit.tokens } : {}),
    resetsAt: entry.resetsAt,
  }));
  const base = { budgets, daemon, ...(lastCompletion !== undefined ? { lastCompletion } : {}) };
  if (resolution.state !== 'ok') return { ...base, state: settings.enabled ? resolution.state : 'paused', message: resolution.message };

  const { active } = resolution;
  if (!settings.enabled) return { ...base, state: 'paused', active, message: 'Completions are paused.' };
  const warning = degradation(router, `${active.provider}/${active.model}`, active.provider, budgets, budgetReport?.ledger);
  return warning === undefined ? { ...base, state: 'ok', active } : { ...base, state: 'warning', active, message: warning };
}

function degradation(router: Router, key: string, provider: string, budgets: BudgetLine[], ledger: string | undefined): string | undefined {
  if (router.prober.isDown(provider)) return `${provider} is not answering its health probes.`;
  const breaker = router.allCandidates().find((candidate) => candidate.key === key)?.breaker;
  if (breaker !== undefined && breaker.state(performance.now()) === 'open') return `${key} failed repeatedly; its circuit breaker is open.`;
  if (ledger === 'degraded') return 'The budget ledger cannot be written; spending is counted in memory only.';
  for (const budget of budgets) {
    const usdNear = budget.limitUsd !== undefined && budget.limitUsd > 0 && budget.spentUsd >= budget.limitUsd * BUDGET_WARNING_FRACTION;
    const tokensNear = budget.limitTokens !== undefined && budget.limitTokens > 0 && budget.spentTokens >= budget.limitTokens * BUDGET_WARNING_FRACTION;
    if (usdNear || tokensNear) return `Budget "${budget.name}" is nearly spent (resets ${budget.resetsAt}).`;
  }
  return undefined;
}
