import * as vscode from 'vscode';
import { ListModelsRequest } from '../../shared/lsp/protocol';
import type { Ctx } from '../ctx';

const WELL_KNOWN = ['openai', 'anthropic'];

/** "Set API Key…": provider, then the key (masked); an empty key forgets the stored one. */
export async function setApiKey(ctx: Ctx): Promise<void> {
  const configured = await ctx
    .requireClient()
    .sendRequest(ListModelsRequest.type)
    .then(({ models }) => models.filter((m) => !m.local).map((m) => m.provider))
    .catch(() => [] as string[]);
  const stored = new Set(ctx.apiKeys.providers());
  const names = [...new Set([...WELL_KNOWN, ...configured, ...stored])];
  const picked = await vscode.window.showQuickPick(
    names.map((name) => ({ label: name, description: stored.has(name) ? 'key stored' : undefined })),
    { title: 'Switchyard: set API key', placeHolder: 'Which provider' },
  );
  if (!picked) return;
  const apiKey = await vscode.window.showInputBox({
    title: `API key for ${picked.label}`,
    prompt: 'Stored in the OS keychain and passed to the daemon in memory; leave empty to forget the stored key.',
    password: true,
    ignoreFocusOut: true,
  });
  if (apiKey === undefined) return;
  await ctx.sendApiKey(picked.label, apiKey.trim());
  void vscode.window.showInformationMessage(apiKey.trim() ? `Switchyard: key for ${picked.label} stored.` : `Switchyard: key for ${picked.label} forgotten.`);
}
