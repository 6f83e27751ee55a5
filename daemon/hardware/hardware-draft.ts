/** The report while detection fills it: the gap fillers and the overrides edit it in turn. */
import type { GpuReport, GpuVendor, HardwareReport } from '../../shared/hardware/hardware-report';

export type HardwareDraft = Omit<HardwareReport, 'machineId' | 'detectedAt'>;

export const MIB_BYTES = 1024 * 1024;

export function vendorOf(text: string): GpuVendor {
  if (/nvidia/i.test(text)) return 'nvidia';
  if (/\bamd\b|advanced micro|\bati\b|radeon/i.test(text)) return 'amd';
  if (/apple/i.test(text)) return 'apple';
  if (/intel/i.test(text)) return 'intel';
  return 'other';
}

export function unknownFigure(source: string) {
  return { value: null, source };
}

export function newGpu(name: string, vendor: GpuVendor, source: string): GpuReport {
  return {
    name,
    vendor,
    unified: false,
    vramTotalBytes: unknownFigure(source),
    vramFreeBytes: unknownFigure(source),
    bandwidthGBps: unknownFigure('not known'),
  };
}

/** The GPU models are placed on: the one with the most memory among those llama.cpp can use. */
export function primaryGpu(gpus: GpuReport[]): GpuReport | undefined {
  return gpus
    .filter((gpu) => gpu.vendor !== 'intel' && gpu.vendor !== 'other' && (gpu.vramTotalBytes.value ?? 0) > 0)
    .sort((a, b) => (b.vramTotalBytes.value ?? 0) - (a.vramTotalBytes.value ?? 0))[0];
}
