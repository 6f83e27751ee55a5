/**
 * A figure, not a timing: how much of each inline-completion prompt a model server with a
 * prompt cache (llama.cpp `cache_prompt`, Ollama, vLLM prefix caching) can reuse while the
 * user types a line into a real file, as the simulator counts it (`sharedPrefixChars` of
 * `promptChars`). The editor's window starts at a line start that moves in 1 KiB steps; the
 * comparison is a window that slides with every keystroke, as a prompt trimmed from its start
 * to a fixed budget does.
 *
 *   node --import tsx bench/figures/completion-prompt-reuse.ts [--protocol ollama|llamacpp|openai]
 *
 * Prints a table and one JSON line. Nothing here depends on the machine's speed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { startSimulator } from '../sim/index';
import { DEFAULT_CONTEXT_LIMITS, type ContextLimits } from '../../daemon/completion/completion-context';
import { InlineCompletionService } from '../../daemon/completion/inline-completion-service';
import { startDaemon } from '../../daemon/lifecycle/run-daemon';

const MODEL = 'qwen2.5-coder:1.5b';
/** The file typed into (this repository's router, about 14 000 characters), and where: most of it lies before the cursor. */
const FILE = new URL('../../daemon/routing/router.ts', import.meta.url);
const ANCHOR = '  private selectionRequest(';
const TYPED = '  // Candidates that may take the request now, in the order the strategy prefers them.\n';

interface Figure {
  window: string;
  prompts: number;
  promptChars: number;
  sharedPrefixChars: number;
  /** Share of prompt characters the server could take from its cache. */
  reused: number;
  /** Characters the model had to read per prompt, on average. */
  readPerPrompt: number;
}

async function measure(protocol: 'ollama' | 'llamacpp' | 'openai', label: string, limits: ContextLimits): Promise<Figure> {
  const sim = await startSimulator({ seed: 1, outputTokens: 8, models: [MODEL] });
  const stateDir = mkdtempSync(join(tmpdir(), 'switchyard-figure-'));
  const baseUrl = protocol === 'openai' ? `${sim.url}/v1` : sim.url;
  const configPath = join(stateDir, 'config.toml');
  writeFileSync(
    configPath,
    `[discovery]\nlocal = false\ncloud_from_env = false\n[log]\nlevel = "error"\n[routing]\nprobe_interval_ms = 0\n` +
      `[[providers]]\nname = "local"\nkind = "${protocol}"\nbase_url = "${baseUrl}"\nlocal = true\nmodels = ["${MODEL}"]\n`,
  );
  const daemon = await startDaemon({ configPath, stateDir, port: 0, env: {}, logDestination: new PassThrough().resume() });
  const { gateway, registry, router, aliases } = daemon.app.switchyard;
  const service = new InlineCompletionService({ gateway, registry, router, aliases, log: daemon.logger, limits });
  try {
    const original = readFileSync(FILE, 'utf8');
    const at = original.indexOf(ANCHOR);
    const settings = { enabled: true, disabledLanguages: [], debounceMinMs: 0, debounceMaxMs: 0, route: `local/${MODEL}`, allowCloud: false };
    for (let typed = 1; typed <= TYPED.length; typed++) {
      const text = original.slice(0, at) + TYPED.slice(0, typed) + original.slice(at);
      await service.complete(
        { document: { uri: 'file:///project/daemon/routing/router.ts', languageId: 'typescript', text, version: typed, lastUsedAt: typed }, offset: at + typed, invoked: true, recentDocuments: [] },
        settings,
        new AbortController().signal,
      );
    }
    const stats = sim.stats();
    const prompts = sim.requests.filter((record) => record.promptChars !== undefined).length;
    return {
      window: label,
      prompts,
      promptChars: stats.promptChars,
      sharedPrefixChars: stats.sharedPrefixChars,
      reused: stats.sharedPrefixChars / Math.max(1, stats.promptChars),
      readPerPrompt: (stats.promptChars - stats.sharedPrefixChars) / Math.max(1, prompts),
    };
  } finally {
    await service.close();
    await daemon.close();
    await sim.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const flag = process.argv.indexOf('--protocol');
  const protocol = (flag >= 0 ? process.argv[flag + 1] : 'llamacpp') as 'ollama' | 'llamacpp' | 'openai';
  if (!['ollama', 'llamacpp', 'openai'].includes(protocol)) throw new Error('--protocol must be ollama, llamacpp or openai');
  const stepped = await measure(protocol, 'stepped (1 KiB)', DEFAULT_CONTEXT_LIMITS);
  const sliding = await measure(protocol, 'slides per keystroke', { ...DEFAULT_CONTEXT_LIMITS, window: { ...DEFAULT_CONTEXT_LIMITS.window, alignToLines: false } });
  console.log(`prompt reuse while typing ${TYPED.length} characters into daemon/routing/router.ts (${protocol} protocol, simulator)`);
  for (const figure of [stepped, sliding]) {
    console.log(
      `  ${figure.window.padEnd(20)} prompts ${String(figure.prompts).padStart(3)}   reusable ${(figure.reused * 100).toFixed(1).padStart(5)} %   read per prompt ${Math.round(figure.readPerPrompt).toString().padStart(5)} chars`,
    );
  }
  console.log(JSON.stringify({ figure: 'completion-prompt-reuse', protocol, typed: TYPED.length, results: [stepped, sliding] }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
