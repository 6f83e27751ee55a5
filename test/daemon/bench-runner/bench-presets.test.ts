import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBenchArgs } from '../../../bench/options/parse-args';
import { validateOptions } from '../../../bench/options/validate-options';
import { PRESETS } from '../../../bench/scenarios/index';
import { benchArgsFor, EDITOR_PRESETS, type BenchTarget } from '../../../daemon/bench-runner/bench-presets';

const TARGET: BenchTarget = {
  model: 'local/qwen2.5-coder:1.5b',
  direct: { url: 'http://127.0.0.1:11434', api: 'ollama', model: 'qwen2.5-coder:1.5b' },
  compareWith: ['local/qwen2.5-coder:1.5b', 'other/sim-chat'],
};
const OUTPUTS = { json: '/tmp/r.json', html: '/tmp/r.html', outDir: '/tmp/out' };

describe('the editor’s benchmark presets', () => {
  it('are command lines `switchyard bench` accepts, against this daemon, with JSON progress', () => {
    for (const preset of EDITOR_PRESETS) {
      const [command, ...args] = benchArgsFor(preset.name, 'http://127.0.0.1:4141', TARGET, OUTPUTS);
      assert.equal(command, 'bench');
      const parsed = parseBenchArgs(args);
      assert.ok(parsed.ok, `${preset.name}: ${parsed.ok ? '' : parsed.errors.join('; ')}`);
      assert.deepEqual(validateOptions(parsed.options, Object.keys(PRESETS)), [], preset.name);
      assert.equal(parsed.options.target, 'http://127.0.0.1:4141', preset.name);
      assert.equal(parsed.options.progressJson, true);
      assert.equal(parsed.options.json, OUTPUTS.json);
    }
  });

  it('load the chosen route, call the provider directly for the overhead, and compare the models that are up', () => {
    const quick = parseBenchArgs(benchArgsFor('quick', 'http://x:1', TARGET, OUTPUTS).slice(1));
    assert.ok(quick.ok && quick.options.models[0] === 'local/qwen2.5-coder:1.5b');
    const overhead = parseBenchArgs(benchArgsFor('overhead', 'http://x:1', TARGET, OUTPUTS).slice(1));
    assert.ok(overhead.ok && overhead.options.direct === 'http://127.0.0.1:11434' && overhead.options.api === 'ollama');
    const compare = parseBenchArgs(benchArgsFor('compare', 'http://x:1', TARGET, OUTPUTS).slice(1));
    assert.ok(compare.ok && compare.options.models.join(',') === 'local/qwen2.5-coder:1.5b,other/sim-chat');
  });

  it('say why a preset cannot run here', () => {
    assert.throws(() => benchArgsFor('overhead', 'http://x:1', { model: 'cloud/gpt', compareWith: [] }, OUTPUTS), /OpenAI- or Ollama-shaped provider/);
    assert.throws(() => benchArgsFor('compare', 'http://x:1', { model: 'a/b', compareWith: ['a/b'] }, OUTPUTS), /at least two models/);
    assert.throws(() => benchArgsFor('quick', 'http://x:1', { model: '', compareWith: [] }, OUTPUTS), /no provider is available/);
    assert.throws(() => benchArgsFor('nope', 'http://x:1', TARGET, OUTPUTS), /the presets are quick, 000, 002, 003, overhead, sweep, compare/);
  });
});
