import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PRESETS } from '../../../bench/scenarios/index';
import { BENCHMARK_PRESETS, findPreset } from '../../../extension/benchmark/presets';

test('the editor offers the quick check, the seeds\' presets, overhead, sweep and compare, each once', () => {
  const ids = BENCHMARK_PRESETS.map((p) => p.id);
  assert.deepEqual(ids, ['quick', '000', '002', '003', 'overhead', 'sweep', 'compare']);
  assert.equal(new Set(BENCHMARK_PRESETS.map((p) => p.label)).size, ids.length);
  assert.equal(findPreset('003')?.needsTarget, true);
  assert.equal(findPreset('compare')?.needsTarget, false);
});

test('the seeds\' presets offered are ones `switchyard bench --preset` knows', () => {
  for (const id of BENCHMARK_PRESETS.map((p) => p.id).filter((id) => /^\d+$/.test(id))) assert.ok(PRESETS[id], `bench preset ${id}`);
});
