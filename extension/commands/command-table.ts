/**
 * Every command of the extension, built by a factory from this table (as rust-analyzer does):
 * adding one is a row here and its contribution in package.json.
 */
import * as vscode from 'vscode';
import type { BenchmarkRunner } from '../benchmark/benchmark-runner';
import { updateSetting } from '../config/update-setting';
import type { Ctx, LogLevel } from '../ctx';
import type { RecommendationsPanel } from '../recommendations/recommendations-panel';
import { switchModel } from '../switcher/switch-model';
import { setApiKey } from './set-api-key';

export interface CommandDeps {
  ctx: Ctx;
  benchmarks: BenchmarkRunner;
  recommendations: RecommendationsPanel;
}

type CommandFactory = (deps: CommandDeps) => () => unknown;

const LOG_LEVELS: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];

export const COMMANDS: Record<string, CommandFactory> = {
  'switchyard.runBenchmark': ({ benchmarks }) => () => benchmarks.pickAndRun(),
  'switchyard.switchModel': ({ ctx }) => () => switchModel(ctx),
  'switchyard.toggleCompletions': ({ ctx }) => () => updateSetting('completion.enabled', !ctx.config.completionEnabled),
  'switchyard.showRecommendations': ({ recommendations }) => () => recommendations.show(),
  'switchyard.setApiKey': ({ ctx }) => () => setApiKey(ctx),
  'switchyard.showLogs': ({ ctx }) => () => ctx.log.show(),
  'switchyard.restartDaemon': ({ ctx }) => () => ctx.restartDaemon(),
  'switchyard.openSettings': () => () => vscode.commands.executeCommand('workbench.action.openSettings', '@ext:switchyard.switchyard'),
  'switchyard.setLogLevel': ({ ctx }) => async () => {
    const level = await vscode.window.showQuickPick(LOG_LEVELS, { title: 'Switchyard: daemon log level', placeHolder: 'debug shows routing decisions' });
    if (level) await ctx.setLogLevel(level as LogLevel);
  },
  'switchyard.acceptNextWord': () => () => vscode.commands.executeCommand('editor.action.inlineSuggest.acceptNextWord'),
  'switchyard.acceptNextLine': () => () => vscode.commands.executeCommand('editor.action.inlineSuggest.acceptNextLine'),
};

/** Registers every command; a command that fails says why once, in a notification and the log. */
export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  return Object.entries(COMMANDS).map(([id, factory]) => {
    const run = factory(deps);
    return vscode.commands.registerCommand(id, async () => {
      try {
        await run();
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        deps.ctx.log.error(`${id}: ${message}`);
        void vscode.window.showErrorMessage(`Switchyard: ${message}`, 'Show Logs').then((choice) => choice && deps.ctx.log.show());
      }
    });
  });
}
