/** Scenario names → scenarios, and presets that reproduce the seeds' runs by name. */
import { fmtInt } from '../../shared/report/format';
import type { BenchOptions, ScenarioName } from '../options/options';
import { DEFAULT_MODELS } from '../options/options';
import { combineProcessFigures } from '../report/overhead-section';
import { blast, mix } from './blast';
import { compare } from './compare';
import { fixedRate, stages } from './fixed-rate';
import { overhead } from './overhead';
import type { ScenarioResult } from '../report/build-report';
import { scaled, scaledSec, type Scenario } from './scenario';
import { standard } from './standard';
import { DEFAULT_SWEEP, sweep } from './sweep';

export const SCENARIO_TABLE: Record<ScenarioName, Scenario> = {
  'fixed-rate': fixedRate,
  stages,
  blast,
  mix,
  sweep,
  compare,
  overhead,
};

export interface Preset {
  name: string;
  /** What the preset runs, with the counts this invocation actually uses. */
  title: (o: BenchOptions) => string;
  run: Scenario;
}

/** Runs scenarios one after another into one report, each with its own option defaults. */
function sequence(parts: { prefix: string; options: (o: BenchOptions) => BenchOptions; scenario: Scenario }[]): Scenario {
  return async (ctx) => {
    const merged: Required<Pick<ScenarioResult, 'phases' | 'notes'>> & ScenarioResult = { phases: [], notes: [] };
    const daemonParts: Parameters<typeof combineProcessFigures>[0] = [];
    for (const part of parts) {
      if (ctx.runner.interrupted) break;
      const result = await part.scenario({ ...ctx, o: part.options(ctx.o), prefix: part.prefix });
      merged.phases.push(...result.phases);
      merged.notes.push(...(result.notes ?? []));
      merged.sweep ??= result.sweep;
      merged.overhead ??= result.overhead;
      const served = result.phases.reduce((n, p) => n + p.counts.completed + p.counts.warmup, 0);
      daemonParts.push({ figures: result.daemon ?? null, requests: served });
    }
    merged.daemon = combineProcessFigures(daemonParts);
    return merged;
  };
}

export const PRESETS: Record<string, Preset> = {
  '000': {
    name: '000',
    title: (o) =>
      `Standard run: ${fmtInt(o.requests ?? scaled(o, 100_000))} ${o.stream ? 'streaming' : 'non-streaming'} chat requests, ${o.concurrency ?? 200} concurrent, ` +
      `${o.target ? o.target : `simulator at ${o.sim.latencyMs} ms`}, through the gateway and then direct`,
    run: standard,
  },
  '002': {
    name: '002',
    title: (o) =>
      o.scale === 1
        ? 'Load-testing set: vegeta-style 5 req/s for 120 s, a k6-style ramp, a blast of 30 × 600, a 70/30 mix of 30 × 900'
        : `Load-testing set scaled by ${o.scale}: vegeta-style rate, k6-style ramp, blast, 70/30 mix`,
    run: sequence([
      { prefix: 'vegeta', scenario: fixedRate, options: (o) => ({ ...o, rate: o.rate ?? 5, durationSec: o.durationSec ?? scaledSec(o, 120) }) },
      {
        prefix: 'k6',
        scenario: stages,
        options: (o) => ({
          ...o,
          stageKind: 'rate',
          stages: o.stages ?? [
            { durationSec: scaledSec(o, 30), target: 20 },
            { durationSec: scaledSec(o, 60), target: 20 },
            { durationSec: scaledSec(o, 30), target: 0 },
          ],
        }),
      },
      { prefix: 'blast', scenario: blast, options: (o) => ({ ...o, concurrency: o.concurrency ?? 30 }) },
      {
        prefix: 'mix',
        scenario: mix,
        options: (o) => (o.models.length >= 2 ? o : { ...o, models: DEFAULT_MODELS, weights: [70, 30] }),
      },
    ]),
  },
  '003': {
    name: '003',
    title: (o) =>
      `Benchmarking sweep: ${fmtInt(o.requests ?? scaled(o, 1000))} requests at ${(o.concurrencies ?? DEFAULT_SWEEP).join(', ')} concurrent, throughput ceiling marked`,
    run: sweep,
  },
};
