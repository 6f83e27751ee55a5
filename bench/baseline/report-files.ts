/** Reading and writing report files and named baselines. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BenchReport } from '../../shared/report/schema';
import { parseReport } from '../../shared/report/validate';
import { isMicroReport, type MicroReport } from './micro-report';

export function baselinePath(outDir: string, name: string): string {
  return join(outDir, 'baselines', `${name}.json`);
}

/** A path to a report, or the name of a saved baseline. Throws with a message a user can act on. */
export function loadReport(pathOrName: string, outDir: string): { report: BenchReport; path: string } {
  const candidates = [pathOrName, baselinePath(outDir, pathOrName)];
  const path = candidates.find((c) => existsSync(c));
  if (!path) throw new Error(`no report at ${pathOrName} and no baseline named "${pathOrName}" in ${join(outDir, 'baselines')}`);
  const parsed = parseReport(readFileSync(path, 'utf8'), path);
  if (!parsed.ok) throw new Error(parsed.error);
  return { report: parsed.report, path };
}

/** The micro suite's report at a path or baseline name, or undefined when the file is something else (or absent). */
export function loadMicroReport(pathOrName: string, outDir: string): MicroReport | undefined {
  const path = [pathOrName, baselinePath(outDir, pathOrName)].find((c) => existsSync(c));
  if (!path) return undefined;
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return isMicroReport(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function writeText(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

export function writeReportJson(path: string, report: BenchReport): void {
  writeText(path, `${JSON.stringify(report, null, 2)}\n`);
}
