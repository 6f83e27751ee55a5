/**
 * A benchmark report (schema `switchyard.bench.report`) turned into the figures a user compares
 * models by: the median time to first token and the decode speed (1000 / median time per
 * output token) of the phase that loaded the model. Needs a streamed run: without streaming
 * there is no first token to time.
 */
import type { MeasuredFigures } from '../../shared/hardware/recommendations';
import type { BenchReport, PhaseReport } from '../../shared/report/schema';
import { parseReport } from '../../shared/report/validate';
import { GatewayError } from '../core/errors';

export function measuredFromReport(reportJson: string, model: string): MeasuredFigures {
  const parsed = parseReport(reportJson, 'the benchmark report');
  if (!parsed.ok) throw new GatewayError('internal', parsed.error);
  return measuredFromParsed(parsed.report, model);
}

export function measuredFromParsed(report: BenchReport, model: string): MeasuredFigures {
  const phase = report.phases.find((candidate) => hasFigures(candidate) && candidate.models.includes(model));
  if (phase === undefined) {
    const failed = report.phases.find((candidate) => candidate.models.includes(model));
    // The provider, not the daemon, failed the benchmark's requests.
    throw new GatewayError(
      'upstreamError',
      failed === undefined
        ? `the benchmark report has no phase for "${model}"`
        : `The benchmark of "${model}" has no streamed figures: ${failed.counts.ok} of ${failed.counts.completed} requests succeeded${Object.keys(failed.errors).length > 0 ? ` (errors: ${Object.keys(failed.errors).join(', ')})` : ''}.`,
    );
  }
  return {
    model,
    ttftMs: round(phase.ttft!.summary.p50Ms),
    tokensPerSecond: round(1000 / phase.tpot!.summary.p50Ms),
    measuredAt: report.createdAt,
    scenario: report.scenario,
    requests: phase.counts.ok,
  };
}

function hasFigures(phase: PhaseReport): boolean {
  return phase.counts.ok > 0 && phase.ttft !== null && phase.tpot !== null && phase.tpot.summary.p50Ms > 0;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
