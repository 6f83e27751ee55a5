/** Writes the JSON and HTML reports and the named baseline; returns the paths written. */
import { join } from 'node:path';
import type { BenchReport } from '../../shared/report/schema';
import { baselinePath, writeReportJson, writeText } from '../baseline/report-files';
import type { BenchOptions } from '../options/options';
import { renderHtmlReport } from './html-report';

export function writeOutputs(report: BenchReport, o: BenchOptions, runName: string): string[] {
  const stamp = report.createdAt.replace(/[:.]/g, '-');
  const jsonPath = o.json ?? join(o.outDir, `${runName}-${stamp}.json`);
  const htmlPath = o.html ?? jsonPath.replace(/\.json$/, '') + '.html';
  writeReportJson(jsonPath, report);
  writeText(htmlPath, renderHtmlReport(report));
  const written = [jsonPath, htmlPath];
  if (o.saveBaseline) {
    const path = baselinePath(o.outDir, o.saveBaseline);
    writeReportJson(path, report);
    written.push(path);
  }
  return written;
}
