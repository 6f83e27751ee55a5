import type { AddressInfo } from 'node:net';
import { CapacityQueue } from './capacity-queue';
import type { SimRequestRecord, SimStats, Simulator, SimulatorOptions } from './contract';
import { Recorder } from './recorder';
import { createSimServer } from './server';
import { buildSettings } from './settings';
import { configure, readStats, resetState } from './control';
import type { SimState } from './sim-state';

export * from './contract';
export { parseLatencySpec } from './latency';

/**
 * Starts the simulated provider on 127.0.0.1. It speaks OpenAI, Ollama, Anthropic and
 * llama.cpp server on one port; see `bench/sim/README.md` for routes and behaviour.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const settings = buildSettings(options);
  const state: SimState = { settings, recorder: new Recorder(), queue: new CapacityQueue(settings.capacity) };
  const server = createSimServer(state);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get requests(): readonly SimRequestRecord[] {
      return state.recorder.requests;
    },
    get recording(): boolean {
      return state.recorder.recording;
    },
    set recording(on: boolean) {
      state.recorder.recording = on;
    },
    configure: (patch: Partial<SimulatorOptions>) => configure(state, patch),
    reset: () => resetState(state),
    stats: (): SimStats => readStats(state),
    waitForAbort(predicate?: (record: SimRequestRecord) => boolean, timeoutMs?: number): Promise<SimRequestRecord> {
      return state.recorder.waitForAbort(predicate, timeoutMs);
    },
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Streams and stalled requests would hold the server open for their clients' sake.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
