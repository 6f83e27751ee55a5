/**
 * AMD on Linux: the amdgpu driver publishes VRAM in sysfs. lspci (and so systeminformation)
 * reports the PCI BAR window, often 256 MB, not the memory on the card.
 */
import type { HardwareProbes } from '../hardware-probes';
import { newGpu, type HardwareDraft } from '../hardware-draft';

const DRM = '/sys/class/drm';
const AMD_VENDOR_ID = '0x1002';

export async function fillFromAmdSysfs(draft: HardwareDraft, probes: HardwareProbes): Promise<void> {
  if (probes.platform !== 'linux') return;
  let cards: string[];
  try {
    cards = (await probes.listDir(DRM)).filter((entry) => /^card\d+$/.test(entry)).sort();
  } catch {
    return; // No DRM devices at all (a server or a container without /sys/class/drm).
  }
  const listed = draft.gpus.filter((gpu) => gpu.vendor === 'amd');
  let found = 0;
  for (const card of cards) {
    const device = `${DRM}/${card}/device`;
    const vendor = (await probes.readFile(`${device}/vendor`).catch(() => '')).trim();
    if (vendor !== AMD_VENDOR_ID) continue;
    const totalPath = `${device}/mem_info_vram_total`;
    let total: number;
    try {
      total = Number((await probes.readFile(totalPath)).trim());
    } catch (error) {
      draft.notes.push(`AMD GPU at ${card}: cannot read ${totalPath} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); set hardware.gpu_vram_gb.`);
      continue;
    }
    if (!Number.isFinite(total) || total <= 0) continue;
    const used = Number((await probes.readFile(`${device}/mem_info_vram_used`).catch(() => '')).trim());
    let gpu = listed[found];
    if (gpu === undefined) {
      gpu = newGpu(`AMD GPU (${card})`, 'amd', 'sysfs');
      draft.gpus.push(gpu);
      draft.notes.push(`An AMD GPU at ${card} was found in sysfs; systeminformation did not list it.`);
    }
    const previous = gpu.vramTotalBytes.value;
    gpu.vramTotalBytes = { value: total, source: `sysfs ${totalPath}` };
    gpu.vramFreeBytes = Number.isFinite(used) && used >= 0 ? { value: total - used, source: `sysfs ${card} mem_info_vram_total − mem_info_vram_used` } : { value: total, source: `sysfs ${totalPath} (usage unknown)` };
    if (previous !== null && previous !== total) draft.notes.push(`${gpu.name}: lspci reported ${Math.round(previous / 2 ** 20)} MiB (the PCI window); sysfs says ${Math.round(total / 2 ** 20)} MiB.`);
    found++;
  }
}
