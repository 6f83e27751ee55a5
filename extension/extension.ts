import * as vscode from 'vscode';

/**
 * The editor half is built in a later issue (language client, ghost text, status bar,
 * benchmark webview). For now the extension activates and tells the user where the
 * gateway's HTTP API is documented.
 */
export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('switchyard.runBenchmark', async () => {
      await vscode.window.showInformationMessage('Switchyard: run "npm run bench" (or "switchyard bench") to benchmark the gateway; the editor report arrives with the extension issue.');
    }),
  );
}

export function deactivate(): void {}
