import * as vscode from 'vscode';
import { statusView, type LinkState } from './status-view';

const LINKED_COMMANDS = ['switchyard.switchModel', 'switchyard.toggleCompletions', 'switchyard.runBenchmark', 'switchyard.showLogs', 'switchyard.restartDaemon'];

/** The one status-bar item: shows what `statusView` says for the latest link state. */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('switchyard.status', vscode.StatusBarAlignment.Right, 100);

  constructor() {
    this.item.name = 'Switchyard';
    this.show({ kind: 'starting' });
    this.item.show();
  }

  show(link: LinkState): void {
    const view = statusView(link);
    this.item.text = view.text;
    const tooltip = new vscode.MarkdownString(view.tooltip, true);
    tooltip.isTrusted = { enabledCommands: LINKED_COMMANDS };
    this.item.tooltip = tooltip;
    this.item.command = view.command;
    this.item.backgroundColor = view.colour ? new vscode.ThemeColor(`statusBarItem.${view.colour}Background`) : undefined;
    this.item.color = view.colour ? new vscode.ThemeColor(`statusBarItem.${view.colour}Foreground`) : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
