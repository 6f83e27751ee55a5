/** A daemon of its own, for a micro-benchmark: its own state directory and config, stopped and cleaned up together. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DaemonReadyLine, DaemonStateFile } from '../../shared/admin';
import { resolveCliEntry } from './cli-entry';
import { spawnReady } from './spawn-ready';

export interface DaemonProcess {
  url: string;
  token: string;
  stop(): Promise<void>;
}

export async function startDaemonProcess(name: string, toml: string): Promise<DaemonProcess> {
  const stateDir = mkdtempSync(join(tmpdir(), `switchyard-bench-${name}-`));
  const configFile = join(stateDir, 'bench.toml');
  writeFileSync(configFile, toml);
  const daemon = await spawnReady<DaemonReadyLine & { ready: true }>(`the daemon (${name})`, resolveCliEntry(), ['daemon', '--port', '0', '--state-dir', stateDir, '--config', configFile]);
  const token = (JSON.parse(readFileSync(daemon.ready.stateFile, 'utf8')) as DaemonStateFile).token;
  return {
    url: daemon.ready.url,
    token,
    stop: async () => {
      await daemon.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
