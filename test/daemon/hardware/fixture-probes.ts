/**
 * Hardware probes driven by a fixture: systeminformation's JSON as it returns it, the
 * output of nvidia-smi, and sysfs files. A missing command fails with ENOENT, a missing file
 * with ENOENT, and `failures` makes a probe fail the way a permission problem would.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Systeminformation } from 'systeminformation';
import type { HardwareProbes } from '../../../daemon/hardware/hardware-probes';

export interface MachineFixture {
  platform: NodeJS.Platform;
  arch: string;
  cpu: Partial<Systeminformation.CpuData>;
  cpuFlags: string;
  mem: Partial<Systeminformation.MemData>;
  memLayout: Partial<Systeminformation.MemLayoutData>[];
  graphics: { controllers: Partial<Systeminformation.GraphicsControllerData>[]; displays: [] };
  /** stdout by program name; a program not listed is not installed. */
  commands?: Record<string, string>;
  files?: Record<string, string>;
  dirs?: Record<string, string[]>;
  /** Probe name → error message, e.g. `{ "graphics": "EACCES: permission denied" }`. */
  failures?: Record<string, string>;
}

export function loadFixture(name: string): MachineFixture {
  return JSON.parse(readFileSync(join(__dirname, 'fixtures', `${name}.json`), 'utf8')) as MachineFixture;
}

export function fixtureProbes(fixture: MachineFixture, calls: string[] = []): HardwareProbes {
  const enoent = (what: string) => Object.assign(new Error(`ENOENT: no such file or directory, ${what}`), { code: 'ENOENT' });
  const answer = async <T>(name: string, value: T): Promise<T> => {
    calls.push(name);
    const failure = fixture.failures?.[name];
    if (failure !== undefined) throw Object.assign(new Error(failure), { code: failure.split(':')[0] });
    return structuredClone(value);
  };
  return {
    platform: fixture.platform,
    arch: fixture.arch,
    cpu: () => answer('cpu', fixture.cpu as Systeminformation.CpuData),
    cpuFlags: () => answer('cpuFlags', fixture.cpuFlags),
    mem: () => answer('mem', fixture.mem as Systeminformation.MemData),
    memLayout: () => answer('memLayout', fixture.memLayout as Systeminformation.MemLayoutData[]),
    graphics: () => answer('graphics', fixture.graphics as Systeminformation.GraphicsData),
    runCommand: async (file) => {
      calls.push(`run:${file}`);
      const output = fixture.commands?.[file];
      if (output === undefined) throw Object.assign(new Error(`spawn ${file} ENOENT`), { code: 'ENOENT' });
      return output;
    },
    readFile: async (path) => {
      const failure = fixture.failures?.[path];
      if (failure !== undefined) throw Object.assign(new Error(failure), { code: failure.split(':')[0] });
      const text = fixture.files?.[path];
      if (text === undefined) throw enoent(path);
      return text;
    },
    listDir: async (path) => {
      const entries = fixture.dirs?.[path];
      if (entries === undefined) throw enoent(path);
      return entries;
    },
  };
}
