/**
 * Each known gap in what systeminformation reports, shown filled; a probe that fails gives
 * partial data with a note; the config's overrides win and a bad one names its key.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cachedProbes } from '../../../daemon/hardware/cached-probes';
import { detectHardware } from '../../../daemon/hardware/detect-hardware';
import { parseNvidiaSmi } from '../../../daemon/hardware/gaps/nvidia-smi';
import { parseConfigText } from '../../../daemon/config/load-config';
import type { HardwareSection } from '../../../daemon/hardware/hardware-schema';
import { fixtureProbes, loadFixture, type MachineFixture } from './fixture-probes';

const GIB = 1024 ** 3;
const detect = (fixture: MachineFixture, overrides: HardwareSection = {}) => detectHardware(fixtureProbes(fixture), overrides, AbortSignal.timeout(5_000));

test('NVIDIA: nvidia-smi gives total and free VRAM in place of systeminformation’s figure', async () => {
  const fixture = loadFixture('rtx4090-desktop');
  fixture.graphics.controllers[0]!.vram = 4096; // what a driver-less lspci or WMI might say
  const hardware = await detect(fixture);
  const gpu = hardware.gpus[0]!;
  assert.equal(gpu.vramTotalBytes.value, 24564 * 2 ** 20);
  assert.equal(gpu.vramFreeBytes.value, 23780 * 2 ** 20);
  assert.equal(gpu.vramTotalBytes.source, 'nvidia-smi memory.total');
  assert.deepEqual(parseNvidiaSmi('NVIDIA A100-SXM4-80GB, 81920, 81000\r\nNVIDIA A100-SXM4-80GB, 81920, 100\n'), [
    { name: 'NVIDIA A100-SXM4-80GB', totalMiB: 81920, freeMiB: 81000 },
    { name: 'NVIDIA A100-SXM4-80GB', totalMiB: 81920, freeMiB: 100 },
  ]);
});

test('NVIDIA without nvidia-smi: systeminformation’s figure stays, with a note saying so', async () => {
  const fixture = loadFixture('laptop-8gb-vram');
  delete fixture.commands;
  const hardware = await detect(fixture);
  const gpu = hardware.gpus.find((g) => g.vendor === 'nvidia')!;
  assert.equal(gpu.vramTotalBytes.value, 8188 * 2 ** 20);
  assert.match(gpu.vramTotalBytes.source, /systeminformation/);
  assert.ok(hardware.notes.some((note) => /nvidia-smi is not installed/.test(note)));
});

test('Apple Silicon: VRAM is null in systeminformation; the GPU budget is a configurable fraction of unified memory', async () => {
  const fixture = loadFixture('apple-m2-16gb');
  const byDefault = (await detect(fixture)).gpus[0]!;
  assert.equal(byDefault.unified, true);
  assert.equal(byDefault.vramTotalBytes.value, 12 * GIB);
  assert.match(byDefault.vramTotalBytes.source, /unified memory × GPU fraction 0\.75/);
  const configured = (await detect(fixture, { apple_gpu_fraction: 0.5 })).gpus[0]!;
  assert.equal(configured.vramTotalBytes.value, 8 * GIB);
  assert.match(configured.vramTotalBytes.source, /config hardware\.apple_gpu_fraction/);
});

test('AMD on Linux: sysfs mem_info_vram_total replaces lspci’s PCI window', async () => {
  const hardware = await detect(loadFixture('amd-no-vram'));
  const gpu = hardware.gpus[0]!;
  assert.equal(gpu.vendor, 'amd');
  assert.equal(gpu.vramTotalBytes.value, 25753026560);
  assert.equal(gpu.vramFreeBytes.value, 25753026560 - GIB);
  assert.match(gpu.vramTotalBytes.source, /mem_info_vram_total/);
  assert.ok(hardware.notes.some((note) => /256 MiB \(the PCI window\)/.test(note)));
});

test('AMD sysfs unreadable (permission denied): a note naming the file and the override, not a crash', async () => {
  const fixture = loadFixture('amd-no-vram');
  fixture.failures = { '/sys/class/drm/card0/device/mem_info_vram_total': 'EACCES: permission denied' };
  const hardware = await detect(fixture);
  assert.ok(hardware.notes.some((note) => /mem_info_vram_total \(EACCES\); set hardware\.gpu_vram_gb/.test(note)));
});

test('Windows: WMI’s 4 GB VRAM cap is flagged, nvidia-smi corrects NVIDIA cards, and AVX2 is inferred from the CPU model', async () => {
  const windows: MachineFixture = {
    platform: 'win32',
    arch: 'x64',
    cpu: { manufacturer: 'AMD', brand: 'Ryzen 7 5800X 8-Core Processor', physicalCores: 8, cores: 16, flags: '' },
    cpuFlags: 'de pse tsc msr sep mtrr mca cmov psn clfsh ds mmx fxsr sse sse2 ss htt tm ia64 pbe',
    mem: { total: 32 * GIB, available: 24 * GIB },
    memLayout: [{ size: 16 * GIB, type: 'DDR4', clockSpeed: 3600 }, { size: 16 * GIB, type: 'DDR4', clockSpeed: 3600 }],
    graphics: {
      controllers: [
        { vendor: 'Advanced Micro Devices, Inc.', model: 'AMD Radeon RX 6800', vram: 4095 },
        { vendor: 'NVIDIA', model: 'NVIDIA GeForce RTX 3060', vram: 4095 },
      ],
      displays: [],
    },
    commands: { 'nvidia-smi': 'NVIDIA GeForce RTX 3060, 12288, 11500\n' },
  };
  const hardware = await detect(windows);
  const amd = hardware.gpus.find((gpu) => gpu.vendor === 'amd')!;
  const nvidia = hardware.gpus.find((gpu) => gpu.vendor === 'nvidia')!;
  assert.equal(nvidia.vramTotalBytes.value, 12288 * 2 ** 20);
  assert.match(amd.vramTotalBytes.source, /capped at 4 GB/);
  assert.ok(hardware.notes.some((note) => /WMI, which stops at 4 GB; set hardware\.gpu_vram_gb/.test(note)));
  assert.equal(hardware.cpu.avx2.value, true);
  assert.match(hardware.cpu.avx2.source, /inferred from the CPU model/);
  const overridden = await detect(windows, { gpu_vram_gb: 16, gpu_name: 'AMD Radeon RX 6800' });
  assert.equal(overridden.gpus.find((gpu) => gpu.vendor === 'amd')!.vramTotalBytes.value, 16 * GIB);
});

test('container without lspci: the GPU comes from nvidia-smi and memory from the cgroup limit', async () => {
  const hardware = await detect(loadFixture('container-no-lspci'));
  assert.equal(hardware.gpus[0]!.name, 'NVIDIA L4');
  assert.equal(hardware.gpus[0]!.vramTotalBytes.source, 'nvidia-smi memory.total');
  assert.equal(hardware.memory.totalBytes.value, 16 * GIB);
  assert.equal(hardware.memory.availableBytes.value, 15 * GIB);
  assert.match(hardware.memory.totalBytes.source, /cgroup v2 memory\.max/);
  assert.ok(hardware.notes.some((note) => /lspci/.test(note)));
});

test('a detection failure gives partial data with a note, never a crash', async () => {
  const fixture = loadFixture('rtx4090-desktop');
  fixture.failures = { graphics: 'EACCES: permission denied', memLayout: 'dmidecode: command not found' };
  const hardware = await detect(fixture);
  assert.ok(hardware.notes.some((note) => /Could not read graphics.*EACCES: permission denied/.test(note)));
  assert.ok(hardware.notes.some((note) => /memory layout/.test(note)));
  // nvidia-smi still finds the GPU; the memory bandwidth falls back to the stated default.
  assert.equal(hardware.gpus[0]!.name, 'NVIDIA GeForce RTX 4090');
  assert.match(hardware.memory.bandwidthGBps.source, /^default: /);
  assert.equal(hardware.memory.totalBytes.value, 67108864000);

  const nothing = loadFixture('cpu-only-16gb');
  nothing.failures = { cpu: 'EPERM: operation not permitted', cpuFlags: 'EPERM', mem: 'EPERM', memLayout: 'EPERM', graphics: 'EPERM' };
  const empty = await detect(nothing);
  assert.equal(empty.memory.totalBytes.value, null);
  assert.equal(empty.cpu.brand.value, null);
  assert.ok(empty.notes.length >= 5);
});

test('overrides from the config win, with their source; an invalid one names the key', async () => {
  const hardware = await detect(loadFixture('cpu-only-16gb'), { ram_available_gb: 6, memory_bandwidth_gbps: 90, gpu_name: 'NVIDIA GeForce RTX 3090', gpu_vram_gb: 24 });
  assert.equal(hardware.memory.availableBytes.value, 6 * GIB);
  assert.equal(hardware.memory.availableBytes.source, 'config hardware.ram_available_gb');
  assert.equal(hardware.memory.bandwidthGBps.value, 90);
  const gpu = hardware.gpus.find((g) => g.vendor === 'nvidia')!;
  assert.equal(gpu.vramTotalBytes.value, 24 * GIB);
  assert.equal(gpu.bandwidthGBps.value, 936, 'the known-GPU table applies to the configured name');

  assert.equal(parseConfigText('[hardware]\ngpu_vram_gb = 12\n').hardware.gpu_vram_gb, 12);
  assert.throws(() => parseConfigText('[hardware]\ngpu_vram_gb = -1\n'), /hardware\.gpu_vram_gb: got -1/);
  assert.throws(() => parseConfigText('[hardware]\nvram = 8\n'), /hardware\.vram: unknown key/);
  assert.throws(() => parseConfigText('[hardware]\napple_gpu_fraction = 1.5\n'), /hardware\.apple_gpu_fraction/);
});

test('graphics() is probed once however often detection runs; free memory is read each time', async () => {
  const calls: string[] = [];
  const probes = cachedProbes(fixtureProbes(loadFixture('rtx4090-desktop'), calls));
  for (let i = 0; i < 3; i++) await detectHardware(probes, {}, AbortSignal.timeout(5_000));
  assert.equal(calls.filter((call) => call === 'graphics').length, 1);
  assert.equal(calls.filter((call) => call === 'run:nvidia-smi').length, 1);
  assert.equal(calls.filter((call) => call === 'mem').length, 3);
});
