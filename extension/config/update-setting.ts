import * as vscode from 'vscode';
import { SECTION } from './config';

/**
 * Writes a `switchyard.*` setting where it is in force: in the workspace's settings when the
 * workspace sets it (a user-level write would be hidden by it), otherwise in the user's.
 */
export async function updateSetting(key: string, value: unknown): Promise<void> {
  const configuration = vscode.workspace.getConfiguration(SECTION);
  const target = configuration.inspect(key)?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await configuration.update(key, value, target);
}
