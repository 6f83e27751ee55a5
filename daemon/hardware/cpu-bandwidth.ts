/**
 * What the CPU can stream from RAM: memory type × speed × channels when the memory layout is
 * known, else a stated default; then capped by the cores, because a single core cannot
 * saturate the memory bus (one core streams roughly 10–15 GB/s).
 */
import type { Systeminformation } from 'systeminformation';
import type { NumberFigure, StringFigure } from '../../shared/hardware/hardware-report';

/** Dual-channel DDR4-3200: the most common desktop and laptop memory, stated as an assumption. */
export const DEFAULT_MEMORY_BANDWIDTH_GBPS = 51.2;
export const PER_CORE_STREAM_GBPS = 12;

export interface MemoryLayoutFigures {
  type: StringFigure;
  speedMTs: NumberFigure;
  channels: NumberFigure;
}

export function memoryLayoutFigures(layout: Systeminformation.MemLayoutData[] | undefined): MemoryLayoutFigures {
  const modules = (layout ?? []).filter((module) => module.size > 0);
  const typed = modules.find((module) => module.type && module.type !== 'Unknown');
  const speeds = modules.map((module) => module.clockSpeed ?? 0).filter((speed) => speed > 0);
  const source = 'systeminformation memLayout()';
  return {
    type: typed ? { value: typed.type, source } : { value: null, source: `${source}: not reported` },
    speedMTs: speeds.length > 0 ? { value: Math.min(...speeds), source } : { value: null, source: `${source}: not reported` },
    // Each populated module on a desktop or laptop board sits on its own channel up to two;
    // more modules share channels. Servers with more channels should set the override.
    channels: modules.length > 0 && typed ? { value: Math.min(modules.length, 2), source: `${source}: ${modules.length} module(s), at most 2 channels assumed` } : { value: null, source: `${source}: not reported` },
  };
}

/** 8 bytes per transfer per channel (a 64-bit DIMM channel, DDR4 and DDR5 alike). */
export function cpuMemoryBandwidth(layout: MemoryLayoutFigures, physicalCores: number | null): NumberFigure {
  let gbps: number;
  let source: string;
  if (layout.speedMTs.value !== null && layout.channels.value !== null) {
    gbps = (layout.speedMTs.value * 8 * layout.channels.value) / 1000;
    source = `${layout.type.value ?? 'memory'} ${layout.speedMTs.value} MT/s × 8 bytes × ${layout.channels.value} channel(s)`;
  } else {
    gbps = DEFAULT_MEMORY_BANDWIDTH_GBPS;
    source = `default: memory type and speed unknown, dual-channel DDR4-3200 assumed (${DEFAULT_MEMORY_BANDWIDTH_GBPS} GB/s)`;
  }
  if (physicalCores !== null && physicalCores * PER_CORE_STREAM_GBPS < gbps) {
    gbps = physicalCores * PER_CORE_STREAM_GBPS;
    source += `, capped at ${physicalCores} core(s) × ${PER_CORE_STREAM_GBPS} GB/s`;
  }
  return { value: Math.round(gbps * 10) / 10, source };
}
