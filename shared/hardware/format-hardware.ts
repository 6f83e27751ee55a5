/** Words and numbers for hardware and recommendations, shared by `switchyard hw` and the webview. */
import type { HardwareReport } from './hardware-report';
import type { FitKind, ModelEstimate, SpeedFigures } from './recommendations';

export function fmtGiB(bytes: number | null | undefined): string {
  return bytes === null || bytes === undefined || !Number.isFinite(bytes) ? '–' : `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}

export function fitLabel(fit: FitKind): string {
  return { 'full-gpu': 'full GPU', partial: 'partial offload', cpu: 'CPU only', none: 'does not fit' }[fit];
}

export function fmtSpeed(speed: SpeedFigures | null): string {
  if (speed === null) return '–';
  if (speed.measured) return `${speed.low} tok/s (measured${speed.ttftMs !== undefined ? `, TTFT ${speed.ttftMs} ms` : ''})`;
  return `${speed.low}–${speed.high} tok/s`;
}

export function fmtPlacement(estimate: ModelEstimate): string {
  return estimate.fit === 'partial' ? `${estimate.gpuLayers}/${estimate.totalLayers} layers on GPU (${estimate.processor})` : fitLabel(estimate.fit);
}

/** One line per detected figure: label, value, and where it came from. */
export function hardwareLines(hardware: HardwareReport): [string, string, string][] {
  const lines: [string, string, string][] = [];
  const { cpu, memory } = hardware;
  const cores = `${cpu.physicalCores.value ?? '?'} cores${cpu.logicalCores.value !== null && cpu.logicalCores.value !== cpu.physicalCores.value ? ` (${cpu.logicalCores.value} threads)` : ''}`;
  const flags = [cpu.avx2.value === true ? 'AVX2' : cpu.avx2.value === null ? 'AVX2 unknown' : 'no AVX2', cpu.avx512.value === true ? 'AVX-512' : ''].filter(Boolean).join(', ');
  lines.push(['CPU', `${cpu.brand.value ?? 'unknown'}, ${cores}, ${flags}`, cpu.brand.source]);
  lines.push(['Memory', `${fmtGiB(memory.availableBytes.value)} available of ${fmtGiB(memory.totalBytes.value)}`, memory.availableBytes.source]);
  lines.push(['Memory bandwidth', memory.bandwidthGBps.value === null ? 'unknown' : `${memory.bandwidthGBps.value} GB/s`, memory.bandwidthGBps.source]);
  if (hardware.gpus.length === 0) lines.push(['GPU', 'none found', 'systeminformation, nvidia-smi, sysfs']);
  for (const gpu of hardware.gpus) {
    const vram = gpu.unified ? `${fmtGiB(gpu.vramTotalBytes.value)} GPU budget of unified memory` : `${fmtGiB(gpu.vramFreeBytes.value)} free of ${fmtGiB(gpu.vramTotalBytes.value)} VRAM`;
    const bandwidth = gpu.bandwidthGBps.value === null ? '' : `, ${gpu.bandwidthGBps.value} GB/s`;
    lines.push(['GPU', `${gpu.name}: ${vram}${bandwidth}`, gpu.vramTotalBytes.source]);
  }
  return lines;
}
