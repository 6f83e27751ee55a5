/**
 * Detection runs on every recommendations request, but some probes spawn processes
 * (systeminformation's graphics() runs lspci, system_profiler or WMI; nvidia-smi is a
 * process too). This wrapper keeps what does not change (CPU, memory layout, graphics) for
 * the daemon's life and command output for a short while; free memory is read every time.
 */
import type { HardwareProbes } from './hardware-probes';

export const COMMAND_CACHE_MS = 30_000;

export function cachedProbes(probes: HardwareProbes, now: () => number = Date.now): HardwareProbes {
  const once = <T>(read: () => Promise<T>): (() => Promise<T>) => {
    let value: Promise<T> | undefined;
    return () => {
      value ??= read().catch((error: unknown) => {
        value = undefined; // A failure is tried again next time, not remembered.
        throw error;
      });
      return value;
    };
  };
  const commands = new Map<string, { at: number; output: Promise<string> }>();
  return {
    ...probes,
    cpu: once(() => probes.cpu()),
    cpuFlags: once(() => probes.cpuFlags()),
    memLayout: once(() => probes.memLayout()),
    graphics: once(() => probes.graphics()),
    runCommand: (file, args, signal) => {
      const key = [file, ...args].join('\0');
      const cached = commands.get(key);
      if (cached && now() - cached.at < COMMAND_CACHE_MS) return cached.output;
      const output = probes.runCommand(file, args, signal);
      commands.set(key, { at: now(), output });
      output.catch(() => commands.delete(key));
      return output;
    },
  };
}
