import type { ModelChoice } from '../../shared/lsp/protocol';
import { guessFim } from '../providers/model-hints';
import { candidateStatuses } from '../routing/provider-status';
import type { Router } from '../routing/router';

/** Every provider + model the switcher can offer, local first, with health and moving-average latency. */
export function modelChoices(router: Router): ModelChoice[] {
  return candidateStatuses(router)
    .map((status) => {
      // Streamed time to first token is what a completion waits for; a whole reply's latency otherwise.
      const ttft = status.ttftMsAvg ?? status.latencyMsAvg;
      return {
        provider: status.provider,
        model: status.model,
        key: `${status.provider}/${status.model}`,
        local: status.local,
        health: status.health,
        ...(ttft !== null ? { ttftMs: ttft } : {}),
        inFlight: status.inFlight,
        errorRate: status.errorRate,
        fim: guessFim(status.model),
      };
    })
    .sort((a, b) => Number(b.local) - Number(a.local));
}
