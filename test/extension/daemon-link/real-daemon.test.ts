/**
 * The extension's way to the daemon, against the real built daemon (`dist/daemon.js`): find or
 * start it detached as the extension does, connect over the endpoint from the state file with
 * the token, and after the daemon is killed, start a new one.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test, type TestContext } from 'node:test';
import { GetStatusRequest } from '../../../shared/lsp/protocol';
import { ensureDaemon } from '../../../extension/daemon-link/ensure-daemon';
import { processAlive } from '../../../shared/lifecycle/daemon-liveness';
import type { DaemonLaunchOptions } from '../../../extension/daemon-link/spawn-command';
import { connectLsp } from '../../daemon/lsp/lsp-client';

const ROOT = resolve(__dirname, '..', '..', '..');
const quietLog = { info() {}, warn() {} };
const skip = !existsSync(join(ROOT, 'dist', 'daemon.js')) && 'needs a build (npm run build)';

/** Launch options on a fresh state dir, and the pids to stop when the test ends. */
function launchOptions(t: TestContext): { o: DaemonLaunchOptions; pids: Set<number> } {
  const dir = mkdtempSync(join(tmpdir(), 'sy-ext-real-'));
  const configPath = join(dir, 'switchyard.toml');
  writeFileSync(configPath, '[discovery]\nlocal = false\ncloud_from_env = false\n');
  const stateDir = join(dir, 'state');
  const pids = new Set<number>();
  t.after(async () => {
    for (const pid of pids) if (processAlive(pid)) process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 50 && [...pids].some(processAlive); i++) await new Promise((r) => setTimeout(r, 100));
    rmSync(dir, { recursive: true, force: true });
  });
  return { o: { extensionPath: ROOT, stateDir, configPath, idleTimeoutMinutes: 5, nodePath: process.execPath, execPath: process.execPath, env: process.env }, pids };
}

test('windows starting at once get one real daemon, and each connects with the token', { skip }, async (t) => {
  const { o, pids } = launchOptions(t);
  const daemons = await Promise.all([1, 2].map(() => ensureDaemon(o, quietLog, new AbortController().signal)));
  for (const d of daemons) pids.add(d.pid);
  assert.equal(daemons[0]!.pid, daemons[1]!.pid);
  const clients = await Promise.all(daemons.map((d) => connectLsp(d)));
  try {
    for (const client of clients) {
      const status = await client.connection.sendRequest(GetStatusRequest.type);
      assert.equal(status.daemon.pid, daemons[0]!.pid);
      // No provider configured and discovery off: the expected first-run state.
      assert.equal(status.state, 'no-provider');
    }
  } finally {
    for (const client of clients) client.dispose();
  }
});

test('after the daemon is killed, the next connect starts a new one', { skip }, async (t) => {
  const { o, pids } = launchOptions(t);
  const first = await ensureDaemon(o, quietLog, new AbortController().signal);
  pids.add(first.pid);
  process.kill(first.pid, 'SIGKILL');
  for (let i = 0; i < 50 && processAlive(first.pid); i++) await new Promise((r) => setTimeout(r, 50));
  const second = await ensureDaemon(o, quietLog, new AbortController().signal);
  pids.add(second.pid);
  assert.notEqual(second.pid, first.pid);
  const client = await connectLsp(second);
  try {
    assert.equal((await client.connection.sendRequest(GetStatusRequest.type)).daemon.pid, second.pid);
  } finally {
    client.dispose();
  }
});
