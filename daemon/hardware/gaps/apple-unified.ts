/**
 * Apple Silicon: the GPU shares system memory. systeminformation reports its VRAM as null or
 * a dynamic figure, so the GPU's budget is a configurable fraction of RAM, and its bandwidth
 * is the chip's unified memory bandwidth.
 */
import type { HardwareProbes } from '../hardware-probes';
import { knownAppleBandwidth } from '../known-bandwidth';
import { newGpu, type HardwareDraft } from '../hardware-draft';

export function fillAppleUnifiedMemory(draft: HardwareDraft, probes: HardwareProbes, gpuFraction: number, fractionSource: string): void {
  if (probes.platform !== 'darwin' || probes.arch !== 'arm64') return;
  const chip = draft.cpu.brand.value ?? draft.gpus.find((gpu) => gpu.vendor === 'apple')?.name ?? 'Apple Silicon';
  let gpu = draft.gpus.find((candidate) => candidate.vendor === 'apple');
  if (gpu === undefined) {
    gpu = newGpu(chip, 'apple', 'unified memory');
    draft.gpus.push(gpu);
  }
  gpu.unified = true;
  const total = draft.memory.totalBytes.value;
  if (total === null) {
    draft.notes.push('Apple Silicon: total memory unknown, so the GPU budget is unknown; set hardware.ram_gb.');
  } else {
    const budget = Math.floor(total * gpuFraction);
    gpu.vramTotalBytes = { value: budget, source: `unified memory × GPU fraction ${gpuFraction} (${fractionSource})` };
    const available = draft.memory.availableBytes.value;
    gpu.vramFreeBytes = { value: available === null ? budget : Math.min(budget, available), source: 'GPU budget, limited by available memory' };
  }
  const bandwidth = knownAppleBandwidth(chip);
  gpu.bandwidthGBps = bandwidth === undefined ? { value: null, source: `${chip}: not in the known-chip table` } : { value: bandwidth, source: `Apple's published unified memory bandwidth for ${chip}` };
}
