import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { reportCharts } from '../../../shared/report/charts/index';
import type { BenchReport } from '../../../shared/report/schema';

const SHARED = join(__dirname, '..', '..', '..', 'shared', 'report');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

test('the shared report code imports nothing Node-only, so the editor webview can run it', () => {
  for (const file of sources(SHARED)) {
    const text = readFileSync(file, 'utf8');
    const imports = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
    for (const spec of imports) {
      assert.ok(spec.startsWith('.') || spec.startsWith('@sinclair/typebox'), `${file} imports ${spec}`);
    }
    assert.doesNotMatch(text, /\brequire\(|\bprocess\.|\bBuffer\b|\bdocument\.|\bwindow\./, file);
  }
});

test('an empty report still draws (no NaN in any chart)', () => {
  const report = {
    scenario: 'blast',
    phases: [],
    sweep: { points: [], ceiling: null },
    overhead: null,
    baselineDiff: { baseline: 'a', current: 'b', rows: [], regressions: 0, improvements: 0 },
  } as unknown as BenchReport;
  const charts = reportCharts(report);
  assert.deepEqual(charts.map((c) => c.id), ['percentiles', 'sweep', 'baseline']);
  for (const c of charts) {
    assert.match(c.svg, /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.doesNotMatch(c.svg, /NaN|undefined|Infinity/);
  }
});
