import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DidChangeConfigurationNotification,
  DidOpenTextDocumentNotification,
  InlineCompletionRequest,
  InlineCompletionTriggerKind,
  type InlineCompletionList,
} from 'vscode-languageserver-protocol/node';
import { startSimulator, type Simulator } from '../../../bench/sim/index';
import { readStateFile } from '../../../daemon/lifecycle/state-file';
import { GetStatusRequest, ListModelsRequest, SetApiKeyRequest, SetCompletionRouteRequest } from '../../../shared/lsp/protocol';
import { simProviderToml, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon';
import { connectLsp, TEST_SETTINGS } from './lsp-client';
import { freePort } from '../../helpers/free-port';

describe('LSP door: the status bar', () => {
  let alpha: Simulator;
  let beta: Simulator;
  let daemon: TestDaemon;

  before(async () => {
    alpha = await startSimulator({ models: ['alpha-coder'] });
    beta = await startSimulator({ models: ['beta-chat'] });
    daemon = await startTestDaemon(simProviderToml('alpha', 'openai', alpha.url) + simProviderToml('beta', 'ollama', beta.url) + '[aliases]\nfast = "beta/beta-chat"\n');
  });
  after(async () => {
    await daemon.close();
    await alpha.close();
    await beta.close();
  });

  it('shows the default local model, lists every model with health, and pushes the change when the route switches', async () => {
    const client = await connectLsp(readStateFile(daemon.stateDir)!);
    const first = await client.connection.sendRequest(GetStatusRequest.type);
    assert.equal(first.state, 'ok');
    // The default prefers a fill-in-the-middle model.
    assert.deepEqual(first.active, { provider: 'alpha', model: 'alpha-coder', local: true });

    const { models, routes } = await client.connection.sendRequest(ListModelsRequest.type);
    // Ollama lists its models tagged.
    assert.deepEqual(models.map((m) => m.key).sort(), ['alpha/alpha-coder', 'beta/beta-chat:latest']);
    assert.ok(models.every((m) => m.local && ['up', 'unknown'].includes(m.health)));
    assert.ok(routes.includes('fast'));

    const switched = await client.connection.sendRequest(SetCompletionRouteRequest.type, { route: 'beta/beta-chat:latest' });
    assert.deepEqual(switched.active, { provider: 'beta', model: 'beta-chat:latest', local: true });

    // The editor persists the choice in its settings, which come back as a configuration change.
    const since = client.statuses.length;
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { switchyard: { completion: { ...TEST_SETTINGS, route: 'fast' } } } });
    const pushed = await client.nextStatus((s) => s.active?.route === 'fast', 5_000, since);
    assert.equal(pushed.active?.provider, 'beta');

    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { switchyard: { completion: { ...TEST_SETTINGS, route: 'fast', enabled: false } } } });
    await client.nextStatus((s) => s.state === 'paused');
    const unknown = await client.connection.sendRequest(SetCompletionRouteRequest.type, { route: 'nobody/nothing' });
    assert.equal(unknown.state, 'paused');
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { switchyard: { completion: { ...TEST_SETTINGS, route: 'nobody/nothing' } } } });
    const error = await client.nextStatus((s) => s.state === 'error');
    assert.match(error.message ?? '', /nobody\/nothing/);
    client.dispose();
  });

  it('says no-provider on first run, then switches to the local server when it appears, without reconnecting', async () => {
    const port = await freePort();
    const firstRun = await startTestDaemonWithDiscovery(port);
    try {
      const client = await connectLsp(readStateFile(firstRun.stateDir)!);
      const status = await client.connection.sendRequest(GetStatusRequest.type);
      assert.equal(status.state, 'no-provider');
      assert.match(status.message ?? '', /No model server found/);
      const since = client.statuses.length;
      const server = await startSimulator({ port, models: ['qwen2.5-coder:1.5b'] });
      try {
        const ok = await client.nextStatus((s) => s.state === 'ok', 10_000, since);
        assert.deepEqual(ok.active, { provider: 'ollama-late', model: 'qwen2.5-coder:1.5b', local: true });
        // Completions start on the same connection.
        const uri = 'file:///first-run.js';
        await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'javascript', version: 1, text: 'const answer = ' } });
        const list = (await client.connection.sendRequest(InlineCompletionRequest.type, {
          textDocument: { uri },
          position: { line: 0, character: 15 },
          context: { triggerKind: InlineCompletionTriggerKind.Invoked },
        })) as InlineCompletionList;
        assert.equal(list.items.length, 1);
        assert.ok(server.requests.some((r) => r.route === 'ollama.generate'));
      } finally {
        client.dispose();
        await server.close();
      }
    } finally {
      await firstRun.close();
    }
  });

  it('pushes the change when the provider in use stops answering its health probes', async () => {
    const preferred = await startSimulator({ models: ['qwen2.5-coder:1.5b'] });
    const spare = await startSimulator({ models: ['starcoder2:3b'] });
    const probing = await startTestDaemon(
      simProviderToml('preferred', 'ollama', preferred.url) + simProviderToml('spare', 'ollama', spare.url) + '[routing]\nprobe_interval_ms = 100\nprobe_failures_to_down = 1\n',
    );
    try {
      const client = await connectLsp(readStateFile(probing.stateDir)!);
      assert.equal((await client.connection.sendRequest(GetStatusRequest.type)).active?.provider, 'preferred');
      const since = client.statuses.length;
      await preferred.close();
      const moved = await client.nextStatus((s) => s.active?.provider === 'spare', 10_000, since);
      assert.equal(moved.state, 'ok');
      client.dispose();
    } finally {
      await probing.close();
      await spare.close();
    }
  });

  it('takes an API key from the editor for a provider whose key variable is unset', async () => {
    const locked = await startSimulator({ apiKey: 'sk-editor-secret', models: ['locked-model'] });
    const keyed = await startTestDaemon(simProviderToml('locked', 'openai', locked.url, 'api_key_env = "LOCKED_KEY"\nmodels = ["locked-model"]'));
    try {
      const ask = () =>
        fetch(`${keyed.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { ...keyed.auth, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'locked-model', messages: [{ role: 'user', content: 'hi' }] }),
        });
      const before = await ask();
      assert.notEqual(before.status, 200);
      const client = await connectLsp(readStateFile(keyed.stateDir)!);
      await client.connection.sendRequest(SetApiKeyRequest.type, { provider: 'locked', apiKey: 'sk-editor-secret' });
      const afterKey = await ask();
      assert.equal(afterKey.status, 200);
      assert.equal(locked.requests.at(-1)?.headers.authorization, 'Bearer sk-editor-secret');
      assert.ok(!keyed.logs().includes('sk-editor-secret'), 'the key never reaches the log');
      client.dispose();
    } finally {
      await keyed.close();
      await locked.close();
    }
  });
});

/** A daemon that looks for an Ollama-shaped server on `port` (nothing there yet), every 200 ms. */
function startTestDaemonWithDiscovery(port: number): Promise<TestDaemon> {
  return startTestDaemon('', {
    discovery: `[discovery]\nlocal = true\ncloud_from_env = false\nreprobe_seconds = 0.2\nservers = [{ name = "ollama-late", kind = "ollama", base_url = "http://127.0.0.1:${port}" }]\n`,
  });
}
