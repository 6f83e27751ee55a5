/**
 * Hardware detection: systeminformation for the CPU, memory and graphics, then the known gaps
 * filled in turn (nvidia-smi, AMD sysfs, container limits, Windows' WMI cap, Apple's unified
 * memory), then the config's overrides, then the bandwidths derived from what is known.
 * A probe that fails leaves its figures null with a note: partial data, never a crash.
 */
import { createHash } from 'node:crypto';
import type { Systeminformation } from 'systeminformation';
import type { HardwareReport } from '../../shared/hardware/hardware-report';
import { applyOverrides } from './apply-overrides';
import { cpuMemoryBandwidth, memoryLayoutFigures } from './cpu-bandwidth';
import { fillFromAmdSysfs } from './gaps/amd-sysfs';
import { fillAppleUnifiedMemory } from './gaps/apple-unified';
import { fillContainerLimits } from './gaps/container-limits';
import { fillFromNvidiaSmi } from './gaps/nvidia-smi';
import { fillWindowsGaps } from './gaps/windows-wmi';
import { MIB_BYTES, newGpu, unknownFigure, vendorOf, type HardwareDraft } from './hardware-draft';
import type { HardwareProbes } from './hardware-probes';
import { DEFAULT_APPLE_GPU_FRACTION, type HardwareSection } from './hardware-schema';
import { DEFAULT_GPU_BANDWIDTH_GBPS, knownGpuBandwidth } from './known-bandwidth';

export async function detectHardware(probes: HardwareProbes, overrides: HardwareSection, signal: AbortSignal, now: () => Date = () => new Date()): Promise<HardwareReport> {
  const notes: string[] = [];
  const attempt = async <T>(what: string, read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (error) {
      notes.push(`Could not read ${what}: ${(error as Error).message.split('\n')[0]}.`);
      return undefined;
    }
  };
  const [cpu, flags, mem, layout, graphics] = await Promise.all([
    attempt('the CPU (systeminformation cpu())', () => probes.cpu()),
    attempt('the CPU flags (systeminformation cpuFlags())', () => probes.cpuFlags()),
    attempt('memory (systeminformation mem())', () => probes.mem()),
    attempt('the memory layout (systeminformation memLayout())', () => probes.memLayout()),
    attempt('graphics (systeminformation graphics())', () => probes.graphics()),
  ]);
  signal.throwIfAborted();

  const draft = baseDraft(probes, cpu, flags, mem, layout, graphics, notes);
  await fillFromNvidiaSmi(draft, probes, signal);
  await fillFromAmdSysfs(draft, probes);
  await fillContainerLimits(draft, probes, (graphics?.controllers.length ?? 0) > 0);
  fillWindowsGaps(draft, probes);
  const fraction = overrides.apple_gpu_fraction ?? DEFAULT_APPLE_GPU_FRACTION;
  fillAppleUnifiedMemory(draft, probes, fraction, overrides.apple_gpu_fraction !== undefined ? 'config hardware.apple_gpu_fraction' : 'default');
  applyOverrides(draft, overrides);
  deriveBandwidths(draft, layout, overrides);
  signal.throwIfAborted();
  return { machineId: machineIdOf(draft), detectedAt: now().toISOString(), ...draft };
}

