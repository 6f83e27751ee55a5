/**
 * Six machines, from their systeminformation and nvidia-smi output to the models a user is
 * told to run: where each fits and which are the top picks for completion and chat.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCatalog } from '../../../daemon/hardware/catalog/load-catalog';
import { detectHardware } from '../../../daemon/hardware/detect-hardware';
import { recommendModels } from '../../../daemon/hardware/recommend-models';
import type { Recommendations } from '../../../shared/hardware/recommendations';
import { fixtureProbes, loadFixture } from './fixture-probes';

async function recommendFor(name: string, installed: string[] = []): Promise<Recommendations> {
  const hardware = await detectHardware(fixtureProbes(loadFixture(name)), {}, AbortSignal.timeout(5_000));
  return recommendModels({ hardware, catalog: loadCatalog(), ollama: { reachable: installed.length > 0, url: 'http://127.0.0.1:11434', installed }, measured: [] });
}

const model = (recommendations: Recommendations, id: string) => recommendations.models.find((m) => m.id === id)!;

test('RTX 4090 desktop, 64 GB: everything fits on the GPU; 7B for completion, 32B for chat', async () => {
  const r = await recommendFor('rtx4090-desktop');
  assert.equal(r.hardware.gpus[0]!.name, 'NVIDIA GeForce RTX 4090');
  assert.ok(r.models.every((m) => m.fit === 'full-gpu'), 'every catalog model fits in 24 GB');
  assert.equal(r.completion?.ollamaTag, 'qwen2.5-coder:7b');
  assert.equal(r.chat?.ollamaTag, 'qwen2.5-coder:32b');
  assert.equal(r.chat?.quant, 'Q4_K_M');
  assert.equal(r.chat?.processor, '100% GPU');
  assert.match(r.completion!.why, /fills in the middle/);
});

test('laptop with 8 GB of VRAM and 16 GB of RAM: 7B on the GPU; 14B only by partial offload', async () => {
  const r = await recommendFor('laptop-8gb-vram');
  assert.equal(r.completion?.ollamaTag, 'qwen2.5-coder:7b');
  assert.equal(r.completion?.fit, 'full-gpu');
  assert.equal(r.chat?.ollamaTag, 'qwen2.5-coder:7b');
  const big = model(r, 'qwen2.5-coder-14b');
  assert.equal(big.fit, 'partial');
  assert.ok(big.gpuLayers > 0 && big.gpuLayers < big.totalLayers, `${big.gpuLayers} of ${big.totalLayers} layers on the GPU`);
  assert.match(big.processor, /^\d+%\/\d+% CPU\/GPU$/);
  // Partial offload is slower than the GPU alone: the CPU part's time is added.
  assert.ok(big.speed!.high < model(r, 'qwen2.5-coder-7b').speed!.low);
  assert.ok(r.alternates.chat.some((m) => m.fit === 'partial') || r.models.some((m) => m.fit === 'partial'));
});

test('Apple M2 with 16 GB: unified memory, a small coder for completion, 14B at a lower quantization for chat', async () => {
  const r = await recommendFor('apple-m2-16gb');
  const gpu = r.hardware.gpus[0]!;
  assert.equal(gpu.unified, true);
  assert.equal(gpu.bandwidthGBps.value, 100);
  assert.equal(r.completion?.ollamaTag, 'qwen2.5-coder:1.5b');
  assert.equal(r.completion?.fit, 'full-gpu');
  assert.equal(r.chat?.ollamaTag, 'qwen2.5-coder:14b');
  assert.equal(r.chat?.quant, 'Q3_K_M');
  assert.deepEqual(r.chat?.adjustments, ['Q4_K_M does not fit: Q3_K_M instead']);
  assert.equal(model(r, 'qwen2.5-coder-32b').fit, 'none');
});

test('CPU-only machine with 16 GB: CPU estimates only; the mixture of experts wins chat at a lower quantization', async () => {
  const r = await recommendFor('cpu-only-16gb');
  assert.ok(r.models.every((m) => m.fit === 'cpu' || m.fit === 'none'));
  assert.ok(r.notes.some((note) => /No GPU usable/.test(note)));
  assert.equal(r.hardware.memory.bandwidthGBps.value, 51.2, 'DDR4-3200 × 8 bytes × 2 channels');
  assert.equal(r.completion?.ollamaTag, 'qwen2.5-coder:1.5b');
  assert.equal(r.completion?.fit, 'cpu');
  assert.equal(r.chat?.ollamaTag, 'deepseek-coder-v2:16b');
  assert.equal(r.chat?.quant, 'Q3_K_M');
  assert.match(r.chat!.why, /mixture of experts/);
  // A mixture of experts reads only its active parameters: faster than a dense 7B despite being larger.
  assert.ok(r.chat!.speed!.low > model(r, 'qwen2.5-coder-7b').speed!.high);
});

test('AMD GPU with no VRAM reported: sysfs gives the memory, and the picks are a 24 GB card’s', async () => {
  const r = await recommendFor('amd-no-vram');
  const gpu = r.hardware.gpus[0]!;
  assert.equal(gpu.vramTotalBytes.value, 25753026560);
  assert.equal(r.completion?.ollamaTag, 'qwen2.5-coder:7b');
  assert.equal(r.chat?.ollamaTag, 'qwen2.5-coder:32b');
  assert.equal(r.chat?.fit, 'full-gpu');
});

test('container without lspci: nvidia-smi finds the GPU, the cgroup limit caps memory', async () => {
  const r = await recommendFor('container-no-lspci');
  assert.equal(r.hardware.gpus.length, 1);
  assert.equal(r.hardware.gpus[0]!.name, 'NVIDIA L4');
  assert.equal(r.hardware.memory.totalBytes.value, 16 * 1024 ** 3);
  assert.equal(r.completion?.ollamaTag, 'qwen2.5-coder:7b');
  assert.equal(r.completion?.fit, 'full-gpu');
  assert.equal(r.chat?.ollamaTag, 'qwen2.5-coder:32b');
});

test('an installed model is preferred and marked', async () => {
  const r = await recommendFor('rtx4090-desktop', ['qwen2.5-coder:14b-instruct-q4_K_M', 'llama3.1:8b']);
  assert.equal(model(r, 'qwen2.5-coder-14b').installedAs, 'qwen2.5-coder:14b-instruct-q4_K_M');
  assert.equal(model(r, 'llama3.1-8b').installedAs, 'llama3.1:8b');
  assert.equal(model(r, 'qwen2.5-coder-7b').installedAs, undefined);
  assert.equal(r.completion?.ollamaTag, 'qwen2.5-coder:14b', 'installed beats downloading a slightly better fit');
  assert.match(r.completion!.why, /already installed/);
});

test('license limits are marked, and a non-commercial model is not the default pick', async () => {
  const r = await recommendFor('cpu-only-16gb');
  assert.match(model(r, 'qwen2.5-coder-3b').licenseLimit!, /non-commercial/);
  assert.equal(model(r, 'qwen2.5-coder-7b').licenseLimit, undefined);
  assert.notEqual(r.completion?.id, 'qwen2.5-coder-3b');
  assert.notEqual(r.chat?.id, 'qwen2.5-coder-3b');
});
