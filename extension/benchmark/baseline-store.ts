/**
 * The baseline the editor compares benchmark reports with: one report JSON kept in the
 * extension's global storage ("Set as baseline"), compared with the CLI's own rules.
 */
import * as vscode from 'vscode';
import { diffReports } from '../../shared/report/baseline-diff';
import type { BenchReport } from '../../shared/report/schema';
import { parseReport } from '../../shared/report/validate';

export class BaselineStore {
  constructor(private readonly storage: vscode.Uri) {}

  private get file(): vscode.Uri {
    return vscode.Uri.joinPath(this.storage, 'benchmark-baseline.json');
  }

  async save(report: BenchReport): Promise<void> {
    await vscode.workspace.fs.createDirectory(this.storage);
    // The baseline is the run itself, not its comparison with an older baseline.
    const plain: BenchReport = { ...report, baselineDiff: null };
    await vscode.workspace.fs.writeFile(this.file, new TextEncoder().encode(`${JSON.stringify(plain, null, 2)}\n`));
  }

  async load(): Promise<BenchReport | undefined> {
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(this.file);
    } catch {
      return undefined;
    }
    const parsed = parseReport(new TextDecoder().decode(bytes), 'the saved baseline');
    return parsed.ok ? parsed.report : undefined;
  }

  /** The report with its comparison against the saved baseline, unless it already has one. */
  async withComparison(report: BenchReport): Promise<BenchReport> {
    if (report.baselineDiff) return report;
    const baseline = await this.load();
    if (!baseline) return report;
    return { ...report, baselineDiff: diffReports(baseline, report, `the run of ${baseline.createdAt}`, 'this run') };
  }
}
