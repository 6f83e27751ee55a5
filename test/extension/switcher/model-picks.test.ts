import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ModelChoice } from '../../../shared/lsp/protocol';
import { modelPicks } from '../../../extension/switcher/model-picks';

const choice = (provider: string, model: string, local: boolean, health: ModelChoice['health'], ttftMs?: number): ModelChoice => ({
  provider,
  model,
  key: `${provider}/${model}`,
  local,
  health,
  ttftMs,
  inFlight: 0,
  errorRate: 0,
});

test('models are grouped local then cloud, healthy and fast first, with the one in use marked', () => {
  const picks = modelPicks(
    [choice('openai', 'gpt-4.1-mini', false, 'up', 300), choice('llamacpp', 'qwen-7b', true, 'up', 80), choice('ollama', 'llama3.2:3b', true, 'down'), choice('ollama', 'qwen2.5-coder:7b', true, 'up', 40)],
    ['completion'],
    'llamacpp/qwen-7b',
    false,
  );
  const labels = picks.map((p) => (p.kind === 'separator' ? `-- ${p.label}` : p.route));
  assert.deepEqual(labels, ['', '-- Routes', 'completion', '-- Local', 'ollama/qwen2.5-coder:7b', 'llamacpp/qwen-7b', 'ollama/llama3.2:3b', '-- Cloud (switchyard.allowCloud is off)', 'openai/gpt-4.1-mini']);
  const inUse = picks.filter((p) => p.kind === 'route' && p.picked);
  assert.equal(inUse.length, 1);
  const fast = picks.find((p) => p.kind === 'route' && p.route === 'ollama/qwen2.5-coder:7b');
  assert.ok(fast && fast.kind === 'route' && /40\.0 ms to first token/.test(fast.description));
  const down = picks.find((p) => p.kind === 'route' && p.route === 'ollama/llama3.2:3b');
  assert.ok(down && down.kind === 'route' && /\bdown\b/.test(down.description));
});
