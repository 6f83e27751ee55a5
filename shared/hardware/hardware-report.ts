/**
 * What the daemon detected about this machine, as every door sends it. Each figure carries
 * where it came from (systeminformation, nvidia-smi, sysfs, the config, a stated default), so a
 * reader can tell a measured fact from an assumption. Browser-safe: TypeBox only.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

const Source = Type.String({ description: 'where the figure came from, e.g. "nvidia-smi", "config hardware.gpu_vram_gb", "default"' });

/** A figure with its source; `value` is null when nothing could tell it. */
export const Figure = <T extends TSchema>(value: T) => Type.Object({ value: Type.Union([value, Type.Null()]), source: Source });

export const NumberFigure = Figure(Type.Number());
export const StringFigure = Figure(Type.String());
export const BooleanFigure = Figure(Type.Boolean());
export type NumberFigure = Static<typeof NumberFigure>;
export type StringFigure = Static<typeof StringFigure>;
export type BooleanFigure = Static<typeof BooleanFigure>;

export const GpuVendor = Type.Union([Type.Literal('nvidia'), Type.Literal('amd'), Type.Literal('apple'), Type.Literal('intel'), Type.Literal('other')]);
export type GpuVendor = Static<typeof GpuVendor>;

export const GpuReport = Type.Object({
  name: Type.String(),
  vendor: GpuVendor,
  /** Apple Silicon: the GPU shares system memory; `vramTotalBytes` is then the GPU budget. */
  unified: Type.Boolean(),
  vramTotalBytes: NumberFigure,
  vramFreeBytes: NumberFigure,
  bandwidthGBps: NumberFigure,
});
export type GpuReport = Static<typeof GpuReport>;

export const HardwareReport = Type.Object({
  /** Stable per machine (CPU, memory size, GPUs); measured figures are stored under it. */
  machineId: Type.String(),
  detectedAt: Type.String(),
  platform: Type.String(),
  arch: Type.String(),
  cpu: Type.Object({
    brand: StringFigure,
    physicalCores: NumberFigure,
    logicalCores: NumberFigure,
    avx2: BooleanFigure,
    avx512: BooleanFigure,
  }),
  memory: Type.Object({
    totalBytes: NumberFigure,
    /** What a model can use now (`available`, not `free`: the page cache gives way). */
    availableBytes: NumberFigure,
    type: StringFigure,
    speedMTs: NumberFigure,
    channels: NumberFigure,
    /** What the CPU can stream from memory for decoding, GB/s. */
    bandwidthGBps: NumberFigure,
  }),
  gpus: Type.Array(GpuReport),
  /** Plain sentences: a probe that failed, a gap that was filled, an override in force. */
  notes: Type.Array(Type.String()),
});
export type HardwareReport = Static<typeof HardwareReport>;
