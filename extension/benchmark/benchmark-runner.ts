/**
 * "Run Gateway Benchmark": pick a preset and a target, run it in the daemon's benchmark
 * process with a cancellable progress notification (LSP work-done progress and
 * `$/cancelRequest`), then show the report webview.
 */
import * as vscode from 'vscode';
import { ListModelsRequest, RunBenchmarkRequest, type BenchmarkParams } from '../../shared/lsp/protocol';
import { checkReport } from '../../shared/report/validate';
import { withWorkDoneProgress } from '../client/work-done-progress';
import type { Ctx } from '../ctx';
import { BaselineStore } from './baseline-store';
import { BENCHMARK_PRESETS, findPreset, type BenchmarkPreset } from './presets';
import { ReportPanel } from './report-panel';

export class BenchmarkRunner implements vscode.Disposable {
  private readonly panel: ReportPanel;
  private readonly baselines: BaselineStore;
  private last: { preset: string; target: string } | undefined;

  constructor(private readonly ctx: Ctx) {
    this.baselines = new BaselineStore(ctx.globalStorageUri);
    this.panel = new ReportPanel({
      extensionUri: ctx.extensionUri,
      baselines: this.baselines,
      runAgain: async () => {
        if (this.last) await this.run(this.last.preset, this.last.target);
      },
    });
  }

  /** The command: asks for the preset and the target, then runs. */
  async pickAndRun(): Promise<void> {
    const preset = await pickPreset();
    if (!preset) return;
    const target = preset.needsTarget ? await this.pickTarget() : '';
    if (target === undefined) return;
    await this.run(preset.id, target);
  }

  async run(preset: string, target: string): Promise<void> {
    const client = this.ctx.requireClient();
    this.last = { preset, target };
    const result = await withWorkDoneProgress(client, `Switchyard benchmark (${findPreset(preset)?.label ?? preset})`, (workDoneToken, cancel) => {
      const params: BenchmarkParams = { preset, target, workDoneToken };
      return client.sendRequest(RunBenchmarkRequest.type, params, cancel);
    });
    if (!result) return;
    const parsed = checkReport(result.report, 'the benchmark report');
    if (!parsed.ok) throw new Error(parsed.error);
    this.ctx.log.info(`benchmark report: ${result.jsonPath}${result.htmlPath ? `, ${result.htmlPath}` : ''}`);
    this.panel.show(await this.baselines.withComparison(parsed.report), findPreset(preset)?.label ?? preset);
  }

  dispose(): void {
    this.panel.dispose();
  }

  private async pickTarget(): Promise<string | undefined> {
    const { models, routes } = await this.ctx.requireClient().sendRequest(ListModelsRequest.type);
    type TargetItem = vscode.QuickPickItem & { target?: string };
    const items: TargetItem[] = [{ label: '$(zap) The completion route in force', description: this.ctx.config.completionRoute || 'daemon default', target: '' }];
    if (routes.length) items.push({ label: 'Routes', kind: vscode.QuickPickItemKind.Separator }, ...routes.map((r) => ({ label: r, description: 'route', target: r })));
    if (models.length)
      items.push(
        { label: 'Models', kind: vscode.QuickPickItemKind.Separator },
        ...models.map((m) => ({ label: m.model, description: `${m.provider} · ${m.local ? 'local' : 'cloud'} · ${m.health}`, target: m.key })),
      );
    const picked = await vscode.window.showQuickPick(items, { title: 'Benchmark target', placeHolder: 'Which route or model to load' });
    return picked?.target;
  }
}

async function pickPreset(): Promise<BenchmarkPreset | undefined> {
  const picked = await vscode.window.showQuickPick(
    BENCHMARK_PRESETS.map((preset) => ({ label: preset.label, detail: preset.detail, preset })),
    { title: 'Run Gateway Benchmark', placeHolder: 'Choose a scenario preset', matchOnDetail: true },
  );
  return picked?.preset;
}
