/** Which provider "Benchmark on this machine" loads: a local one serving the model, never a cloud one. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { benchTargetFinder } from '../../../daemon/hardware/bench-target';
import { createProvider } from '../../../daemon/providers/create-provider';
import type { ProviderSettings } from '../../../daemon/core/provider';
import { ProviderRegistry } from '../../../daemon/providers/provider-registry';

const provider = (name: string, kind: ProviderSettings['kind'], baseUrl: string, models: string[], local: boolean): ProviderSettings => ({
  name, kind, baseUrl, models, local, prices: {}, maxConnections: 4, connectTimeoutMs: 1_000, headersTimeoutMs: 1_000, bodyTimeoutMs: 1_000, headers: {},
});

test('a benchmark targets the local provider that serves the model, with the wire it speaks', async (t) => {
  const registry = new ProviderRegistry(createProvider);
  t.after(() => registry.close());
  registry.add(provider('cloud', 'openai', 'https://api.example.com/v1', ['qwen2.5-coder:7b', 'gpt-4.1'], false));
  registry.add(provider('ollama', 'ollama', 'http://127.0.0.1:11434', ['qwen2.5-coder:7b'], true));
  registry.add(provider('lmstudio', 'openai', 'http://127.0.0.1:1234/v1', ['qwen2.5-coder-14b-instruct'], true));
  registry.add(provider('llamacpp', 'llamacpp', 'http://127.0.0.1:8080', ['starcoder2-3b'], true));
  const find = benchTargetFinder(registry);

  assert.deepEqual(find('qwen2.5-coder:7b'), { baseUrl: 'http://127.0.0.1:11434', api: 'ollama' }, 'the local provider, not the cloud one listed first');
  assert.deepEqual(find('qwen2.5-coder-14b-instruct'), { baseUrl: 'http://127.0.0.1:1234', api: 'openai' }, 'the benchmark adds /v1 itself');
  assert.deepEqual(find('llamacpp/starcoder2-3b'), { baseUrl: 'http://127.0.0.1:8080', api: 'openai' });
  assert.equal(find('gpt-4.1'), undefined, "a cloud model's speed says nothing about this machine");
  assert.equal(find('cloud/gpt-4.1'), undefined);
  assert.equal(find('nothing-serves-this'), undefined);
});
