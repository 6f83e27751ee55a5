/**
 * The benchmark presets the editor offers, as `switchyard bench` flags against this daemon
 * (`bench/README.md`, `bench/cli/usage.ts`). The editor names a preset and a target route;
 * this module turns them into the command line, and nothing else.
 */
import { GatewayError } from '../core/errors';

export interface BenchTarget {
  /** What the gateway is asked for: a route, alias or `provider/model`. */
  model: string;
  /** The provider itself, for the overhead preset (OpenAI- or Ollama-shaped providers only). */
  direct?: { url: string; api: 'openai' | 'ollama'; model: string };
  /** Other models that are up, for the compare preset (the target first). */
  compareWith: string[];
}

export interface EditorPreset {
  name: string;
  title: string;
  args(daemonUrl: string, target: BenchTarget): string[];
}

export const EDITOR_PRESETS: readonly EditorPreset[] = [
  {
    name: 'quick',
    title: 'Quick sanity check: 50 requests, 4 at a time',
    args: (url, t) => ['--scenario', 'blast', '--target', url, '--model', t.model, '--requests', '50', '--concurrency', '4', '--warmup', '4', '--max-tokens', '16'],
  },
  {
    name: '000',
    title: 'Standard run (preset 000): 100,000 requests at 200 concurrent',
    args: (url, t) => ['--preset', '000', '--target', url, '--model', t.model],
  },
  {
    name: '002',
    title: 'Preset 002: rate, ramp, blast and a 70/30 mix',
    args: (url, t) => ['--preset', '002', '--target', url, '--models', mixOf(t).join(',')],
  },
  {
    name: '003',
    title: 'Preset 003: concurrency sweep 1, 10, 50, 100',
    args: (url, t) => ['--preset', '003', '--target', url, '--model', t.model],
  },
  {
    name: 'overhead',
    title: 'Gateway overhead against calling the provider directly',
    args: (url, t) => {
      if (t.direct === undefined) throw new GatewayError('unsupported', `The overhead preset needs an OpenAI- or Ollama-shaped provider behind "${t.model}".`);
      return ['--scenario', 'overhead', '--target', url, '--direct', t.direct.url, '--api', t.direct.api, '--model', t.direct.model, '--requests', '2000', '--concurrency', '20', '--rounds', '3'];
    },
  },
  {
    name: 'sweep',
    title: 'Concurrency sweep 1, 4, 16, 64 (500 requests each)',
    args: (url, t) => ['--scenario', 'sweep', '--target', url, '--model', t.model, '--concurrencies', '1,4,16,64', '--requests', '500'],
  },
  {
    name: 'compare',
    title: 'Compare providers: the same load on every model that is up',
    args: (url, t) => {
      if (t.compareWith.length < 2) throw new GatewayError('unsupported', 'Comparing needs at least two models that are up.');
      return ['--scenario', 'compare', '--target', url, '--models', t.compareWith.join(','), '--requests', '500', '--concurrency', '8'];
    },
  },
];

/** The 70/30 mix of preset 002 needs two models; with one, it mixes the model with itself. */
function mixOf(target: BenchTarget): string[] {
  const other = target.compareWith.find((model) => model !== target.model);
  return [target.model, other ?? target.model];
}

/** The command line for a preset, or a GatewayError the editor shows when the preset cannot run here. */
export function benchArgsFor(presetName: string, daemonUrl: string, target: BenchTarget, outputs: { json: string; html: string; outDir: string }): string[] {
  const preset = EDITOR_PRESETS.find((p) => p.name === presetName);
  if (preset === undefined) {
    throw new GatewayError('invalidRequest', `No benchmark preset "${presetName}"; the presets are ${EDITOR_PRESETS.map((p) => p.name).join(', ')}.`);
  }
  if (target.model === '') throw new GatewayError('noCandidates', 'No model to benchmark: no provider is available yet.');
  return ['bench', ...preset.args(daemonUrl, target), '--json', outputs.json, '--html', outputs.html, '--out-dir', outputs.outDir, '--progress-json'];
}
