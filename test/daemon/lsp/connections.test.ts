import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { ExitNotification, ShutdownRequest } from 'vscode-languageserver-protocol/node';
import { startSimulator, type Simulator } from '../../../bench/sim/index';
import { GetStatusRequest, SetLogLevelRequest } from '../../../shared/lsp/protocol';
import { readStateFile } from '../../../daemon/lifecycle/state-file';
import { simProviderToml, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon';
import { connectLsp, openSocket } from './lsp-client';

/** A pid that surely belongs to no process: one that just exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('LSP door: many editors on one daemon', () => {
  let sim: Simulator;
  let daemon: TestDaemon;

  before(async () => {
    sim = await startSimulator();
    daemon = await startTestDaemon(simProviderToml('sim', 'openai', sim.url));
  });
  after(async () => {
    await daemon.close();
    await sim.close();
  });

  it('records its endpoint in the state file: a socket only this user can open', () => {
    const state = readStateFile(daemon.stateDir)!;
    assert.equal(state.lsp.kind, 'pipe');
    if (state.lsp.kind === 'pipe' && process.platform !== 'win32') {
      assert.ok(statSync(state.lsp.path).isSocket());
      assert.equal(statSync(state.lsp.path).mode & 0o777, 0o600);
    }
  });

  it('refuses a connection whose first message lacks the token, and serves one that has it', async () => {
    const state = readStateFile(daemon.stateDir)!;
    await assert.rejects(connectLsp(state, { token: 'sy-wrong' }), /unauthorized|closed|disposed/i);
    const socket = await openSocket(state.lsp);
    let reply = '';
    socket.on('data', (chunk: Buffer) => (reply += chunk.toString()));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    const notInitialize = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'switchyard/status', params: null });
    socket.write(`Content-Length: ${Buffer.byteLength(notInitialize)}\r\n\r\n${notInitialize}`);
    await closed;
    assert.match(reply, /unauthorized: the first message must be \\"initialize\\"/);
    const good = await connectLsp(state);
    assert.equal(good.initializeResult.serverInfo?.name, 'switchyard');
    assert.ok(good.initializeResult.capabilities.inlineCompletionProvider);
    good.dispose();
  });

  it('ends only the connection that closes, exits or whose editor died; the daemon and the others live on', async () => {
    const state = readStateFile(daemon.stateDir)!;
    const abrupt = await connectLsp(state);
    const exiting = await connectLsp(state);
    const orphan = await connectLsp(state, { processId: deadPid() });
    const survivor = await connectLsp(state);
    assert.equal(daemon.lsp.connections, 4);

    abrupt.socket.destroy();
    await exiting.connection.sendRequest(ShutdownRequest.type);
    await exiting.connection.sendNotification(ExitNotification.type);
    await exiting.closed;
    // The watchdog checks the editor's process every 3 s.
    await orphan.closed;

    const status = await survivor.connection.sendRequest(GetStatusRequest.type);
    assert.equal(status.daemon.pid, process.pid);
    assert.equal(status.state, 'ok');
    assert.equal(daemon.lsp.connections, 1);
    const health = await fetch(`${daemon.url}/health`);
    assert.equal(health.status, 200);
    const late = await connectLsp(state);
    assert.equal((await late.connection.sendRequest(GetStatusRequest.type)).state, 'ok');
    // The log level changes for the whole daemon, while it runs.
    await late.connection.sendRequest(SetLogLevelRequest.type, { level: 'warn' });
    assert.equal(daemon.logger.level, 'warn');
    await late.connection.sendRequest(SetLogLevelRequest.type, { level: 'debug' });
    late.dispose();
    survivor.dispose();
  });

  it('a connection opened before the log level changed logs at the new level (its logger is a child of the daemon logger, which follows it)', async () => {
    const state = readStateFile(daemon.stateDir)!;
    const setter = await connectLsp(state);
    await setter.connection.sendRequest(SetLogLevelRequest.type, { level: 'info' });
    const early = await connectLsp(state);
    assert.equal((await early.connection.sendRequest(GetStatusRequest.type)).state, 'ok');
    // Someone turns on debug to see what an editor already connected is doing.
    await setter.connection.sendRequest(SetLogLevelRequest.type, { level: 'debug' });
    const from = daemon.logs().length;
    early.dispose();
    const deadline = Date.now() + 5_000;
    while (!/lsp: connection ended/.test(daemon.logs().slice(from)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.match(daemon.logs().slice(from), /lsp: connection ended/, 'the early connection logged its end at debug');
    setter.dispose();
  });
});
