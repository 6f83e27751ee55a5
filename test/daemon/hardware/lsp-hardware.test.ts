/**
 * The hardware requests over a real LSP connection (vscode-languageserver on one end, a
 * protocol client on the other), as the daemon's LSP door registers them.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { createConnection } from 'vscode-languageserver/node';
import { createProtocolConnection, ResponseError, StreamMessageReader, StreamMessageWriter, WorkDoneProgress } from 'vscode-languageserver-protocol/node';
import { startSimulator } from '../../../bench/sim/index';
import { isGatewayError } from '../../../daemon/core/errors';
import { HardwareService } from '../../../daemon/hardware/hardware-service';
import { registerHardwareHandlers } from '../../../daemon/hardware/lsp-hardware-handlers';
import { BenchmarkModelRequest, GetHardwareRequest, GetRecommendationsRequest, PullModelRequest } from '../../../shared/lsp/hardware-protocol';
import type { WorkDoneProgressBegin, WorkDoneProgressEnd, WorkDoneProgressReport } from 'vscode-languageserver-protocol';

test('hardware, recommendations, benchmark (with progress) and an unknown pull over LSP', { timeout: 90_000 }, async (t) => {
  const sim = await startSimulator({ models: ['qwen2.5-coder:0.5b'], ttftMs: 20, tokensPerSecond: 80, outputTokens: 10 });
  t.after(() => sim.close());
  const stateDir = mkdtempSync(join(tmpdir(), 'switchyard-lsp-hw-'));
  t.after(() => rmSync(stateDir, { recursive: true, force: true }));
  const hardware = new HardwareService({ stateDir, ollamaUrl: sim.url, findBenchTarget: (model) => (model === 'qwen2.5-coder:0.5b' ? { baseUrl: sim.url, api: 'ollama' } : undefined) });
  t.after(() => hardware.close());

  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const server = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  // The door's own mapper: a GatewayError keeps its message.
  registerHardwareHandlers(server, hardware, (error) => new ResponseError(-32803, isGatewayError(error) ? error.message : String(error)));
  server.listen();
  const client = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  client.listen();
  t.after(() => {
    client.dispose();
    server.dispose();
  });

  const detected = await client.sendRequest(GetHardwareRequest.type);
  assert.ok(detected.machineId.length > 0);
  assert.ok(detected.cpu.physicalCores.value! >= 1);

  const recommendations = await client.sendRequest(GetRecommendationsRequest.type);
  assert.equal(recommendations.models.length, 14);
  assert.equal(recommendations.models.find((m) => m.ollamaTag === 'qwen2.5-coder:0.5b')!.installedAs, 'qwen2.5-coder:0.5b');

  await assert.rejects(client.sendRequest(PullModelRequest.type, { model: 'gpt-17' }), /Unknown model "gpt-17"/);

  const progress: (WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd)[] = [];
  client.onProgress(WorkDoneProgress.type, 'bench-1', (value) => {
    progress.push(value);
  });
  const result = await client.sendRequest(BenchmarkModelRequest.type, { model: 'qwen2.5-coder:0.5b', workDoneToken: 'bench-1' });
  assert.ok(result.measured.tokensPerSecond > 40, `${result.measured.tokensPerSecond} tok/s (simulated 80)`);
  assert.equal(result.recommendations.models.find((m) => m.ollamaTag === 'qwen2.5-coder:0.5b')!.speed?.measured, true);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(progress.map((p) => p.kind), ['begin', 'report', 'report', 'end']);
});
