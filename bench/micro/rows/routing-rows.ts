/**
 * Route selection as every request pays it: the eligibility pass (health, breaker, 429
 * back-off, deadline, cloud) plus the strategy, over candidates with realistic live state
 * (every one measured, some busy, one breaker open, one backing off after a 429).
 */
import type { MicroGroup } from '../micro-row';
import { HOT_PATH_BUDGET_NS } from '../micro-row';
import { routeOver, routerFor, settingsRegistry } from './provider-fixtures';

export const routingRows: MicroGroup = {
  title: 'Routing',
  rows: [
    { name: 'routing/priority-20', input: 'priority, 20 candidates, one breaker open, one rate-limited', hooshNs: 220, budgetNs: HOT_PATH_BUDGET_NS },
    { name: 'routing/round-robin-10', input: 'round-robin, 10 candidates', hooshNs: 112, budgetNs: HOT_PATH_BUDGET_NS },
  ],
  async open() {
    const { registry, providers } = settingsRegistry(20);
    const router = routerFor(registry, providers, { priority: routeOver(providers, 20, 'priority'), 'round-robin': routeOver(providers, 10, 'round-robin') });
    const now = performance.now();
    const candidates = router.allCandidates();
    candidates.forEach((candidate, i) => {
      for (let k = 0; k < 10; k++) candidate.stats.recordFirstAnswer(50 + ((i * 37 + k * 11) % 400), true, now);
      candidate.stats.inFlight = (i * 7) % 5;
    });
    // The first usable candidate is not the first listed: priority checks a few before choosing.
    for (let k = 0; k < 5; k++) candidates[0]!.breaker.onFailure(now);
    candidates[1]!.stats.rateLimitedUntil = now + 3_600_000;
    const selection = { streamed: true, now, exploreAfterMs: 30_000, remainingMs: 120_000 };
    const priority = router.route('priority')!;
    const roundRobin = router.route('round-robin')!;
    return {
      bodies: {
        'routing/priority-20': () => priority.selectFirst(selection),
        'routing/round-robin-10': () => roundRobin.selectFirst(selection),
      },
      close: () => router.close(),
    };
  },
};
