/**
 * Windows: WMI's AdapterRAM is a 32-bit field, so VRAM reads at most 4 GB; and the CPU flags
 * systeminformation gets there lack AVX. nvidia-smi (run before this) fixes NVIDIA cards;
 * other cards keep the capped figure as a lower bound with a note, and AVX2 is inferred from
 * the CPU model where the model is known to have it.
 */
import type { HardwareProbes } from '../hardware-probes';
import type { HardwareDraft } from '../hardware-draft';

const WMI_CAP_BYTES = 4 * 1024 ** 3;

/** CPU lines that all have AVX2: Intel Core 4th generation (Haswell) on, Core Ultra, every Ryzen. */
const AVX2_CPU = /Ryzen|Threadripper|EPYC|Core\(TM\)\s*Ultra|Core\s*Ultra|Core\(TM\)\s*i[3579]-(?:[4-9]\d{3}|1\d{4})/i;

export function fillWindowsGaps(draft: HardwareDraft, probes: HardwareProbes): void {
  if (probes.platform !== 'win32') return;
  for (const gpu of draft.gpus) {
    const total = gpu.vramTotalBytes.value;
    if (total === null || gpu.vramTotalBytes.source.startsWith('nvidia-smi')) continue;
    if (total >= WMI_CAP_BYTES - 1024 ** 2 && total <= WMI_CAP_BYTES) {
      gpu.vramTotalBytes = { value: total, source: 'WMI AdapterRAM, capped at 4 GB: the card may have more' };
      draft.notes.push(`${gpu.name}: Windows reports VRAM through WMI, which stops at 4 GB; set hardware.gpu_vram_gb to the real figure.`);
    }
  }
  if (draft.cpu.avx2.value !== true) {
    const brand = draft.cpu.brand.value ?? '';
    draft.cpu.avx2 = AVX2_CPU.test(brand)
      ? { value: true, source: `inferred from the CPU model "${brand}" (Windows reports no AVX flags)` }
      : { value: null, source: 'unknown: Windows reports no AVX flags; set hardware.avx2' };
    if (draft.cpu.avx512.value !== true) draft.cpu.avx512 = { value: null, source: 'unknown: Windows reports no AVX flags' };
  }
}