function baseDraft(
  probes: HardwareProbes,
  cpu: Systeminformation.CpuData | undefined,
  flags: string | undefined,
  mem: Systeminformation.MemData | undefined,
  layout: Systeminformation.MemLayoutData[] | undefined,
  graphics: Systeminformation.GraphicsData | undefined,
  notes: string[],
): HardwareDraft {
  const fromSi = (call: string) => `systeminformation ${call}`;
  const flagList = new Set((flags ?? cpu?.flags ?? '').split(/\s+/).filter(Boolean));
  const flagFigure = (test: (flag: string) => boolean) =>
    flags === undefined && !cpu?.flags ? unknownFigure('CPU flags unreadable') : { value: [...flagList].some(test), source: fromSi('cpuFlags()') };
  const brand = cpu ? [cpu.manufacturer, cpu.brand].filter(Boolean).join(' ').trim() : '';
  const memoryLayout = memoryLayoutFigures(layout);
  return {
    platform: probes.platform,
    arch: probes.arch,
    cpu: {
      brand: brand ? { value: brand, source: fromSi('cpu()') } : unknownFigure('CPU unreadable'),
      physicalCores: cpu?.physicalCores ? { value: cpu.physicalCores, source: fromSi('cpu().physicalCores') } : unknownFigure('CPU unreadable'),
      logicalCores: cpu?.cores ? { value: cpu.cores, source: fromSi('cpu().cores') } : unknownFigure('CPU unreadable'),
      avx2: flagFigure((flag) => flag === 'avx2'),
      avx512: flagFigure((flag) => flag.startsWith('avx512')),
    },
    memory: {
      totalBytes: mem ? { value: mem.total, source: fromSi('mem().total') } : unknownFigure('memory unreadable'),
      availableBytes: mem ? { value: mem.available, source: fromSi('mem().available') } : unknownFigure('memory unreadable'),
      ...memoryLayout,
      bandwidthGBps: unknownFigure('not derived yet'),
    },
    gpus: (graphics?.controllers ?? []).map((controller) => {
      const name = controller.model || controller.name || controller.vendor || 'GPU';
      const gpu = newGpu(name, vendorOf(`${controller.vendor} ${name}`), fromSi('graphics()'));
      const totalMiB = controller.memoryTotal ?? controller.vram;
      if (totalMiB) gpu.vramTotalBytes = { value: totalMiB * MIB_BYTES, source: fromSi(controller.memoryTotal ? 'graphics().memoryTotal' : 'graphics().vram') };
      if (controller.memoryFree) gpu.vramFreeBytes = { value: controller.memoryFree * MIB_BYTES, source: fromSi('graphics().memoryFree') };
      else if (totalMiB) gpu.vramFreeBytes = { value: totalMiB * MIB_BYTES, source: `${fromSi('graphics()')}: free VRAM unknown, total used` };
      if (controller.vramDynamic) gpu.unified = true;
      return gpu;
    }),
    notes,
  };
}

function deriveBandwidths(draft: HardwareDraft, layout: Systeminformation.MemLayoutData[] | undefined, overrides: HardwareSection): void {
  for (const gpu of draft.gpus) {
    if (gpu.bandwidthGBps.value !== null) continue;
    const known = knownGpuBandwidth(gpu.name);
    if (known !== undefined) gpu.bandwidthGBps = { value: known, source: `published memory bandwidth of the ${gpu.name}` };
    else if (gpu.vendor === 'nvidia' || gpu.vendor === 'amd') gpu.bandwidthGBps = { value: DEFAULT_GPU_BANDWIDTH_GBPS, source: `default: ${gpu.name} is not in the known-GPU table, a mid-range GPU's ${DEFAULT_GPU_BANDWIDTH_GBPS} GB/s assumed (set hardware.gpu_bandwidth_gbps)` };
  }
  if (overrides.memory_bandwidth_gbps === undefined) {
    draft.memory.bandwidthGBps = cpuMemoryBandwidth(memoryLayoutFigures(layout), draft.cpu.physicalCores.value);
  }
}

/** Same machine, same id: what decides model speed (CPU, memory size, GPUs), not what changes by the minute. */
function machineIdOf(draft: HardwareDraft): string {
  const gib = (bytes: number | null) => (bytes === null ? '?' : Math.round(bytes / 1024 ** 3));
  const parts = [draft.platform, draft.arch, draft.cpu.brand.value ?? '?', gib(draft.memory.totalBytes.value), ...draft.gpus.map((gpu) => `${gpu.name}:${gib(gpu.vramTotalBytes.value)}`)];
  return createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 16);
}
