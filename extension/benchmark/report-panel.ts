/**
 * The benchmark report webview: one panel, re-rendered for each new report, with the
 * buttons Save JSON, Save HTML, Set as baseline and Run again. Only the extension's own
 * `dist/` folder is readable by the page.
 */
import * as vscode from 'vscode';
import type { BenchReport } from '../../shared/report/schema';
import { isReportAction, renderReportPage, type ReportAction } from '../webview/report-page';
import { makeNonce } from '../webview/webview-csp';
import type { BaselineStore } from './baseline-store';

export interface ReportPanelDeps {
  extensionUri: vscode.Uri;
  baselines: BaselineStore;
  runAgain(): Promise<void>;
}

export class ReportPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private report: BenchReport | undefined;

  constructor(private readonly deps: ReportPanelDeps) {}

  /** `label`: what the user ran (the preset's name), for the tab title. */
  show(report: BenchReport, label: string): void {
    this.report = report;
    const panel = this.panel ?? this.createPanel();
    const webview = panel.webview;
    const dist = vscode.Uri.joinPath(this.deps.extensionUri, 'dist');
    panel.title = `Benchmark: ${label}`;
    webview.html = renderReportPage(report, {
      kind: 'webview',
      nonce: makeNonce(),
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview-report.js')).toString(),
      codiconCssUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'codicons', 'codicon.css')).toString(),
    });
    panel.reveal(undefined, false);
  }

  dispose(): void {
    this.panel?.dispose();
    this.panel = undefined;
  }

  private createPanel(): vscode.WebviewPanel {
    const panel = vscode.window.createWebviewPanel('switchyard.benchmarkReport', 'Benchmark report', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.deps.extensionUri, 'dist')],
    });
    panel.iconPath = vscode.Uri.joinPath(this.deps.extensionUri, 'media', 'icon.png');
    panel.webview.onDidReceiveMessage((message: { action?: unknown }) => {
      if (isReportAction(message?.action)) void this.act(message.action);
    });
    panel.onDidDispose(() => {
      this.panel = undefined;
    });
    this.panel = panel;
    return panel;
  }

  private async act(action: ReportAction): Promise<void> {
    const report = this.report;
    if (!report) return;
    try {
      switch (action) {
        case 'saveJson':
          return await saveAs(report, 'json', `${JSON.stringify(report, null, 2)}\n`);
        case 'saveHtml':
          return await saveAs(report, 'html', renderReportPage(report, { kind: 'standalone' }));
        case 'setBaseline':
          await this.deps.baselines.save(report);
          void vscode.window.showInformationMessage('Switchyard: this report is now the baseline; later runs are compared with it.');
          return;
        case 'runAgain':
          return await this.deps.runAgain();
      }
    } catch (error) {
      void vscode.window.showErrorMessage(`Switchyard: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

async function saveAs(report: BenchReport, extension: 'json' | 'html', text: string): Promise<void> {
  const stamp = report.createdAt.replace(/[:.]/g, '-');
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = `switchyard-bench-${report.preset ?? report.scenario}-${stamp}.${extension}`;
  const target = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
    filters: extension === 'json' ? { 'Benchmark report': ['json'] } : { 'HTML page': ['html'] },
  });
  if (!target) return;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
}
