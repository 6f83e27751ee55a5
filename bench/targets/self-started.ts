/**
 * The standard stack of a run without `--target`: the simulated provider and a daemon
 * pointed at it, each in its own process, as the main job runs them.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DaemonReadyLine, DaemonStateFile } from '../../shared/admin';
import type { SimSettings } from '../options/options';
import { resolveCliEntry } from './cli-entry';
import { spawnReady, type ReadyProcess } from './spawn-ready';

export interface SelfStartedStack {
  simUrl: string;
  daemonUrl: string;
  token: string;
  close(): Promise<void>;
}

export async function startSimulatorProcess(sim: SimSettings, models: string[], seed: number): Promise<ReadyProcess<{ ready: true; url: string }>> {
  const args = ['sim', '--port', '0', '--latency-ms', String(sim.latencyMs), '--seed', String(seed)];
  if (sim.ttftMs !== undefined) args.push('--ttft-ms', String(sim.ttftMs));
  if (sim.tokensPerSecond !== undefined) args.push('--tokens-per-s', String(sim.tokensPerSecond));
  if (sim.outputTokens !== undefined) args.push('--output-tokens', String(sim.outputTokens));
  if (sim.capacity !== undefined) args.push('--capacity', String(sim.capacity));
  if (sim.closeAfterResponseMs !== undefined) args.push('--close-after-response-ms', String(sim.closeAfterResponseMs));
  if (models.length) args.push('--models', models.join(','));
  return spawnReady('the simulated provider (switchyard sim)', resolveCliEntry(), args);
}

export function daemonConfig(simUrl: string, models: string[]): string {
  const base = `${new URL(simUrl).origin}/v1`;
  return [
    '[discovery]',
    'local = false',
    'cloud_from_env = false',
    '[cache]',
    'enabled = false',
    '[[providers]]',
    'name = "sim"',
    'kind = "openai"',
    `base_url = "${base}"`,
    'local = true',
    `models = [${models.map((m) => JSON.stringify(m)).join(', ')}]`,
    '',
  ].join('\n');
}

export async function startSelfStartedStack(sim: SimSettings, models: string[], seed: number): Promise<SelfStartedStack> {
  const simProcess = await startSimulatorProcess(sim, models, seed);
  const stateDir = mkdtempSync(join(tmpdir(), 'switchyard-bench-'));
  const configFile = join(stateDir, 'bench.toml');
  writeFileSync(configFile, daemonConfig(simProcess.ready.url, models));
  let daemon: ReadyProcess<DaemonReadyLine & { ready: true }>;
  try {
    daemon = await spawnReady('the daemon (switchyard daemon)', resolveCliEntry(), ['daemon', '--port', '0', '--state-dir', stateDir, '--config', configFile]);
  } catch (err) {
    await simProcess.stop();
    rmSync(stateDir, { recursive: true, force: true });
    throw err;
  }
  const state = JSON.parse(readFileSync(daemon.ready.stateFile, 'utf8')) as DaemonStateFile;
  let closed = false;
  return {
    simUrl: simProcess.ready.url,
    daemonUrl: daemon.ready.url,
    token: state.token,
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([daemon.stop(), simProcess.stop()]);
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
