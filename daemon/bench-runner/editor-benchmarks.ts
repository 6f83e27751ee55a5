import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchmarkParams } from '../../shared/lsp/protocol';
import { GatewayError } from '../core/errors';
import type { ProviderRegistry } from '../providers/provider-registry';
import type { BenchmarkHooks, BenchmarkResult } from '../lsp/door-services';
import type { Router } from '../routing/router';
import { benchArgsFor, type BenchTarget } from './bench-presets';
import { runBenchProcess } from './bench-process';

export interface EditorBenchmarksOptions {
  registry: ProviderRegistry;
  router: Router;
  /** This daemon's HTTP URL and token: the benchmark loads the daemon itself. */
  daemonUrl: string;
  token: string;
  /** Reports go to `<stateDir>/bench-results`. */
  stateDir: string;
  /** Defaults to the `cli.js` beside the running bundle (or the repository's `dist/` when run from source). */
  cliPath?: string;
}

/** Models compared side by side at most. */
const MAX_COMPARED = 4;

/** "Run Gateway Benchmark" from the editor: one run at a time, in a child process. */
export class EditorBenchmarks {
  private running = false;

  constructor(private readonly options: EditorBenchmarksOptions) {}

  async run(params: Pick<BenchmarkParams, 'preset' | 'target'>, hooks: BenchmarkHooks): Promise<BenchmarkResult> {
    if (this.running) throw new GatewayError('unsupported', 'A benchmark is already running; wait for it or cancel it.');
    this.running = true;
    try {
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const outDir = join(this.options.stateDir, 'bench-results');
      const jsonPath = join(outDir, `editor-${params.preset}-${stamp}.json`);
      const htmlPath = join(outDir, `editor-${params.preset}-${stamp}.html`);
      const args = benchArgsFor(params.preset, this.options.daemonUrl, this.targetOf(params.target), { json: jsonPath, html: htmlPath, outDir });
      return await runBenchProcess({ cliPath: this.cliPath(), args, jsonPath, htmlPath, token: this.options.token }, hooks);
    } finally {
      this.running = false;
    }
  }

  private cliPath(): string {
    if (this.options.cliPath !== undefined) return this.options.cliPath;
    const beside = join(__dirname, 'cli.js');
    return existsSync(beside) ? beside : join(__dirname, '..', '..', 'dist', 'cli.js');
  }

  /** The target as the presets need it: the model to ask for, the provider to call directly, the others to compare with. */
  private targetOf(model: string): BenchTarget {
    const { registry, router } = this.options;
    const up = registry.models()
      .filter((m) => !router.prober.isDown(m.provider))
      .map((m) => `${m.provider}/${m.id}`);
    const compareWith = [...new Set([model, ...up].filter((m) => m !== ''))].slice(0, MAX_COMPARED);
    const slash = model.indexOf('/');
    const provider = slash > 0 ? registry.get(model.slice(0, slash)) : undefined;
    let direct: BenchTarget['direct'];
    if (provider !== undefined) {
      const upstreamModel = model.slice(slash + 1);
      const base = new URL(provider.settings.baseUrl);
      const origin = base.origin;
      // The benchmark calls `<origin>/v1/...` or `<origin>/api/...`: a provider under another path cannot be called that way.
      const atRoot = ['', '/', '/v1'].includes(base.pathname.replace(/\/+$/, ''));
      if (!atRoot) direct = undefined;
      else if (provider.settings.kind === 'ollama') direct = { url: origin, api: 'ollama', model: upstreamModel };
      else if (provider.settings.kind === 'openai' || provider.settings.kind === 'llamacpp') direct = { url: origin, api: 'openai', model: upstreamModel };
    }
    return { model, compareWith, ...(direct !== undefined ? { direct } : {}) };
  }
}
