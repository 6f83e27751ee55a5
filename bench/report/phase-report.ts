/** Turns what the generator measured in one phase into the report's phase section. */
import type { GoodputSlo, LoadSpec, PhaseReport, ProcessFigures } from '../../shared/report/schema';
import { distributionFromEncoded } from '../metrics/distribution';
import { decodeHistogram } from '../metrics/hdr';
import type { PhaseOutcome } from '../generator/phase-spec';

export interface PhaseMeta {
  name: string;
  label: string;
  role: PhaseReport['role'];
  targetUrl: string;
  models: string[];
  stream: boolean;
  load: LoadSpec;
  slo: GoodputSlo | null;
}

export function buildPhaseReport(
  meta: PhaseMeta,
  outcome: PhaseOutcome,
  processes: { daemon?: ProcessFigures | null; proxy?: ProcessFigures | null } = {},
): PhaseReport {
  const windowSec = outcome.windowMs / 1000;
  const perSecond = (n: number) => (windowSec > 0 ? n / windowSec : 0);
  const { counts } = outcome;
  return {
    name: meta.name,
    label: meta.label,
    role: meta.role,
    targetUrl: meta.targetUrl,
    models: meta.models,
    stream: meta.stream,
    load: meta.load,
    counts,
    windowSec,
    requestsPerSecond: perSecond(counts.completed),
    okPerSecond: perSecond(counts.ok),
    achievedRate: meta.load.mode === 'open' ? (outcome.sendSpanMs > 0 ? ((counts.sent - 1) * 1000) / outcome.sendSpanMs : 0) : null,
    outputTokens: outcome.outputTokens,
    outputTokensPerSecond: perSecond(outcome.outputTokens),
    errors: outcome.errors,
    latency: distributionFromEncoded(outcome.hdr.latency),
    service: distributionFromEncoded(outcome.hdr.service),
    ttft: distributionFromEncoded(outcome.hdr.ttft),
    tpot: distributionFromEncoded(outcome.hdr.tpot),
    itl: distributionFromEncoded(outcome.hdr.itl),
    goodput:
      meta.slo && outcome.goodputRequests !== null
        ? {
            slo: meta.slo,
            requests: outcome.goodputRequests,
            requestsPerSecond: perSecond(outcome.goodputRequests),
            fraction: counts.completed > 0 ? outcome.goodputRequests / counts.completed : 0,
          }
        : null,
    timeline: outcome.timeline,
    byModel: meta.models.map((model, i) => {
      const m = outcome.byModel[i] ?? { requests: 0, errors: 0, hdr: null };
      const h = m.hdr ? decodeHistogram(m.hdr) : null;
      return {
        model,
        requests: m.requests,
        fraction: counts.completed > 0 ? m.requests / counts.completed : 0,
        errors: m.errors,
        requestsPerSecond: perSecond(m.requests),
        p50Ms: h ? h.getValueAtPercentile(50) / 1000 : null,
        p99Ms: h ? h.getValueAtPercentile(99) / 1000 : null,
      };
    }),
    generator: outcome.generator,
    daemon: processes.daemon ?? null,
    proxy: processes.proxy ?? null,
    interrupted: outcome.interrupted,
  };
}
