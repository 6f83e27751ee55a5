/** `switchyard bench compare A.json B.json`: which figures moved, by how much, and whether beyond noise. */
import { parseArgs } from 'node:util';
import { diffReports } from '../../shared/report/baseline-diff';
import { diffMicroReports } from '../baseline/micro-diff';
import { loadMicroReport, loadReport, writeReportJson, writeText } from '../baseline/report-files';
import { renderHtmlReport } from '../report/html-report';
import { baselineText, diffText } from '../report/terminal-report';

export async function runCompareCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { html: { type: 'string' }, json: { type: 'string' }, 'out-dir': { type: 'string' } } });
  } catch (err) {
    process.stderr.write(`switchyard bench compare: ${(err as Error).message}\n`);
    return 2;
  }
  const [a, b] = parsed.positionals;
  if (!a || !b || parsed.positionals.length !== 2) {
    process.stderr.write('Usage: switchyard bench compare BASELINE.json CURRENT.json [--html FILE] [--json FILE]\n');
    return 2;
  }
  const outDir = parsed.values['out-dir'] ?? '.bench-results';
  const microBase = loadMicroReport(a, outDir);
  const microCurrent = loadMicroReport(b, outDir);
  if (microBase || microCurrent) {
    if (!microBase || !microCurrent) {
      process.stderr.write('switchyard bench compare: a micro-suite report (npm run bench:micro -- --json) compares only with another one\n');
      return 2;
    }
    const diff = diffMicroReports(microBase, microCurrent, a, b);
    process.stdout.write(`${diffText(diff)}\n`);
    if (parsed.values.json) writeText(parsed.values.json, `${JSON.stringify({ ...microCurrent, baselineDiff: diff }, null, 2)}\n`);
    return diff.regressions > 0 ? 1 : 0;
  }
  let base, current;
  try {
    base = loadReport(a, outDir);
    current = loadReport(b, outDir);
  } catch (err) {
    process.stderr.write(`switchyard bench compare: ${(err as Error).message}\n`);
    return 2;
  }
  const diff = diffReports(base.report, current.report, a, b);
  const withDiff = { ...current.report, baselineDiff: diff };
  process.stdout.write(`${baselineText(withDiff)}\n`);
  if (diff.rows.every((r) => r.verdict === 'noise-unknown'))
    process.stdout.write('\nNeither report measured its noise; re-run both with --repeat 3 so that changes can be judged.\n');
  if (parsed.values.json) writeReportJson(parsed.values.json, withDiff);
  if (parsed.values.html) writeText(parsed.values.html, renderHtmlReport(withDiff));
  return diff.regressions > 0 ? 1 : 0;
}
