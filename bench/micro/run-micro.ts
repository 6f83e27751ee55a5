/**
 * `npm run bench:micro`: every row of the micro suite, or those whose name matches
 * `--filter` (a regular expression, e.g. `cache/` or `routing|budget`), each measured in
 * `--rounds` rounds (3 by default), each round in a fresh process (see merge-rounds.ts: their
 * spread is the noise a comparison needs). Prints the table,
 * writes the JSON with `--json FILE` (compare two with `switchyard bench compare A B`) and
 * the Markdown table with `--markdown FILE`. Exits 1 when a row failed: a row whose feature
 * is missing fails loudly, it never reports nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { measureRow } from './measure-row';
import { mergeRounds } from './merge-rounds';
import { MICRO_REPORT_KIND, type MicroReport, type MicroRowResult } from '../baseline/micro-report';
import type { MicroGroup, OpenGroup } from './micro-row';
import { microMarkdown, microText } from './micro-table';
import { budgetRows } from './rows/budget-rows';
import { cacheRows } from './rows/cache-rows';
import { configRows } from './rows/config-rows';
import { endToEndRows } from './rows/end-to-end-rows';
import { hardwareRows } from './rows/hardware-rows';
import { machineRows } from './rows/machine-rows';
import { providerRows } from './rows/provider-rows';
import { routingRows } from './rows/routing-rows';

export const MICRO_GROUPS: MicroGroup[] = [machineRows, routingRows, providerRows, cacheRows, budgetRows, configRows, hardwareRows, endToEndRows];

/** Every selected row, one round each, in this process (a run of several rounds gives each its own: see `runRoundsInProcesses`). */
export async function runMicro(filter: RegExp | undefined, onRow: (row: MicroRowResult) => void = () => {}): Promise<MicroRowResult[]> {
  const results: MicroRowResult[] = [];
  for (const group of MICRO_GROUPS) {
    const selected = group.rows.filter((row) => filter === undefined || filter.test(row.name));
    if (selected.length === 0) continue;
    let opened: OpenGroup | undefined;
    let openError: unknown;
    try {
      opened = await group.open();
    } catch (error) {
      openError = error;
    }
    try {
      const measured = new Map<string, MicroRowResult>();
      for (const spec of selected) {
        const result = await measureRow(group.title, spec, opened?.bodies[spec.name], openError);
        if (spec.overheadOf !== undefined) judgeOverhead(result, measured.get(spec.overheadOf));
        measured.set(spec.name, result);
        results.push(result);
        onRow(result);
      }
    } finally {
      await opened?.close();
    }
  }
  return results;
}

/**
 * Each round in a process of its own, one after the other (never two at once: they would time
 * each other), merged row by row. A round's progress lines go to this process's stderr.
 */
function runRoundsInProcesses(filter: string | undefined, rounds: number): MicroRowResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-micro-'));
  try {
    const results: MicroRowResult[][] = [];
    for (let round = 1; round <= rounds; round++) {
      process.stderr.write(`round ${round} of ${rounds}, in a fresh process\n`);
      const file = join(dir, `round-${round}.json`);
      const args = [...process.execArgv, process.argv[1]!, '--rounds', '1', '--json', file, ...(filter !== undefined ? ['--filter', filter] : [])];
      const child = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
      if (child.error) throw child.error;
      // Exit status 1 is a failed row, which the merged report shows; no file is a crash.
      let report: MicroReport;
      try {
        report = JSON.parse(readFileSync(file, 'utf8')) as MicroReport;
      } catch {
        throw new Error(`round ${round} ended (status ${child.status ?? child.signal}) without a report`);
      }
      results.push(report.rows);
    }
    const merged = mergeRounds(results);
    const byName = new Map(merged.map((row) => [row.name, row]));
    for (const group of MICRO_GROUPS) {
      for (const spec of group.rows) {
        const row = byName.get(spec.name);
        if (row !== undefined && spec.overheadOf !== undefined) judgeOverhead(row, byName.get(spec.overheadOf));
      }
    }
    return merged;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A row whose budget is on the gateway's added time: judged against its direct row, or not at all without it. */
export function judgeOverhead(row: MicroRowResult, direct: MicroRowResult | undefined): void {
  if (row.status !== 'ok' || row.budgetNs === null) return;
  if (direct?.status !== 'ok') {
    row.budgetMet = null;
    return;
  }
  row.addedNs = row.medianNs! - direct.medianNs!;
  row.budgetMet = row.addedNs < row.budgetNs;
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ options: { filter: { type: 'string' }, json: { type: 'string' }, markdown: { type: 'string' }, list: { type: 'boolean' }, rounds: { type: 'string', default: '3' } } }));
  } catch (error) {
    process.stderr.write(`bench:micro: ${(error as Error).message}\nUsage: npm run bench:micro -- [--filter REGEX] [--rounds N] [--json FILE] [--markdown FILE] [--list]\n`);
    return 2;
  }
  const filter = values.filter !== undefined ? new RegExp(values.filter) : undefined;
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) {
    process.stderr.write(`bench:micro: --rounds must be a whole number of at least 1, got ${values.rounds}\n`);
    return 2;
  }
  if (values.list) {
    for (const group of MICRO_GROUPS) for (const row of group.rows) if (!filter || filter.test(row.name)) process.stdout.write(`${row.name}\t${row.input}\n`);
    return 0;
  }
  const report: MicroReport = {
    kind: MICRO_REPORT_KIND,
    version: 1,
    startedAt: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    loadAverage: loadavg().map((value) => Math.round(value * 10) / 10),
    filter: values.filter ?? null,
    rounds,
    rows: [],
  };
  report.rows =
    rounds > 1
      ? runRoundsInProcesses(values.filter, rounds)
      : await runMicro(filter, (row) => process.stderr.write(`${row.name}: ${row.status === 'ok' ? `${Math.round(row.medianNs!)} ns` : `FAILED (${row.error})`}\n`));
  if (report.rows.length === 0) {
    process.stderr.write(`bench:micro: no row matches --filter ${values.filter}; --list shows the names\n`);
    return 2;
  }
  process.stdout.write(`${microText(report)}\n`);
  if (values.json) writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
  if (values.markdown) writeFileSync(values.markdown, `${microMarkdown(report)}\n`);
  return report.rows.some((row) => row.status === 'failed') ? 1 : 0;
}

if (require.main === module) {
  void main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`bench:micro: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
