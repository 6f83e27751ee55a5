/**
 * NVIDIA: total and free VRAM from nvidia-smi's CSV query, which is exact where
 * systeminformation may have nothing (no lspci in a container) or a capped figure (WMI).
 */
import type { HardwareProbes } from '../hardware-probes';
import { MIB_BYTES, newGpu, type HardwareDraft } from '../hardware-draft';

export const NVIDIA_SMI_ARGS = ['--query-gpu=name,memory.total,memory.free', '--format=csv,noheader,nounits'];

export interface NvidiaSmiRow {
  name: string;
  totalMiB: number;
  freeMiB: number;
}

/** `NVIDIA GeForce RTX 4090, 24564, 23012` per line, in MiB. */
export function parseNvidiaSmi(csv: string): NvidiaSmiRow[] {
  const rows: NvidiaSmiRow[] = [];
  for (const line of csv.split(/\r?\n/)) {
    const cells = line.split(',').map((cell) => cell.trim());
    if (cells.length < 3) continue;
    const total = Number(cells[1]);
    const free = Number(cells[2]);
    if (!cells[0] || !Number.isFinite(total)) continue;
    rows.push({ name: cells[0], totalMiB: total, freeMiB: Number.isFinite(free) ? free : total });
  }
  return rows;
}

export async function fillFromNvidiaSmi(draft: HardwareDraft, probes: HardwareProbes, signal: AbortSignal): Promise<void> {
  if (probes.platform === 'darwin') return;
  let csv: string;
  try {
    csv = await probes.runCommand('nvidia-smi', NVIDIA_SMI_ARGS, signal);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    if (draft.gpus.some((gpu) => gpu.vendor === 'nvidia')) {
      draft.notes.push(
        missing
          ? 'An NVIDIA GPU is listed but nvidia-smi is not installed: its VRAM figures come from systeminformation and may be incomplete.'
          : `nvidia-smi failed (${(error as Error).message.split('\n')[0]}): NVIDIA VRAM figures come from systeminformation.`,
      );
    }
    return;
  }
  const rows = parseNvidiaSmi(csv);
  const listed = draft.gpus.filter((gpu) => gpu.vendor === 'nvidia');
  rows.forEach((row, index) => {
    let gpu = listed[index];
    if (gpu === undefined) {
      gpu = newGpu(row.name, 'nvidia', 'nvidia-smi');
      draft.gpus.push(gpu);
      draft.notes.push(`${row.name} found by nvidia-smi; systeminformation did not list it.`);
    }
    gpu.name = row.name;
    gpu.vramTotalBytes = { value: row.totalMiB * MIB_BYTES, source: 'nvidia-smi memory.total' };
    gpu.vramFreeBytes = { value: row.freeMiB * MIB_BYTES, source: 'nvidia-smi memory.free' };
  });
}
