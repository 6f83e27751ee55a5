/**
 * What to do when no model is available yet (the expected state right after installing):
 * start or install Ollama, add a provider to the daemon's config, set a cloud key, or see
 * which models fit this machine.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';

export const OLLAMA_DOWNLOAD_URL = 'https://ollama.com/download';

type Choice = vscode.QuickPickItem & { run: () => Thenable<unknown> };

export async function showFirstRunChoices(ctx: Ctx): Promise<void> {
  const choices: Choice[] = [
    {
      label: '$(cloud-download) Install or start Ollama',
      detail: 'A local model server; Switchyard finds it on its standard port once it runs, no reload needed.',
      run: () => vscode.env.openExternal(vscode.Uri.parse(OLLAMA_DOWNLOAD_URL)),
    },
    {
      label: '$(settings-gear) Add a provider to the gateway config',
      detail: ctx.config.daemonConfigPath ? `Opens ${ctx.config.daemonConfigPath}` : 'Choose the TOML file the daemon reads (switchyard.daemon.configPath)',
      run: () => openDaemonConfig(ctx),
    },
    { label: '$(key) Set a cloud API key', detail: 'OpenAI, Anthropic or a configured provider; kept in the OS keychain', run: () => vscode.commands.executeCommand('switchyard.setApiKey') },
    {
      label: '$(lightbulb) Show model recommendations',
      detail: 'The models that fit this machine, best for completion and chat; pull one with Ollama',
      run: () => vscode.commands.executeCommand('switchyard.showRecommendations'),
    },
  ];
  const picked = await vscode.window.showQuickPick(choices, { title: 'Switchyard: no model is available yet', placeHolder: 'How do you want to serve completions?', matchOnDetail: true });
  await picked?.run();
}

async function openDaemonConfig(ctx: Ctx): Promise<unknown> {
  const path = ctx.config.daemonConfigPath;
  if (!path) return vscode.commands.executeCommand('workbench.action.openSettings', 'switchyard.daemon.configPath');
  const file = vscode.Uri.file(path);
  // A config that does not exist yet opens as a new file at that path, to be saved there.
  const exists = await vscode.workspace.fs.stat(file).then(() => true, () => false);
  return vscode.window.showTextDocument(exists ? file : file.with({ scheme: 'untitled' }));
}
