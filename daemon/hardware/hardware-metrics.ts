import { Gauge, type Registry } from 'prom-client';
import type { HardwareProbes } from './hardware-probes';
import { readAmdUsage, readNvidiaUsage, type GpuUsage } from './gpu-usage';

/** A scrape at most this often starts a new reading; nothing is read while nobody scrapes. */
export const HOST_SAMPLE_INTERVAL_MS = 5_000;

interface HostSample {
  gpus: GpuUsage[];
  memoryTotalBytes?: number;
  memoryAvailableBytes?: number;
}

/**
 * GPU utilization and memory per device, and system memory, as gauges read when scraped (one
 * reading serves every gauge of a scrape, and scrapes closer together than the interval share
 * it). Without a readable GPU the GPU gauges have no series at all.
 */
export function registerHostGauges(registry: Registry, probes: HardwareProbes, now: () => number = Date.now): void {
  let last: { at: number; sample: Promise<HostSample> } | undefined;
  // nvidia-smi missing is not going to change while the daemon runs: stop spawning it.
  let nvidiaMissing = false;

  async function readSample(): Promise<HostSample> {
    const signal = AbortSignal.timeout(4_000);
    const nvidia = nvidiaMissing || probes.platform === 'darwin'
      ? []
      : await readNvidiaUsage(probes, signal).catch((error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') nvidiaMissing = true;
          return [];
        });
    const amd = await readAmdUsage(probes).catch(() => []);
    const memory = await probes.mem().catch(() => undefined);
    return { gpus: [...nvidia, ...amd], memoryTotalBytes: memory?.total, memoryAvailableBytes: memory?.available };
  }
  const sample = (): Promise<HostSample> => {
    const at = now();
    if (last === undefined || at - last.at >= HOST_SAMPLE_INTERVAL_MS) last = { at, sample: readSample() };
    return last.sample;
  };

  const labelNames = ['gpu', 'name', 'vendor'] as const;
  const gpuGauge = (name: string, help: string, value: (gpu: GpuUsage) => number | undefined): void => {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const { gpus } = await sample();
        this.reset();
        for (const gpu of gpus) {
          const figure = value(gpu);
          if (figure !== undefined) this.labels(`${gpu.vendor}${gpu.index}`, gpu.name, gpu.vendor).set(figure);
        }
      },
    });
  };
  gpuGauge('switchyard_gpu_utilization_ratio', 'GPU busy fraction (0..1) per device, from nvidia-smi or amdgpu sysfs', (gpu) => gpu.utilization);
  gpuGauge('switchyard_gpu_memory_used_bytes', 'GPU memory in use per device', (gpu) => gpu.memoryUsedBytes);
  gpuGauge('switchyard_gpu_memory_total_bytes', 'GPU memory per device', (gpu) => gpu.memoryTotalBytes);

  const hostGauge = (name: string, help: string, value: (sample: HostSample) => number | undefined): void => {
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const figure = value(await sample());
        this.reset();
        if (figure !== undefined) this.set(figure);
      },
    });
  };
  hostGauge('switchyard_host_memory_total_bytes', 'System memory of the machine the daemon runs on', (s) => s.memoryTotalBytes);
  hostGauge('switchyard_host_memory_available_bytes', 'System memory available for new work (free plus reclaimable)', (s) => s.memoryAvailableBytes);
}
