import type { Logger } from 'pino';
import type { BenchmarkParams, EditorStatus } from '../../shared/lsp/protocol';
import type { BudgetService } from '../budgets/budget-service';
import type { HardwareService } from '../hardware/hardware-service';
import type { ProviderRegistry } from '../providers/provider-registry';
import type { Router } from '../routing/router';
import type { InlineCompleter } from './completion-port';

/** What a finished editor benchmark hands back: the report JSON and where it was written. */
export interface BenchmarkResult {
  report: unknown;
  jsonPath: string;
  htmlPath?: string;
}

export interface BenchmarkHooks {
  signal: AbortSignal;
  progress(message: string, percentage?: number): void;
}

/** The services the LSP door calls; each is owned (and closed) by the daemon, not by the door. */
export interface DoorServices {
  router: Router;
  registry: ProviderRegistry;
  aliases: Record<string, string>;
  /** The budget service, when budgets are configured (read at call time: it never changes while the daemon runs). */
  budgets: () => BudgetService | undefined;
  /** The inline-completion pipeline. */
  completer: InlineCompleter;
  apiKeys: { set(provider: string, apiKey: string): Promise<void> };
  /** Hardware detection, recommendations, pulls and model benchmarks (`shared/lsp/hardware-protocol.ts`). */
  hardware?: HardwareService;
  benchmarks: { run(params: Pick<BenchmarkParams, 'preset' | 'target'>, hooks: BenchmarkHooks): Promise<BenchmarkResult> };
  /** Something that the status depends on changed (a provider was added or lost a key): recompute every editor's status. */
  statusMayHaveChanged(): void;
  log: Logger;
  /** The state file's token, which every connection must present first. */
  token: string;
  daemon: EditorStatus['daemon'];
}
