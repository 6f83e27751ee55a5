/**
 * "Benchmark on this machine" against the simulated provider: the daemon runs `switchyard
 * bench` as a child process, records the measured time to first token and tokens/s, and the
 * recommendations show them in place of the estimate, marked measured.
 */
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startSimulator } from '../../../bench/sim/index';
import { MEASURED_FILE_NAME } from '../../../daemon/hardware/measured-store';
import type { MeasuredFigures, Recommendations } from '../../../shared/hardware/recommendations';
import { renderRecommendations } from '../../../shared/hardware/render-recommendations';
import { simProviderToml, startTestDaemon } from '../../helpers/test-daemon';

const MODEL = 'qwen2.5-coder:1.5b';

test('benchmarking a model replaces its estimate with measured figures', { timeout: 120_000 }, async (t) => {
  // 25 tok/s decode and a 60 ms first token: far from this machine's estimate, so a measured
  // figure cannot be mistaken for the estimate.
  const sim = await startSimulator({ models: [MODEL], ttftMs: 60, tokensPerSecond: 25, outputTokens: 12, seed: 3 });
  t.after(() => sim.close());
  const daemon = await startTestDaemon(simProviderToml('local-ollama', 'ollama', sim.url), { logLevel: 'warn' });
  t.after(() => daemon.close());
  const get = async (path: string) => {
    const response = await fetch(`${daemon.url}${path}`, { headers: daemon.auth });
    assert.equal(response.status, 200, path);
    return response.json();
  };

  const detected = (await get('/v1/switchyard/hardware')) as Recommendations['hardware'];
  assert.match(detected.machineId, /^[0-9a-f]{16}$/);
  assert.ok(detected.memory.availableBytes.value! > 0);
  assert.match(detected.memory.availableBytes.source, /systeminformation|cgroup/);

  const before = (await get('/v1/switchyard/recommendations')) as Recommendations;
  const estimated = before.models.find((m) => m.ollamaTag === MODEL)!;
  assert.equal(estimated.installedAs, MODEL, 'the simulator answers /api/tags like Ollama: the model is installed');
  assert.equal(estimated.speed?.measured ?? false, false);

  const response = await fetch(`${daemon.url}/v1/switchyard/hardware/benchmark`, {
    method: 'POST',
    headers: { ...daemon.auth, 'content-type': 'application/json' },
    body: JSON.stringify({ model: MODEL }),
  });
  const body = (await response.json()) as { measured: MeasuredFigures; recommendations: Recommendations };
  assert.equal(response.status, 200, `${JSON.stringify(body)}\n${daemon.logs()}`);
  const { measured } = body;
  assert.equal(measured.model, MODEL);
  assert.ok(measured.tokensPerSecond > 15 && measured.tokensPerSecond < 30, `decode ${measured.tokensPerSecond} tok/s (simulated 25)`);
  assert.ok(measured.ttftMs >= 55 && measured.ttftMs < 400, `TTFT ${measured.ttftMs} ms (simulated 60)`);
  assert.equal(measured.scenario, 'blast');

  const after = (await get('/v1/switchyard/recommendations')) as Recommendations;
  const shown = after.models.find((m) => m.ollamaTag === MODEL)!;
  assert.equal(shown.speed?.measured, true);
  assert.equal(shown.speed?.low, measured.tokensPerSecond);
  assert.equal(shown.speed?.high, measured.tokensPerSecond);
  assert.equal(shown.speed?.ttftMs, measured.ttftMs);
  assert.match(shown.speed!.basis, /measured on this machine/);
  assert.match(shown.why, /tok\/s measured/);
  // Other models keep their estimates.
  assert.equal(after.models.find((m) => m.ollamaTag === 'llama3.1:8b')!.speed?.measured, false);
  // The webview shows it in place, marked measured.
  assert.match(renderRecommendations(after), new RegExp(`class="speed measured"[^>]*>${measured.tokensPerSecond} tok/s \\(measured, TTFT`));

  // Stored per machine and model, readable by the user alone.
  const file = join(daemon.stateDir, MEASURED_FILE_NAME);
  assert.equal(statSync(file).mode & 0o777, 0o600);
});

test('benchmarking or pulling an unknown model gets a clear message', async (t) => {
  const sim = await startSimulator({ models: [MODEL] });
  t.after(() => sim.close());
  const daemon = await startTestDaemon(simProviderToml('local-ollama', 'ollama', sim.url), { logLevel: 'warn' });
  t.after(() => daemon.close());
  const post = (path: string, body: unknown) =>
    fetch(`${daemon.url}${path}`, { method: 'POST', headers: { ...daemon.auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  const bench = await post('/v1/switchyard/hardware/benchmark', { model: 'no-such-model:7b' });
  assert.equal(bench.status, 404);
  assert.match(((await bench.json()) as { error: { message: string } }).error.message, /No provider serves "no-such-model:7b"/);

  const pull = await post('/v1/switchyard/hardware/pull', { model: 'no-such-model:7b' });
  assert.equal(pull.status, 404);
  assert.match(((await pull.json()) as { error: { message: string } }).error.message, /Unknown model "no-such-model:7b"\. The catalog has: .*qwen2\.5-coder:7b/);

  const missing = await post('/v1/switchyard/hardware/benchmark', {});
  assert.equal(missing.status, 400);
});

test('a benchmark whose every request fails says so, and records nothing', { timeout: 60_000 }, async (t) => {
  const sim = await startSimulator({ models: [MODEL], errorRate: 1, errorKinds: ['http500'] });
  t.after(() => sim.close());
  const daemon = await startTestDaemon(simProviderToml('local-ollama', 'ollama', sim.url), { logLevel: 'warn' });
  t.after(() => daemon.close());
  const response = await fetch(`${daemon.url}/v1/switchyard/hardware/benchmark`, {
    method: 'POST',
    headers: { ...daemon.auth, 'content-type': 'application/json' },
    body: JSON.stringify({ model: MODEL }),
  });
  assert.equal(response.status, 502);
  assert.match(((await response.json()) as { error: { message: string } }).error.message, /The benchmark of "qwen2\.5-coder:1\.5b" has no streamed figures: 0 of \d+ requests succeeded \(errors: /);
  const after = (await (await fetch(`${daemon.url}/v1/switchyard/recommendations`, { headers: daemon.auth })).json()) as Recommendations;
  assert.equal(after.models.find((m) => m.ollamaTag === MODEL)!.speed?.measured, false);
});
