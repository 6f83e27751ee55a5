/**
 * What the GPUs are doing now, for the gauges: utilization and memory per device, from
 * nvidia-smi (NVIDIA) and the amdgpu driver's sysfs files (AMD on Linux), read through the
 * hardware module's probes so tests drive them with fixtures. A device whose figure cannot be
 * read has no value for it: absent, never zero.
 */
import type { HardwareProbes } from './hardware-probes';

export interface GpuUsage {
  /** The device's index among its vendor's devices, as nvidia-smi or the DRM card number says. */
  index: string;
  name: string;
  vendor: 'nvidia' | 'amd';
  /** 0..1, or undefined when the driver does not say. */
  utilization?: number;
  memoryUsedBytes?: number;
  memoryTotalBytes?: number;
}

const MIB = 2 ** 20;
export const NVIDIA_USAGE_ARGS = ['--query-gpu=index,name,utilization.gpu,memory.used,memory.total', '--format=csv,noheader,nounits'];
const DRM = '/sys/class/drm';
const AMD_VENDOR_ID = '0x1002';

/** A cell like `45`, or `[N/A]` / `[Not Supported]` on boards that do not report it. */
function figure(cell: string | undefined): number | undefined {
  const value = Number(cell?.trim());
  return cell !== undefined && cell.trim() !== '' && Number.isFinite(value) ? value : undefined;
}

/** `0, NVIDIA GeForce RTX 4090, 37, 1024, 24564` per line: percent and MiB. */
export function parseNvidiaUsage(csv: string): GpuUsage[] {
  const gpus: GpuUsage[] = [];
  for (const line of csv.split(/\r?\n/)) {
    const cells = line.split(',').map((cell) => cell.trim());
    if (cells.length < 5 || cells[1] === '') continue;
    const utilization = figure(cells[2]);
    const used = figure(cells[3]);
    const total = figure(cells[4]);
    gpus.push({
      index: cells[0]!,
      name: cells[1]!,
      vendor: 'nvidia',
      ...(utilization !== undefined ? { utilization: utilization / 100 } : {}),
      ...(used !== undefined ? { memoryUsedBytes: used * MIB } : {}),
      ...(total !== undefined ? { memoryTotalBytes: total * MIB } : {}),
    });
  }
  return gpus;
}

export async function readNvidiaUsage(probes: HardwareProbes, signal: AbortSignal): Promise<GpuUsage[]> {
  return parseNvidiaUsage(await probes.runCommand('nvidia-smi', NVIDIA_USAGE_ARGS, signal));
}

/** Every amdgpu card in `/sys/class/drm`: `gpu_busy_percent`, `mem_info_vram_used`, `mem_info_vram_total`. */
export async function readAmdUsage(probes: HardwareProbes): Promise<GpuUsage[]> {
  if (probes.platform !== 'linux') return [];
  let cards: string[];
  try {
    cards = (await probes.listDir(DRM)).filter((entry) => /^card\d+$/.test(entry)).sort();
  } catch {
    return [];
  }
  const read = async (path: string): Promise<number | undefined> => figure(await probes.readFile(path).catch(() => undefined));
  const gpus: GpuUsage[] = [];
  for (const card of cards) {
    const device = `${DRM}/${card}/device`;
    if ((await probes.readFile(`${device}/vendor`).catch(() => '')).trim() !== AMD_VENDOR_ID) continue;
    const [busy, used, total] = await Promise.all([read(`${device}/gpu_busy_percent`), read(`${device}/mem_info_vram_used`), read(`${device}/mem_info_vram_total`)]);
    if (busy === undefined && used === undefined && total === undefined) continue;
    gpus.push({
      index: card.slice('card'.length),
      name: `AMD GPU (${card})`,
      vendor: 'amd',
      ...(busy !== undefined ? { utilization: busy / 100 } : {}),
      ...(used !== undefined ? { memoryUsedBytes: used } : {}),
      ...(total !== undefined && total > 0 ? { memoryTotalBytes: total } : {}),
    });
  }
  return gpus;
}
