/** The config's `[hardware]` overrides, applied last: they win over every probe. */
import type { HardwareSection } from './hardware-schema';
import { newGpu, primaryGpu, vendorOf, type HardwareDraft } from './hardware-draft';

const GB = 1024 ** 3;

export function applyOverrides(draft: HardwareDraft, overrides: HardwareSection): void {
  const from = (key: keyof HardwareSection) => `config hardware.${key}`;
  if (overrides.ram_gb !== undefined) draft.memory.totalBytes = { value: overrides.ram_gb * GB, source: from('ram_gb') };
  if (overrides.ram_available_gb !== undefined) draft.memory.availableBytes = { value: overrides.ram_available_gb * GB, source: from('ram_available_gb') };
  if (overrides.memory_bandwidth_gbps !== undefined) draft.memory.bandwidthGBps = { value: overrides.memory_bandwidth_gbps, source: from('memory_bandwidth_gbps') };
  if (overrides.cpu_cores !== undefined) draft.cpu.physicalCores = { value: overrides.cpu_cores, source: from('cpu_cores') };
  if (overrides.avx2 !== undefined) draft.cpu.avx2 = { value: overrides.avx2, source: from('avx2') };

  const touchesGpu = overrides.gpu_name !== undefined || overrides.gpu_vram_gb !== undefined || overrides.gpu_free_vram_gb !== undefined || overrides.gpu_bandwidth_gbps !== undefined;
  if (!touchesGpu) return;
  // `gpu_name` picks the GPU when it names a detected one; otherwise the overrides describe the main GPU.
  let gpu = draft.gpus.find((candidate) => candidate.name === overrides.gpu_name) ?? primaryGpu(draft.gpus) ?? draft.gpus.find((candidate) => candidate.vendor !== 'intel');
  if (gpu === undefined) {
    const name = overrides.gpu_name ?? 'GPU from the config';
    gpu = newGpu(name, vendorOf(name), 'config');
    draft.gpus.push(gpu);
  }
  if (overrides.gpu_name !== undefined) {
    gpu.name = overrides.gpu_name;
    if (gpu.vendor === 'other') gpu.vendor = vendorOf(overrides.gpu_name);
  }
  if (overrides.gpu_vram_gb !== undefined) {
    gpu.vramTotalBytes = { value: overrides.gpu_vram_gb * GB, source: from('gpu_vram_gb') };
    if (overrides.gpu_free_vram_gb === undefined) gpu.vramFreeBytes = { value: overrides.gpu_vram_gb * GB, source: from('gpu_vram_gb') };
  }
  if (overrides.gpu_free_vram_gb !== undefined) gpu.vramFreeBytes = { value: overrides.gpu_free_vram_gb * GB, source: from('gpu_free_vram_gb') };
  if (overrides.gpu_bandwidth_gbps !== undefined) gpu.bandwidthGBps = { value: overrides.gpu_bandwidth_gbps, source: from('gpu_bandwidth_gbps') };
}
