import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimStats, SimulatorOptions } from './contract';
import { readBody, sendWire } from './http-io';
import { isObject } from './protocols/input';
import { WireReply } from './protocols/types';
import { patchSettings } from './settings';
import type { SimState } from './sim-state';

/**
 * `/_sim/*`: control of a simulator that runs as a process of its own (`switchyard sim`), so
 * a benchmark can change its behaviour mid-run (a stall, an error burst) and read its counters.
 *   GET  /_sim/stats      -> SimStats
 *   POST /_sim/configure  <- Partial<SimulatorOptions> (as JSON; `port` is ignored)
 *   POST /_sim/reset      -> forgets records and counters
 * Not part of any provider's protocol; never faulted, never recorded.
 */

export const CONTROL_PREFIX = '/_sim/';

export function readStats(state: SimState): SimStats {
  const { recorder, queue } = state;
  return {
    received: recorder.received,
    completed: recorder.completed,
    aborted: recorder.aborted,
    faults: recorder.faults,
    refused: recorder.refused,
    inFlight: recorder.open,
    queued: queue.queued,
    generating: queue.active,
    peakGenerating: queue.peakActive,
    promptTokens: recorder.promptTokens,
    completionTokens: recorder.completionTokens,
    promptChars: recorder.promptChars,
    sharedPrefixChars: recorder.sharedPrefixChars,
  };
}

/** Applies a patch; `null` (all JSON can say) unsets an option, like `undefined`. */
export function configure(state: SimState, patch: Partial<SimulatorOptions>): void {
  const { port: _ignored, ...rest } = patch;
  const cleaned = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, value ?? undefined])) as Partial<SimulatorOptions>;
  state.settings = patchSettings(state.settings, cleaned);
  state.queue.setCapacity(state.settings.capacity);
}

export function resetState(state: SimState): void {
  state.recorder.reset();
  state.queue.resetPeak();
}

const json = (status: number, value: unknown) => new WireReply(status, JSON.stringify(value));

export function serveControl(state: SimState, req: IncomingMessage, res: ServerResponse, path: string): void {
  const action = `${req.method} ${path.slice(CONTROL_PREFIX.length)}`;
  if (action === 'GET stats') {
    req.resume();
    return sendWire(res, json(200, readStats(state)));
  }
  if (action !== 'POST configure' && action !== 'POST reset') {
    req.resume();
    return sendWire(res, json(404, { error: `unknown control route ${req.method} ${path}` }));
  }
  readBody(req, (raw) => {
    if (action === 'POST reset') {
      resetState(state);
      return sendWire(res, json(200, { ok: true }));
    }
    let patch: unknown;
    try {
      patch = JSON.parse(raw ?? '');
    } catch {
      return sendWire(res, json(400, { error: 'the body must be a JSON object of simulator options' }));
    }
    if (!isObject(patch)) return sendWire(res, json(400, { error: 'the body must be a JSON object of simulator options' }));
    try {
      configure(state, patch as Partial<SimulatorOptions>);
    } catch (error) {
      return sendWire(res, json(400, { error: (error as Error).message }));
    }
    sendWire(res, json(200, { ok: true }));
  });
}
