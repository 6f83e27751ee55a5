/**
 * Entry point: one context (the daemon connection, status bar, logs), the benchmark runner,
 * the recommendations panel and the command table. Everything registered here is disposed by `deactivate`.
 */
import type * as vscode from 'vscode';
import { BenchmarkRunner } from './benchmark/benchmark-runner';
import { registerCommands } from './commands/command-table';
import { Ctx } from './ctx';
import { RecommendationsPanel } from './recommendations/recommendations-panel';

// VS Code calls `deactivate` with nothing in hand: this is how it reaches the context to stop
// it and wait (a subscription's dispose() is not awaited).
let running: Ctx | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const ctx = new Ctx(context);
  running = ctx;
  const benchmarks = new BenchmarkRunner(ctx);
  const recommendations = new RecommendationsPanel(ctx);
  ctx.own(benchmarks);
  ctx.own(recommendations);
  for (const command of registerCommands({ ctx, benchmarks, recommendations })) ctx.own(command);
  // Connecting never blocks activation; the status bar shows progress and failures.
  void ctx.start();
}

export async function deactivate(): Promise<void> {
  const ctx = running;
  running = undefined;
  await ctx?.dispose();
}
