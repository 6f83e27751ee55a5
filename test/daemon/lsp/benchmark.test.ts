import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { CancellationTokenSource, WorkDoneProgress, type WorkDoneProgressBegin, type WorkDoneProgressReport } from 'vscode-languageserver-protocol/node';
import { startSimulator, type Simulator } from '../../../bench/sim/index';
import { readStateFile } from '../../../daemon/lifecycle/state-file';
import { RunBenchmarkRequest } from '../../../shared/lsp/protocol';
import { parseReport } from '../../../shared/report/validate';
import { CLI } from '../../helpers/spawn-cli';
import { simProviderToml, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon';
import { connectLsp } from './lsp-client';

describe('LSP door: Run Gateway Benchmark', { skip: existsSync(CLI) ? false : 'needs the built command line: npm run build' }, () => {
  let sim: Simulator;
  let daemon: TestDaemon;

  before(async () => {
    sim = await startSimulator({ latencyMs: 2 });
    sim.recording = false;
    daemon = await startTestDaemon(simProviderToml('sim', 'openai', sim.url), { logLevel: 'info' });
  });
  after(async () => {
    await daemon.close();
    await sim.close();
  });

  it('runs the quick preset in its own process against this daemon, with $/progress, and answers with the validated report', async () => {
    const client = await connectLsp(readStateFile(daemon.stateDir)!);
    const progress: (WorkDoneProgressBegin | WorkDoneProgressReport | { kind: 'end' })[] = [];
    client.connection.onProgress(WorkDoneProgress.type, 'bench-1', (value) => {
      progress.push(value);
    });
    const servedBefore = daemon.app.switchyard.counters.served;

    const result = await client.connection.sendRequest(RunBenchmarkRequest.type, { preset: 'quick', target: '', workDoneToken: 'bench-1' });

    const parsed = parseReport(JSON.stringify(result.report));
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
    assert.ok(existsSync(result.jsonPath));
    assert.ok(result.htmlPath !== undefined && existsSync(result.htmlPath));
    // The load went through this daemon (54 = 50 measured + 4 warm-up), to the default route's model.
    assert.ok(daemon.app.switchyard.counters.served - servedBefore >= 54);
    assert.ok(sim.stats().completed >= 54);
    assert.equal(progress[0]?.kind, 'begin');
    assert.ok(progress.some((p) => p.kind === 'report' && typeof p.percentage === 'number' && p.percentage > 0), JSON.stringify(progress));
    assert.equal(progress.at(-1)?.kind, 'end');
    client.dispose();
  });

  it('stops the benchmark process when the editor cancels, silently', async () => {
    const client = await connectLsp(readStateFile(daemon.stateDir)!);
    const source = new CancellationTokenSource();
    const started = new Promise<void>((resolve) => client.connection.onProgress(WorkDoneProgress.type, 'bench-2', (value) => {
        if (value.kind === 'report') resolve();
      }));
    const run = client.connection.sendRequest(RunBenchmarkRequest.type, { preset: '000', target: '', workDoneToken: 'bench-2' }, source.token);
    await started;
    source.cancel();
    await assert.rejects(run, (error: { code?: number }) => error.code === -32800);
    // A second run may start at once: the first one is over.
    const quick = await client.connection.sendRequest(RunBenchmarkRequest.type, { preset: 'quick', target: 'sim/sim-chat' });
    assert.ok(parseReport(JSON.stringify(quick.report)).ok);
    client.dispose();
  });

  it('says which presets exist when asked for another', async () => {
    const client = await connectLsp(readStateFile(daemon.stateDir)!);
    await assert.rejects(client.connection.sendRequest(RunBenchmarkRequest.type, { preset: 'nope', target: '' }), /No benchmark preset "nope"; the presets are quick, 000/);
    client.dispose();
  });
});
