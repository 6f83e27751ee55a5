import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import type { HardwareProbes } from '../../../daemon/hardware/hardware-probes';
import { systemProbes } from '../../../daemon/hardware/hardware-probes';
import { parseNvidiaUsage, NVIDIA_USAGE_ARGS } from '../../../daemon/hardware/gpu-usage';
import { HOST_SAMPLE_INTERVAL_MS, registerHostGauges } from '../../../daemon/hardware/hardware-metrics';

/** nvidia-smi's own CSV for two boards, the second of which does not report utilization. */
const NVIDIA_CSV = '0, NVIDIA GeForce RTX 4090, 37, 1024, 24564\n1, NVIDIA A100-SXM4-80GB, [N/A], 40000, 81920\n';

function missing(path: string): never {
  throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
}

/** Probes over fixture files and a fixture nvidia-smi; counts how often nvidia-smi ran. */
function fixtureProbes(files: Record<string, string>, nvidiaSmi: string | undefined): HardwareProbes & { smiRuns: number } {
  const probes = {
    smiRuns: 0,
    platform: 'linux' as NodeJS.Platform,
    arch: 'x64',
    cpu: async () => missing('cpu'),
    cpuFlags: async () => '',
    mem: async () => ({ total: 32 * 2 ** 30, available: 20 * 2 ** 30 }) as never,
    memLayout: async () => [],
    graphics: async () => missing('graphics'),
    runCommand: async (file: string, args: string[]) => {
      assert.equal(file, 'nvidia-smi');
      assert.deepEqual(args, NVIDIA_USAGE_ARGS);
      probes.smiRuns++;
      return nvidiaSmi ?? missing(file);
    },
    readFile: async (path: string) => files[path] ?? missing(path),
    listDir: async (path: string) => {
      const prefix = `${path}/`;
      const entries = new Set(Object.keys(files).filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length).split('/')[0]!));
      if (entries.size === 0) missing(path);
      return [...entries];
    },
  };
  return probes;
}

const AMD_FILES = {
  '/sys/class/drm/card0/device/vendor': '0x1002\n',
  '/sys/class/drm/card0/device/gpu_busy_percent': '73\n',
  '/sys/class/drm/card0/device/mem_info_vram_used': '4294967296\n',
  '/sys/class/drm/card0/device/mem_info_vram_total': '17163091968\n',
  // An Intel iGPU beside it: not amdgpu, no series.
  '/sys/class/drm/card1/device/vendor': '0x8086\n',
  '/sys/class/drm/card1/device/gpu_busy_percent': '5\n',
};

async function scrape(registry: Registry): Promise<string> {
  return registry.metrics();
}

describe('GPU and host gauges', () => {
  it('parses nvidia-smi usage, leaving out what a board does not report', () => {
    const gpus = parseNvidiaUsage(NVIDIA_CSV);
    assert.deepEqual(gpus, [
      { index: '0', name: 'NVIDIA GeForce RTX 4090', vendor: 'nvidia', utilization: 0.37, memoryUsedBytes: 1024 * 2 ** 20, memoryTotalBytes: 24564 * 2 ** 20 },
      { index: '1', name: 'NVIDIA A100-SXM4-80GB', vendor: 'nvidia', memoryUsedBytes: 40000 * 2 ** 20, memoryTotalBytes: 81920 * 2 ** 20 },
    ]);
  });

  it('exports NVIDIA and AMD devices from fixtures, and reads them only when scraped, at most once per interval', async () => {
    const registry = new Registry();
    let clock = 1_000_000;
    const probes = fixtureProbes(AMD_FILES, NVIDIA_CSV);
    registerHostGauges(registry, probes, () => clock);
    assert.equal(probes.smiRuns, 0, 'nothing is read before a scrape');
    const text = await scrape(registry);
    assert.match(text, /switchyard_gpu_utilization_ratio\{gpu="nvidia0",name="NVIDIA GeForce RTX 4090",vendor="nvidia"\} 0\.37/);
    assert.match(text, /switchyard_gpu_memory_total_bytes\{gpu="nvidia1",name="NVIDIA A100-SXM4-80GB",vendor="nvidia"\} 85899345920/);
    assert.doesNotMatch(text, /switchyard_gpu_utilization_ratio\{gpu="nvidia1"/, 'a board that does not report utilization has no series, not 0');
    assert.match(text, /switchyard_gpu_utilization_ratio\{gpu="amd0",name="AMD GPU \(card0\)",vendor="amd"\} 0\.73/);
    assert.match(text, /switchyard_gpu_memory_used_bytes\{gpu="amd0",name="AMD GPU \(card0\)",vendor="amd"\} 4294967296/);
    assert.match(text, /switchyard_gpu_memory_total_bytes\{gpu="amd0",name="AMD GPU \(card0\)",vendor="amd"\} 17163091968/);
    assert.doesNotMatch(text, /card1/);
    assert.match(text, /switchyard_host_memory_total_bytes 34359738368/);
    assert.match(text, /switchyard_host_memory_available_bytes 21474836480/);
    assert.equal(probes.smiRuns, 1, 'one reading serves every gauge of a scrape');
    await scrape(registry);
    assert.equal(probes.smiRuns, 1, 'a second scrape within the interval reuses the reading');
    clock += HOST_SAMPLE_INTERVAL_MS;
    await scrape(registry);
    assert.equal(probes.smiRuns, 2);
  });

  it('has no GPU series at all (not zeros) without a GPU, and stops spawning a missing nvidia-smi', async () => {
    const registry = new Registry();
    let clock = 0;
    const probes = fixtureProbes({}, undefined);
    registerHostGauges(registry, probes, () => clock);
    const text = await scrape(registry);
    assert.doesNotMatch(text, /^switchyard_gpu_\w+\{/m);
    assert.match(text, /switchyard_host_memory_total_bytes \d+/);
    clock += HOST_SAMPLE_INTERVAL_MS;
    await scrape(registry);
    assert.equal(probes.smiRuns, 1);
  });

  it('on this machine: GPU series only if nvidia-smi or amdgpu sysfs can be read here', async () => {
    const registry = new Registry();
    registerHostGauges(registry, systemProbes());
    const text = await scrape(registry);
    const series = text.split('\n').filter((line) => line.startsWith('switchyard_gpu_'));
    const probes = systemProbes();
    const nvidia = await probes.runCommand('nvidia-smi', ['-L'], AbortSignal.timeout(4_000)).then(() => true, () => false);
    const amd = (await probes.listDir('/sys/class/drm').catch(() => [] as string[])).length > 0
      && (await Promise.all((await probes.listDir('/sys/class/drm')).map((card) => probes.readFile(`/sys/class/drm/${card}/device/vendor`).catch(() => '')))).some((v) => v.trim() === '0x1002');
    if (!nvidia && !amd) assert.deepEqual(series, [], 'no GPU here: the GPU gauges are absent');
    else assert.ok(series.length > 0, 'a readable GPU here has series');
    assert.match(text, /switchyard_host_memory_total_bytes [1-9]\d*/);
  });
});
