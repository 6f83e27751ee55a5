/**
 * Scrapes and probes (`/health`, `/metrics`, `/v1/switchyard/status`, which the benchmark reads
 * every second) write their request lines at debug: at info the log holds the requests people
 * make, not the probes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulator } from '../../../bench/sim/index';
import type { Simulator } from '../../../bench/sim/contract';
import { simProviderToml, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon';

type Line = Record<string, unknown>;

describe('the request lines of probes', () => {
  let sim: Simulator;
  let daemon: TestDaemon;

  before(async () => {
    sim = await startSimulator({ latencyMs: 1, models: ['sim-chat'] });
    daemon = await startTestDaemon(simProviderToml('sim', 'openai', sim.url, 'models = ["sim-chat"]'), { logLevel: 'info' });
  });
  after(async () => {
    await daemon?.close();
    await sim?.close();
  });

  const requestLines = (): Line[] =>
    daemon
      .logs()
      .split('\n')
      .filter(Boolean)
      .map((text) => JSON.parse(text) as Line)
      .filter((line) => line.msg === 'request');

  it('are not written at info; a chat request after them is', async () => {
    for (const path of ['/health', '/metrics', '/v1/switchyard/status']) {
      const response = await fetch(`${daemon.url}${path}`, { headers: daemon.auth });
      assert.equal(response.status, 200, path);
      await response.text();
    }
    const chat = await fetch(`${daemon.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...daemon.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'sim-chat', messages: [{ role: 'user', content: 'hi' }] }),
    });
    assert.equal(chat.status, 200);
    await chat.text();
    let lines: Line[] = [];
    for (let i = 0; i < 100 && !lines.some((line) => line.url === '/v1/chat/completions'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      lines = requestLines();
    }
    assert.deepEqual(lines.map((line) => line.url), ['/v1/chat/completions']);
  });
});
