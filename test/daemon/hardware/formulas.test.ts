/** The estimate formulas against published figures. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCatalog } from '../../../daemon/hardware/catalog/load-catalog';
import { estimateMemory, GIB, kvCacheBytes, MIB, weightsBytes } from '../../../daemon/hardware/estimate-memory';
import { estimateDecodeSpeed } from '../../../daemon/hardware/estimate-speed';
import { estimateFit } from '../../../daemon/hardware/estimate-fit';

const catalog = loadCatalog();
const byId = (id: string) => catalog.find((model) => model.id === id)!;

test('KV cache of Llama 3.1 8B at 4K context in f16 is 512 MiB', () => {
  assert.equal(kvCacheBytes(byId('llama3.1-8b'), 4096, 'f16'), 512 * MIB);
  assert.equal(kvCacheBytes(byId('llama3.1-8b'), 4096, 'q8_0'), 256 * MIB, 'q8_0 halves it');
});

test('KV cache of CodeLlama 7B (no grouped-query attention) at 4K context in f16 is 2 GiB', () => {
  assert.equal(byId('codellama-7b').kvHeads, byId('codellama-7b').attentionHeads);
  assert.equal(kvCacheBytes(byId('codellama-7b'), 4096, 'f16'), 2 * GIB);
});

test("a 7B Q4_0 model on an RTX 3090 (936 GB/s): the range contains llama.cpp's measured 121.8 tok/s", () => {
  // llama.cpp's CUDA benchmark table: "llama 7B Q4_0, 3.56 GiB, 6.74 B params, tg128 121.8 t/s" on an RTX 3090.
  const range = estimateDecodeSpeed({ gpuBytesPerToken: 3.56 * GIB, cpuBytesPerToken: 0, gpuBandwidthGBps: 936, cpuBandwidthGBps: 50, unified: false })!;
  assert.ok(range.low <= 121.8 && 121.8 <= range.high, `${range.low}–${range.high} tok/s`);
  assert.ok(range.high / range.low < 2, 'a range, not a shrug');
  // The same from the catalog: CodeLlama 7B's published Q4_0 file.
  const weights = weightsBytes(byId('codellama-7b'), 'Q4_0');
  const fromCatalog = estimateDecodeSpeed({ gpuBytesPerToken: weights.bytes, cpuBytesPerToken: 0, gpuBandwidthGBps: 936, cpuBandwidthGBps: 50, unified: false })!;
  assert.ok(fromCatalog.low <= 121.8 && 121.8 <= fromCatalog.high, `${fromCatalog.low}–${fromCatalog.high} tok/s`);
});

test('partial offload adds the GPU and CPU times per token', () => {
  const gpuOnly = estimateDecodeSpeed({ gpuBytesPerToken: 4e9, cpuBytesPerToken: 0, gpuBandwidthGBps: 400, cpuBandwidthGBps: 50, unified: false })!;
  const split = estimateDecodeSpeed({ gpuBytesPerToken: 2e9, cpuBytesPerToken: 2e9, gpuBandwidthGBps: 400, cpuBandwidthGBps: 50, unified: false })!;
  const expectedHigh = 1 / (2e9 / (0.75 * 400e9) + 2e9 / (0.8 * 50e9));
  assert.ok(Math.abs(split.high - expectedHigh) < 0.6, `${split.high} vs ${expectedHigh}`);
  assert.ok(split.high < gpuOnly.low);
});

test('weights: the published file size when known, else parameters × bits per weight', () => {
  assert.equal(weightsBytes(byId('llama3.1-8b'), 'Q4_K_M').bytes, 4.92e9);
  const computed = weightsBytes(byId('llama3.2-1b'), 'Q4_K_M');
  assert.equal(computed.bytes, (1.24e9 * 4.85) / 8);
  assert.match(computed.source, /bits per weight/);
});

test('memory = weights + KV cache + overhead, and the fit follows it', () => {
  const memory = estimateMemory(byId('llama3.1-8b'), 'Q4_K_M', 4096);
  assert.equal(memory.totalBytes, memory.weightsBytes + memory.kvCacheBytes + memory.overheadBytes);
  assert.equal(memory.kvCacheBytes, 512 * MIB);
  const pools = (gpuGiB: number, ramGiB: number) => ({ gpu: { name: 'GPU', budgetBytes: gpuGiB * GIB, bandwidthGBps: 500, unified: false }, ramBytes: ramGiB * GIB, cpuBandwidthGBps: 50, notes: [] });
  assert.equal(estimateFit(memory, 32, pools(8, 16)).fit, 'full-gpu');
  const partial = estimateFit(memory, 32, pools(3, 16));
  assert.equal(partial.fit, 'partial');
  assert.ok(partial.gpuLayers > 0 && partial.gpuLayers < 32);
  assert.equal(estimateFit(memory, 32, { ramBytes: 16 * GIB, cpuBandwidthGBps: 50, notes: [] }).fit, 'cpu');
  assert.equal(estimateFit(memory, 32, { ramBytes: 2 * GIB, cpuBandwidthGBps: 50, notes: [] }).fit, 'none');
});

test('the catalog covers every model the issue lists, each with a source', () => {
  const tags = catalog.map((model) => model.ollamaTag);
  for (const tag of ['qwen2.5-coder:0.5b', 'qwen2.5-coder:1.5b', 'qwen2.5-coder:3b', 'qwen2.5-coder:7b', 'qwen2.5-coder:14b', 'qwen2.5-coder:32b', 'starcoder2:3b', 'starcoder2:7b', 'starcoder2:15b', 'deepseek-coder-v2:16b', 'codellama:7b-code', 'llama3.2:1b', 'llama3.2:3b', 'llama3.1:8b']) {
    assert.ok(tags.includes(tag), tag);
  }
  assert.ok(catalog.every((model) => /^https:\/\//.test(model.source)));
  assert.equal(byId('deepseek-coder-v2-lite').activeParametersB, 2.4);
  assert.throws(() => loadCatalog({ version: 1, about: '', models: [{ ...byId('llama3.1-8b'), layers: 'many' }] }), /catalog\.models\[0\]\.layers/);
});
