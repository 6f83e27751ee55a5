/**
 * Merges the outcomes of several runs of the same load (the rounds of an alternating
 * overhead run) into one: counts and windows add up, histograms merge exactly.
 */
import type { PhaseOutcome } from './phase-spec';
import { encodeHistogram, mergeEncoded } from '../metrics/hdr';

type HdrKey = keyof PhaseOutcome['hdr'];

export function mergeOutcomes(outcomes: readonly PhaseOutcome[]): PhaseOutcome {
  if (outcomes.length === 1) return outcomes[0]!;
  const first = outcomes[0]!;
  const sum = (pick: (o: PhaseOutcome) => number) => outcomes.reduce((s, o) => s + pick(o), 0);
  const mergeHdr = (list: (string | null)[]) => {
    const present = list.filter((e): e is string => e !== null);
    return present.length ? encodeHistogram(mergeEncoded(present)) : null;
  };
  const counts = { ...first.counts };
  for (const key of Object.keys(counts) as (keyof typeof counts)[]) counts[key] = sum((o) => o.counts[key]);
  const errors: Record<string, number> = {};
  for (const o of outcomes) for (const [k, v] of Object.entries(o.errors)) errors[k] = (errors[k] ?? 0) + v;
  const hdr = {} as PhaseOutcome['hdr'];
  for (const key of Object.keys(first.hdr) as HdrKey[]) hdr[key] = mergeHdr(outcomes.map((o) => o.hdr[key]));
  let offset = 0;
  const timeline = outcomes.flatMap((o) => {
    const shifted = o.timeline.map((p) => ({ ...p, tSec: p.tSec + offset }));
    const last = o.timeline[o.timeline.length - 1];
    offset += last ? last.tSec + last.windowSec : 0;
    return shifted;
  });
  const windowMs = sum((o) => o.windowMs);
  const reasons = [...new Set(outcomes.flatMap((o) => o.generator.reasons))];
  return {
    counts,
    errors,
    outputTokens: sum((o) => o.outputTokens),
    windowMs,
    sendSpanMs: sum((o) => o.sendSpanMs),
    hdr,
    byModel: first.byModel.map((_, i) => ({
      requests: sum((o) => o.byModel[i]?.requests ?? 0),
      errors: sum((o) => o.byModel[i]?.errors ?? 0),
      hdr: mergeHdr(outcomes.map((o) => o.byModel[i]?.hdr ?? null)),
    })),
    timeline,
    goodputRequests: first.goodputRequests === null ? null : sum((o) => o.goodputRequests ?? 0),
    interrupted: outcomes.some((o) => o.interrupted),
    generator: {
      cpuFraction: windowMs > 0 ? sum((o) => o.generator.cpuFraction * o.windowMs) / windowMs : 0,
      eventLoopDelayP99Ms: Math.max(...outcomes.map((o) => o.generator.eventLoopDelayP99Ms)),
      eventLoopDelayMaxMs: Math.max(...outcomes.map((o) => o.generator.eventLoopDelayMaxMs)),
      bound: reasons.length > 0,
      reasons,
    },
  };
}
