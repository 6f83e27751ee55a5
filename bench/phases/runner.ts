/**
 * Runs phases on the generator process for a scenario: shows progress, watches the
 * daemon (and proxy) while the load runs, and turns Ctrl-C into a partial report.
 */
import type { PhaseReport, ProcessFigures } from '../../shared/report/schema';
import { fixedRateOf } from '../generator/arrival-schedule';
import type { GeneratorClient } from '../generator/generator-client';
import type { PhaseOutcome, PhaseSpec } from '../generator/phase-spec';
import { buildPhaseReport, type PhaseMeta } from '../report/phase-report';
import type { ProgressSink } from '../report/progress-line';
import type { ProcessSample } from '../targets/bench-stack';
import { describeLoad } from './spec-builder';
import { watchProcess } from './process-watch';

export interface Watched {
  daemon?: { sample: () => Promise<ProcessSample | null>; rssIdleBytes: number | null };
  proxy?: { sample: () => Promise<ProcessSample | null>; rssIdleBytes: number | null };
}

export interface PhaseRun {
  outcome: PhaseOutcome;
  report: PhaseReport;
  daemon: ProcessFigures | null;
  proxy: ProcessFigures | null;
}

export class BenchRunner {
  private stopped = false;

  constructor(
    private readonly generator: GeneratorClient,
    private readonly progress: ProgressSink,
  ) {}

  get interrupted(): boolean {
    return this.stopped;
  }

  /** Stops the running phase (it reports what ran) and every phase after it. */
  interrupt(): void {
    this.stopped = true;
    this.generator.stop();
  }

  async runPhase(meta: Omit<PhaseMeta, 'load' | 'targetUrl' | 'models' | 'stream' | 'slo'>, spec: PhaseSpec, watched: Watched = {}): Promise<PhaseRun> {
    const daemonWatch = watched.daemon ? await watchProcess(watched.daemon.sample, watched.daemon.rssIdleBytes) : null;
    const proxyWatch = watched.proxy ? await watchProcess(watched.proxy.sample, watched.proxy.rssIdleBytes) : null;
    this.progress.begin(meta.label, expectedRequests(spec));
    let outcome: PhaseOutcome;
    try {
      outcome = await this.generator.runPhase(spec, (p) => this.progress.update(p));
    } finally {
      this.progress.end();
    }
    const served = outcome.counts.completed + outcome.counts.warmup;
    const daemon = daemonWatch ? await daemonWatch.finish(served) : null;
    const proxy = proxyWatch ? await proxyWatch.finish(served) : null;
    const fullMeta: PhaseMeta = { ...meta, load: describeLoad(spec.load), targetUrl: spec.targetUrl, models: spec.models, stream: spec.stream, slo: spec.slo };
    return { outcome, report: buildPhaseReport(fullMeta, outcome, { daemon, proxy }), daemon, proxy };
  }
}

function expectedRequests(spec: PhaseSpec): number | null {
  if (spec.load.mode === 'closed') return spec.load.requests ?? null;
  if (spec.load.plan.maxArrivals !== undefined) return spec.load.plan.maxArrivals;
  const rate = fixedRateOf(spec.load.plan);
  return rate !== null ? Math.round(rate * spec.load.plan.stages[0]!.durationSec) : null;
}
