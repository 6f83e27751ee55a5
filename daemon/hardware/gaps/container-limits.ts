/**
 * Containers: systeminformation lists graphics on Linux through lspci, which slim images lack,
 * and reports the host's memory, not the container's cgroup limit. GPUs are then found by
 * nvidia-smi and sysfs (the other gap fillers); memory is capped at the cgroup limit here.
 */
import type { HardwareProbes } from '../hardware-probes';
import type { HardwareDraft } from '../hardware-draft';

const CGROUP_FILES = [
  { limit: '/sys/fs/cgroup/memory.max', usage: '/sys/fs/cgroup/memory.current', name: 'cgroup v2 memory.max' },
  { limit: '/sys/fs/cgroup/memory/memory.limit_in_bytes', usage: '/sys/fs/cgroup/memory/memory.usage_in_bytes', name: 'cgroup v1 memory.limit_in_bytes' },
];

export async function fillContainerLimits(draft: HardwareDraft, probes: HardwareProbes, graphicsListed: boolean): Promise<void> {
  if (probes.platform !== 'linux') return;
  if (!graphicsListed) {
    draft.notes.push('systeminformation listed no graphics controller (on Linux it needs lspci, which containers often lack); GPUs were looked for with nvidia-smi and in sysfs.');
  }
  for (const files of CGROUP_FILES) {
    let text: string;
    try {
      text = (await probes.readFile(files.limit)).trim();
    } catch {
      continue;
    }
    const limit = Number(text);
    if (text === 'max' || !Number.isFinite(limit)) return;
    const total = draft.memory.totalBytes.value;
    if (total !== null && limit >= total) return; // No limit below the machine's memory (v1 writes a huge number).
    draft.memory.totalBytes = { value: limit, source: `${files.name} (the container's limit)` };
    const usage = Number((await probes.readFile(files.usage).catch(() => '')).trim());
    const left = Number.isFinite(usage) && usage > 0 ? limit - usage : limit;
    const available = draft.memory.availableBytes.value;
    if (available === null || left < available) draft.memory.availableBytes = { value: Math.max(0, left), source: `${files.name} minus the container's usage` };
    draft.notes.push(`Running in a container limited to ${(limit / 1024 ** 3).toFixed(1)} GiB of memory.`);
    return;
  }
}
