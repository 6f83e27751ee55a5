/**
 * Memory a model needs to run: weights + KV cache + overhead, as llama.cpp (and so Ollama)
 * allocates it.
 */
import type { MemoryEstimate } from '../../shared/hardware/recommendations';
import type { CatalogModel, Quant } from './catalog/catalog-schema';

export const GIB = 1024 ** 3;
export const MIB = 1024 ** 2;

/** Bits per weight of each llama.cpp quantization, block scales included (llama.cpp's quantize table). */
export const BITS_PER_WEIGHT: Record<Quant, number> = {
  F16: 16,
  Q8_0: 8.5,
  Q5_K_M: 5.69,
  Q4_K_M: 4.85,
  Q4_0: 4.5,
  Q3_K_M: 3.91,
  Q2_K: 3.35,
};

export type KvCacheType = 'f16' | 'q8_0';
const KV_BYTES_PER_ELEMENT: Record<KvCacheType, number> = { f16: 2, q8_0: 1 };

/** The weights: the published file size when there is one, else parameters × bits per weight / 8. */
export function weightsBytes(model: CatalogModel, quant: Quant): { bytes: number; source: string } {
  const published = model.fileSizesGB[quant];
  if (published !== undefined) return { bytes: published * 1e9, source: `published ${quant} file size (${model.sizesSource})` };
  return {
    bytes: (model.parametersB * 1e9 * BITS_PER_WEIGHT[quant]) / 8,
    source: `${model.parametersB}B parameters × ${BITS_PER_WEIGHT[quant]} bits per weight (${quant})`,
  };
}

/** KV cache = layers × context × KV heads × (key + value head dims) × bytes per element; 2 × head dim when they match. */
export function kvCacheBytes(
  shape: Pick<CatalogModel, 'layers' | 'kvHeads' | 'headDim' | 'valueHeadDim'>,
  contextTokens: number,
  cacheType: KvCacheType = 'f16',
): number {
  const perToken = shape.kvHeads * (shape.headDim + (shape.valueHeadDim ?? shape.headDim)) * KV_BYTES_PER_ELEMENT[cacheType];
  return shape.layers * contextTokens * perToken;
}

/**
 * The compute graph llama.cpp reserves grows with the context and the vocabulary; a fixed
 * floor plus a per-token share is close enough for a fit decision.
 */
export function computeGraphBytes(model: Pick<CatalogModel, 'hiddenSize'>, contextTokens: number): number {
  return 256 * MIB + contextTokens * model.hiddenSize * 4 * 2;
}

export function estimateMemory(model: CatalogModel, quant: Quant, contextTokens: number, cacheType: KvCacheType = 'f16'): MemoryEstimate {
  const weights = weightsBytes(model, quant);
  const kv = kvCacheBytes(model, contextTokens, cacheType);
  const overhead = computeGraphBytes(model, contextTokens);
  return { weightsBytes: weights.bytes, kvCacheBytes: kv, overheadBytes: overhead, totalBytes: weights.bytes + kv + overhead, weightsSource: weights.source };
}
