// Runs inside VS Code's extension host (see ../run-vscode-tests.mjs). Plain CommonJS with
// node:assert, so it needs no build step and no test framework of its own.
const assert = require('node:assert/strict');
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const vscode = require('vscode');

const EXTENSION_ID = 'switchyard.switchyard';

function readState(stateDir) {
  const file = join(stateDir, 'daemon.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

async function waitFor(what, probe, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const tests = {
  async 'the extension activates and registers every command it contributes'() {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    await extension.activate();
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const { command } of extension.packageJSON.contributes.commands) assert.ok(registered.has(command), `${command} is registered`);
  },

  async 'it starts one daemon in the configured state dir, with an editor endpoint'() {
    const stateDir = process.env.SWITCHYARD_TEST_STATE_DIR;
    const state = await waitFor('the daemon state file', () => readState(stateDir)?.lsp && readState(stateDir));
    process.kill(state.pid, 0);
  },

  async 'when the daemon is killed, a new one is started and the window reconnects'() {
    const stateDir = process.env.SWITCHYARD_TEST_STATE_DIR;
    const before = readState(stateDir);
    process.kill(before.pid, 'SIGKILL');
    const after = await waitFor('a new daemon', () => {
      const now = readState(stateDir);
      return now && now.pid !== before.pid && now.lsp ? now : undefined;
    });
    assert.notEqual(after.pid, before.pid);
  },

  async 'Restart Daemon replaces the daemon'() {
    const stateDir = process.env.SWITCHYARD_TEST_STATE_DIR;
    const before = await waitFor('a daemon', () => readState(stateDir));
    await vscode.commands.executeCommand('switchyard.restartDaemon');
    const after = await waitFor('the restarted daemon', () => {
      const now = readState(stateDir);
      return now && now.pid !== before.pid ? now : undefined;
    });
    assert.notEqual(after.pid, before.pid);
  },
};

exports.run = async function run() {
  const failures = [];
  for (const [name, body] of Object.entries(tests)) {
    try {
      await body();
      console.log(`ok - ${name}`);
    } catch (error) {
      console.error(`not ok - ${name}\n${error && error.stack ? error.stack : error}`);
      failures.push(name);
    }
  }
  if (failures.length) throw new Error(`${failures.length} of ${Object.keys(tests).length} failed: ${failures.join('; ')}`);
};
