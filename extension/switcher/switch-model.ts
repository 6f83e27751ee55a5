/**
 * The status bar's switcher: a QuickPick of the daemon's models grouped local and cloud with
 * health and latency. The choice is sent to the daemon (it takes effect for the next
 * completion) and persisted in `switchyard.completion.route`.
 */
import * as vscode from 'vscode';
import { ListModelsRequest, SetCompletionRouteRequest } from '../../shared/lsp/protocol';
import { updateSetting } from '../config/update-setting';
import type { Ctx } from '../ctx';
import { showFirstRunChoices } from './first-run';
import { modelPicks } from './model-picks';

type RouteItem = vscode.QuickPickItem & { route?: string; setup?: true };

export async function switchModel(ctx: Ctx): Promise<void> {
  const client = ctx.requireClient();
  const { models, routes } = await client.sendRequest(ListModelsRequest.type);
  if (!models.length && !routes.length) return showFirstRunChoices(ctx);
  const current = ctx.config.completionRoute;
  const items: RouteItem[] = modelPicks(models, routes, current, ctx.config.allowCloud).map((pick) =>
    pick.kind === 'separator'
      ? { label: pick.label, kind: vscode.QuickPickItemKind.Separator }
      : { label: pick.label, description: pick.picked ? `${pick.description} · in use` : pick.description, route: pick.route },
  );
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, { label: '$(add) Set up another model…', setup: true });
  const picked = await vscode.window.showQuickPick(items, { title: 'Switchyard: completion model', placeHolder: 'Used for the next completion', matchOnDescription: true });
  if (!picked) return;
  if (picked.setup) return showFirstRunChoices(ctx);
  if (picked.route === undefined) return;
  ctx.setStatus(await client.sendRequest(SetCompletionRouteRequest.type, { route: picked.route }));
  await updateSetting('completion.route', picked.route);
}
