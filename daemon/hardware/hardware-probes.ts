/**
 * Everything detection asks of the machine, behind one interface so that tests drive it with
 * fixtures (systeminformation JSON, nvidia-smi output, sysfs files) and the daemon uses the
 * real thing. Each call may throw: detection turns a failure into a note, never a crash.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import type { Systeminformation } from 'systeminformation';

export interface HardwareProbes {
  platform: NodeJS.Platform;
  arch: string;
  cpu(): Promise<Systeminformation.CpuData>;
  cpuFlags(): Promise<string>;
  mem(): Promise<Systeminformation.MemData>;
  memLayout(): Promise<Systeminformation.MemLayoutData[]>;
  /** Spawns lspci, system_profiler or WMI queries: slow, so detection caches it. */
  graphics(): Promise<Systeminformation.GraphicsData>;
  /** Runs a program (no shell) and gives its stdout; throws with `code: 'ENOENT'` when it is missing. */
  runCommand(file: string, args: string[], signal: AbortSignal): Promise<string>;
  readFile(path: string): Promise<string>;
  listDir(path: string): Promise<string[]>;
}

/** The real machine: systeminformation, child processes and the file system. */
export function systemProbes(): HardwareProbes {
  // Loaded on first use: systeminformation is large and only detection needs it.
  const si = () => import('systeminformation');
  return {
    platform: process.platform,
    arch: process.arch,
    cpu: async () => (await si()).cpu(),
    cpuFlags: async () => (await si()).cpuFlags(),
    mem: async () => (await si()).mem(),
    memLayout: async () => (await si()).memLayout(),
    graphics: async () => (await si()).graphics(),
    runCommand: (file, args, signal) =>
      new Promise((resolve, reject) => {
        execFile(file, args, { signal, timeout: 5_000, maxBuffer: 1024 * 1024, windowsHide: true }, (error, stdout) => {
          if (error) reject(error);
          else resolve(stdout);
        });
      }),
    readFile: (path) => readFile(path, 'utf8'),
    listDir: (path) => readdir(path),
  };
}
