import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CancellationTokenSource,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  InlineCompletionRequest,
  InlineCompletionTriggerKind,
  type InlineCompletionList,
} from 'vscode-languageserver-protocol/node';
import { startSimulator, type Simulator } from '../../../bench/sim/index';
import { readStateFile } from '../../../daemon/lifecycle/state-file';
import { GetStatusRequest, SetCompletionRouteRequest } from '../../../shared/lsp/protocol';
import { simProviderToml, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon';
import { connectLsp, type TestLspClient } from './lsp-client';

const URI = 'file:///work/src/total.py';
const TEXT = 'def total(items):\n    result = \n    return result\n';

function ask(client: TestLspClient, line: number, character: number, token?: CancellationTokenSource) {
  return client.connection.sendRequest(
    InlineCompletionRequest.type,
    { textDocument: { uri: URI }, position: { line, character }, context: { triggerKind: InlineCompletionTriggerKind.Invoked } },
    token?.token,
  ) as Promise<InlineCompletionList>;
}

describe('LSP door: inline completions', () => {
  let sim: Simulator;
  let daemon: TestDaemon;
  let client: TestLspClient;

  before(async () => {
    sim = await startSimulator({ seed: 5, outputTokens: 4, models: ['qwen2.5-coder:1.5b'] });
    daemon = await startTestDaemon(simProviderToml('local', 'ollama', sim.url));
    client = await connectLsp(readStateFile(daemon.stateDir)!);
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: URI, languageId: 'python', version: 1, text: TEXT } });
  });
  after(async () => {
    client.dispose();
    await daemon.close();
    await sim.close();
  });

  it('answers textDocument/inlineCompletion with ghost text from the model, from the synced document', async () => {
    const list = await ask(client, 1, 13);
    assert.equal(list.items.length, 1);
    const [item] = list.items;
    assert.match(String(item!.insertText), /\S/);
    assert.deepEqual(item!.range, { start: { line: 1, character: 13 }, end: { line: 1, character: 13 } });
    const generate = sim.requests.filter((r) => r.route === 'ollama.generate').at(-1)!;
    const body = generate.body as { prompt: string; suffix: string };
    assert.ok(body.prompt.endsWith('    result = '), body.prompt);
    assert.equal(body.suffix, '\n    return result\n');

    // An incremental edit reaches the daemon's copy of the document.
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: URI, version: 2 },
      contentChanges: [{ range: { start: { line: 1, character: 13 }, end: { line: 1, character: 13 } }, text: 'sum(' }],
    });
    await ask(client, 1, 17);
    const after = sim.requests.filter((r) => r.route === 'ollama.generate').at(-1)!.body as { prompt: string; suffix: string };
    assert.ok(after.prompt.endsWith('    result = sum('), after.prompt);

    const status = await client.nextStatus((s) => s.lastCompletion !== undefined, 5_000, 0);
    assert.equal(status.active?.provider, 'local');
    assert.equal(typeof status.lastCompletion?.latencyMs, 'number');
    assert.equal((await client.connection.sendRequest(GetStatusRequest.type)).state, 'ok');
  });

  it('turns the editor’s cancellation into an aborted upstream request, silently', async () => {
    sim.configure({ latencyMs: 10_000, ttftMs: 10_000 });
    try {
      const source = new CancellationTokenSource();
      const before = sim.requests.length;
      const pending = ask(client, 2, 4, source);
      const sent = Date.now();
      while (!sim.requests.slice(before).some((r) => r.route === 'ollama.generate') && Date.now() - sent < 5_000) await new Promise((resolve) => setTimeout(resolve, 10));
      const aborted = sim.waitForAbort((r) => r.route === 'ollama.generate', 5_000);
      source.cancel();
      await assert.rejects(pending, (error: { code?: number }) => error.code === -32800);
      const record = await aborted;
      assert.ok(record.abortedAt !== undefined && record.abortedAt - sent < 5_000);
      assert.ok(!daemon.logs().includes('"level":50'), 'a cancellation is not logged as an error');
    } finally {
      sim.configure({ latencyMs: 0, ttftMs: 0 });
    }
  });
});

describe('LSP door: switching the completion route', () => {
  it('sends the next completion to the provider the user picked', async () => {
    const first = await startSimulator({ seed: 1, outputTokens: 3, models: ['qwen2.5-coder:1.5b'] });
    const second = await startSimulator({ seed: 2, outputTokens: 3, models: ['starcoder2:3b'] });
    const daemon = await startTestDaemon(simProviderToml('first', 'ollama', first.url) + simProviderToml('second', 'ollama', second.url));
    const client = await connectLsp(readStateFile(daemon.stateDir)!);
    try {
      await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: URI, languageId: 'python', version: 1, text: TEXT } });
      const generations = (sim: Simulator) => sim.requests.filter((r) => r.route === 'ollama.generate').length;
      await ask(client, 1, 13);
      assert.equal(generations(first), 1, 'the default route: the Qwen coder');
      assert.equal(generations(second), 0);
      const status = await client.connection.sendRequest(SetCompletionRouteRequest.type, { route: 'second/starcoder2:3b' });
      assert.equal(status.active?.provider, 'second');
      await ask(client, 1, 13);
      assert.equal(generations(second), 1, 'the next completion goes to the picked provider');
      assert.equal(generations(first), 1);
    } finally {
      client.dispose();
      await daemon.close();
      await first.close();
      await second.close();
    }
  });
});
