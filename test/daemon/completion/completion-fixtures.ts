/** A real daemon (its Gateway, cache and router) in front of the simulator, and the completion service on top of it. */
import type { ProviderKind } from '../../../shared/gateway';
import type { CompletionSettings } from '../../../shared/lsp/protocol';
import type { Simulator, SimRequestRecord } from '../../../bench/sim/contract';
import { InlineCompletionService, type DocumentSnapshot, type InlineCompletionInput } from '../../../daemon/completion/inline-completion-service';
import { startTestDaemon, type TestDaemon } from '../../helpers/test-daemon';

export const CODER = 'qwen2.5-coder:1.5b';

/** The simulator's route for a fill-in-the-middle request over each protocol (OpenAI-compatible gets Qwen's tokens raw). */
export const FIM_ROUTE: Partial<Record<ProviderKind, string>> = { ollama: 'ollama.generate', llamacpp: 'llamacpp.infill', openai: 'openai.completions' };

export interface CompletionStack {
  daemon: TestDaemon;
  service: InlineCompletionService;
  route: string;
  close(): Promise<void>;
}

/** A `[[providers]]` entry for the simulator speaking `kind`. */
export function simProviderToml(sim: Simulator, kind: ProviderKind, options: { name?: string; local?: boolean; models?: string[] } = {}): string {
  const baseUrl = kind === 'openai' ? `${sim.url}/v1` : sim.url;
  const models = (options.models ?? [CODER, 'sim-chat']).map((model) => `"${model}"`).join(', ');
  return `[[providers]]\nname = "${options.name ?? `sim-${kind}`}"\nkind = "${kind}"\nbase_url = "${baseUrl}"\nlocal = ${options.local ?? true}\nmodels = [${models}]\n`;
}

export async function completionStack(sim: Simulator, kind: ProviderKind): Promise<CompletionStack> {
  return { ...(await completionStackFromToml(simProviderToml(sim, kind))), route: `sim-${kind}/${CODER}` };
}

/** The providers (and routes) in `toml`, with health probes off. `route` is left empty: the daemon's default. */
export async function completionStackFromToml(toml: string): Promise<CompletionStack> {
  const daemon = await startTestDaemon(`${toml}[routing]\nprobe_interval_ms = 0\n`, { logLevel: 'warn' });
  const { gateway, registry, router, aliases } = daemon.app.switchyard;
  const service = new InlineCompletionService({ gateway, registry, router, aliases, log: daemon.logger });
  return {
    daemon,
    service,
    route: '',
    async close() {
      await service.close();
      await daemon.close();
    },
  };
}

export function settings(overrides: Partial<CompletionSettings> = {}): CompletionSettings {
  return { enabled: true, disabledLanguages: [], debounceMinMs: 0, debounceMaxMs: 50, route: '', allowCloud: false, ...overrides };
}

export const HELPER: DocumentSnapshot = {
  uri: 'file:///work/project/src/helper.ts',
  languageId: 'typescript',
  text: 'export function helper(values: number[]): number {\n  return values.length;\n}\n',
  version: 1,
  lastUsedAt: 1,
};

/** An editor document with `|` marking the cursor. */
export function editing(source: string, uri = 'file:///work/project/src/app.ts', invoked = false): InlineCompletionInput {
  const offset = source.indexOf('|');
  return {
    document: { uri, languageId: 'typescript', text: source.replace('|', ''), version: 1, lastUsedAt: 2 },
    offset,
    invoked,
    recentDocuments: [HELPER],
  };
}

/** The source with `typed` inserted at the cursor (the cursor after it). */
export function typeAt(source: string, typed: string): string {
  return source.replace('|', `${typed}|`);
}

export function generations(sim: Simulator, route: string): SimRequestRecord[] {
  return sim.requests.filter((record) => record.route === route);
}

/** Resolves once `predicate` holds, polling the simulator's records (no timing is asserted). */
export async function until(predicate: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
