/** What a model can be placed in on this machine: the GPU's budget and the RAM, with their bandwidths. */
import type { HardwareReport } from '../../shared/hardware/hardware-report';
import { primaryGpu } from './hardware-draft';
import { MIB } from './estimate-memory';

/** Kept free on the GPU for the driver and the display (CUDA's context alone takes a few hundred MiB). */
export const GPU_RESERVE_BYTES = 512 * MIB;
/** Share of available RAM left to the editor and the system. */
export const RAM_HEADROOM = 0.1;

export interface MemoryPools {
  gpu?: { name: string; budgetBytes: number; bandwidthGBps: number | null; unified: boolean };
  ramBytes: number;
  cpuBandwidthGBps: number;
  notes: string[];
}

export function memoryPools(hardware: HardwareReport): MemoryPools {
  const notes: string[] = [];
  const available = hardware.memory.availableBytes.value ?? hardware.memory.totalBytes.value;
  if (available === null) notes.push('Available memory is unknown: nothing can be judged to fit in RAM; set hardware.ram_available_gb.');
  const gpu = primaryGpu(hardware.gpus);
  let pools: MemoryPools = { ramBytes: Math.max(0, (available ?? 0) * (1 - RAM_HEADROOM)), cpuBandwidthGBps: hardware.memory.bandwidthGBps.value ?? 0, notes };
  if (gpu) {
    const free = gpu.vramFreeBytes.value ?? gpu.vramTotalBytes.value ?? 0;
    const budget = Math.max(0, gpu.unified ? free : free - GPU_RESERVE_BYTES);
    pools = { ...pools, gpu: { name: gpu.name, budgetBytes: budget, bandwidthGBps: gpu.bandwidthGBps.value, unified: gpu.unified } };
    if (hardware.gpus.length > 1) notes.push(`Models are placed on ${gpu.name}, the GPU with the most memory; splitting across GPUs is not estimated.`);
  }
  return pools;
}
