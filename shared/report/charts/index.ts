/**
 * Every chart a report calls for, as SVG strings: what the HTML report and the editor's
 * webview both show. JSON in, SVG out.
 */
import type { BenchReport } from '../schema';
import { baselineDiffChart } from './baseline-diff-chart';
import { modelBarsChart, modelShareChart, overheadChart, phaseComparisonChart } from './comparison-charts';
import { histogramChart } from './histogram-chart';
import { percentileCurveChart } from './percentile-curve';
import { sweepChart } from './sweep-chart';
import { timelineChart } from './timeline-chart';

export interface ChartView {
  id: string;
  kind: 'percentiles' | 'streaming' | 'histogram' | 'timeline' | 'sweep' | 'models' | 'overhead' | 'compare' | 'baseline';
  svg: string;
}

/** Phases drawn one chart each (histogram, timeline); a sweep keeps its first, ceiling and last levels. */
const MAX_PER_PHASE_CHARTS = 6;

export function reportCharts(report: BenchReport): ChartView[] {
  const charts: ChartView[] = [{ id: 'percentiles', kind: 'percentiles', svg: percentileCurveChart(report.phases) }];
  const streamed = report.phases.filter((p) => p.ttft);
  if (streamed.length) {
    charts.push({ id: 'ttft', kind: 'streaming', svg: percentileCurveChart(streamed, 'ttft', 'Time to first token by percentile', (p) => p.ttft, 'TTFT') });
    charts.push({ id: 'itl', kind: 'streaming', svg: percentileCurveChart(streamed, 'itl', 'Inter-token latency by percentile', (p) => p.itl, 'gap') });
  }
  if (report.sweep) charts.push({ id: 'sweep', kind: 'sweep', svg: sweepChart(report.sweep) });
  if (report.overhead && (report.overhead.requestsPerSecond.direct !== null || report.overhead.requestsPerSecond.proxy !== null))
    charts.push({ id: 'overhead', kind: 'overhead', svg: overheadChart(report.overhead) });
  if (report.scenario === 'compare' && report.phases.length > 1) charts.push({ id: 'compare', kind: 'compare', svg: phaseComparisonChart(report.phases) });
  report.phases.forEach((p, i) => {
    if (p.byModel.length > 1) {
      charts.push({ id: `models-${i}`, kind: 'models', svg: modelShareChart(p, `models-${i}`) });
      charts.push({ id: `models-latency-${i}`, kind: 'models', svg: modelBarsChart(p, `models-latency-${i}`) });
    }
  });
  for (const { p, i } of chartedPhases(report)) {
    charts.push({ id: `histogram-${i}`, kind: 'histogram', svg: histogramChart(p, `histogram-${i}`) });
    charts.push({ id: `timeline-${i}`, kind: 'timeline', svg: timelineChart(p, `timeline-${i}`) });
  }
  if (report.baselineDiff) charts.push({ id: 'baseline', kind: 'baseline', svg: baselineDiffChart(report.baselineDiff) });
  return charts;
}

function chartedPhases(report: BenchReport) {
  const all = report.phases.map((p, i) => ({ p, i }));
  if (all.length <= MAX_PER_PHASE_CHARTS) return all;
  const ceiling = report.sweep?.ceiling ? report.phases.findIndex((p) => p.name === report.sweep!.points.find((s) => s.concurrency === report.sweep!.ceiling!.concurrency)?.phase) : -1;
  const keep = new Set([0, ceiling, all.length - 1].filter((i) => i >= 0));
  for (const x of all) if (keep.size < MAX_PER_PHASE_CHARTS) keep.add(x.i);
  return all.filter((x) => keep.has(x.i));
}
