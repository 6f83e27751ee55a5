/**
 * "Show Model Recommendations": the webview of the models that fit this machine, with its
 * actions: "Use for completions" (sets the completion route), "Benchmark on this machine" and
 * "Pull with Ollama" (both with a cancellable progress notification; the page's progress cell
 * follows along, and the page is redrawn with the new figures when they finish).
 */
import * as vscode from 'vscode';
import { ErrorCodes } from 'vscode-languageclient/node';
import type { Recommendations } from '../../shared/hardware/recommendations';
import { BenchmarkModelRequest, GetRecommendationsRequest, PullModelRequest } from '../../shared/lsp/hardware-protocol';
import { SetCompletionRouteRequest } from '../../shared/lsp/protocol';
import { updateSetting } from '../config/update-setting';
import { withWorkDoneProgress } from '../client/work-done-progress';
import type { Ctx } from '../ctx';
import { makeNonce } from '../webview/webview-csp';
import { isRecommendationAction, renderRecommendationsWebview, type RecommendationAction } from './recommendations-page';

export class RecommendationsPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private recommendations: Recommendations | undefined;
  private busyModel: string | undefined;

  constructor(private readonly ctx: Ctx) {}

  async show(): Promise<void> {
    const recommendations = await vscode.window
      .withProgress({ location: vscode.ProgressLocation.Window, title: 'Switchyard: reading this machine' }, () => this.ctx.requireClient().sendRequest(GetRecommendationsRequest.type))
      .then(undefined, (error: unknown) => {
        // A daemon from before the recommendations: say so rather than show "unhandled method".
        if ((error as { code?: number }).code === ErrorCodes.MethodNotFound) throw new Error(`the running daemon (${this.ctx.lastStatus?.daemon.version ?? 'an older version'}) does not serve model recommendations; run "Switchyard: Restart Daemon" after updating.`);
        throw error;
      });
    this.recommendations = recommendations;
    (this.panel ?? this.createPanel()).reveal(undefined, false);
    this.render();
  }

  dispose(): void {
    this.panel?.dispose();
    this.panel = undefined;
  }

  private render(): void {
    if (!this.panel || !this.recommendations) return;
    const webview = this.panel.webview;
    webview.html = renderRecommendationsWebview(this.recommendations, {
      nonce: makeNonce(),
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.ctx.extensionUri, 'dist', 'webview-recommendations.js')).toString(),
      busyModel: this.busyModel,
    });
  }

  private createPanel(): vscode.WebviewPanel {
    const panel = vscode.window.createWebviewPanel('switchyard.recommendations', 'Model recommendations', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.ctx.extensionUri, 'dist')],
    });
    panel.iconPath = vscode.Uri.joinPath(this.ctx.extensionUri, 'media', 'icon.png');
    panel.webview.onDidReceiveMessage((message: unknown) => {
      if (isRecommendationAction(message)) void this.act(message);
    });
    panel.onDidDispose(() => {
      this.panel = undefined;
    });
    this.panel = panel;
    return panel;
  }

  private async act({ action, model }: RecommendationAction): Promise<void> {
    try {
      if (action === 'use') {
        this.ctx.setStatus(await this.ctx.requireClient().sendRequest(SetCompletionRouteRequest.type, { route: model }));
        await updateSetting('completion.route', model);
        void vscode.window.showInformationMessage(`Switchyard: completions now use ${model}.`);
        return;
      }
      if (this.busyModel) return;
      this.busyModel = model;
      this.render();
      if (action === 'pull') {
        const last = await this.withModelProgress(`Pulling ${model} with Ollama`, model, (workDoneToken, cancel) =>
          this.ctx.requireClient().sendRequest(PullModelRequest.type, { model, workDoneToken }, cancel),
        );
        if (last) this.recommendations = await this.ctx.requireClient().sendRequest(GetRecommendationsRequest.type);
      } else {
        const result = await this.withModelProgress(`Benchmarking ${model} on this machine`, model, (workDoneToken, cancel) =>
          this.ctx.requireClient().sendRequest(BenchmarkModelRequest.type, { model, workDoneToken }, cancel),
        );
        if (result) this.recommendations = result.recommendations;
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.ctx.log.error(`recommendations: ${action} ${model}: ${message}`);
      void vscode.window.showErrorMessage(`Switchyard: ${message}`, 'Show Logs').then((choice) => choice && this.ctx.log.show());
    } finally {
      if (action !== 'use') {
        this.busyModel = undefined;
        this.render();
      }
    }
  }

  /** The page's progress cell for `model` follows the notification. */
  private withModelProgress<T>(title: string, model: string, send: (workDoneToken: string, cancel: vscode.CancellationToken) => Promise<T>): Thenable<T | undefined> {
    return withWorkDoneProgress(this.ctx.requireClient(), `Switchyard: ${title}`, send, ({ message, percentage }) => {
      void this.panel?.webview.postMessage({ type: 'progress', model, text: [message, percentage !== undefined ? `${percentage}%` : ''].filter(Boolean).join(' · ') });
    });
  }
}
