/**
 * Where a model runs, as Ollama decides it: all layers on the GPU, some layers on the GPU and
 * the rest on the CPU (partial offload), the CPU only, or nowhere.
 */
import type { FitKind, MemoryEstimate } from '../../shared/hardware/recommendations';
import type { MemoryPools } from './memory-pools';

export interface FitResult {
  fit: FitKind;
  gpuLayers: number;
  /** Bytes held by the GPU and by the CPU. */
  gpuBytes: number;
  cpuBytes: number;
  /** The memory the decision was judged against. */
  availableBytes: number;
  /** As `ollama ps` shows it. */
  processor: string;
}

export function estimateFit(memory: MemoryEstimate, layers: number, pools: MemoryPools): FitResult {
  const total = memory.totalBytes;
  const gpu = pools.gpu;
  if (gpu && gpu.budgetBytes > 0) {
    if (total <= gpu.budgetBytes && (!gpu.unified || total <= pools.ramBytes)) {
      return { fit: 'full-gpu', gpuLayers: layers, gpuBytes: total, cpuBytes: 0, availableBytes: gpu.budgetBytes, processor: '100% GPU' };
    }
    // Each repeating layer carries its share of the weights and of the KV cache; the compute
    // graph stays with the GPU.
    const perLayer = (memory.weightsBytes + memory.kvCacheBytes) / layers;
    const gpuLayers = Math.min(layers - 1, Math.floor((gpu.budgetBytes - memory.overheadBytes) / perLayer));
    if (gpuLayers >= 1) {
      const gpuBytes = gpuLayers * perLayer + memory.overheadBytes;
      const cpuBytes = total - gpuBytes;
      const ramLeft = gpu.unified ? pools.ramBytes - gpuBytes : pools.ramBytes;
      if (cpuBytes <= ramLeft) {
        const cpuPct = Math.round((cpuBytes / total) * 100);
        return { fit: 'partial', gpuLayers, gpuBytes, cpuBytes, availableBytes: gpu.budgetBytes + ramLeft, processor: `${cpuPct}%/${100 - cpuPct}% CPU/GPU` };
      }
    }
  }
  if (total <= pools.ramBytes) return { fit: 'cpu', gpuLayers: 0, gpuBytes: 0, cpuBytes: total, availableBytes: pools.ramBytes, processor: '100% CPU' };
  return { fit: 'none', gpuLayers: 0, gpuBytes: 0, cpuBytes: 0, availableBytes: (gpu?.budgetBytes ?? 0) + pools.ramBytes, processor: 'does not fit' };
}
