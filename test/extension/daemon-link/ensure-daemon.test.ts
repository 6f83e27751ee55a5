import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { connectEndpoint } from '../../../extension/daemon-link/connect-endpoint';
import { readDaemonState } from '../../../extension/daemon-link/daemon-state';
import { DaemonStartError, ensureDaemon } from '../../../extension/daemon-link/ensure-daemon';
import { processAlive } from '../../../shared/lifecycle/daemon-liveness';
import type { DaemonLaunchOptions } from '../../../extension/daemon-link/spawn-command';
import { DAEMON_NODE_FLAGS } from '../../../shared/lifecycle/daemon-launch';
import { spawnLockPath } from '../../../extension/daemon-link/spawn-lock';

const quietLog = { info() {}, warn() {} };

/** An "extension folder" whose dist/daemon.js is the fake daemon, and an empty state dir. */
function setup(t: TestContext, env: NodeJS.ProcessEnv = {}): DaemonLaunchOptions {
  const root = mkdtempSync(join(tmpdir(), 'sy-ext-'));
  mkdirSync(join(root, 'ext', 'dist'), { recursive: true });
  copyFileSync(join(__dirname, '..', 'fixtures', 'fake-daemon.mjs'), join(root, 'ext', 'dist', 'daemon.js'));
  writeFileSync(join(root, 'ext', 'package.json'), '{"type":"module"}');
  const stateDir = join(root, 'state');
  t.after(() => {
    for (const pid of startedPids(stateDir)) if (processAlive(pid)) process.kill(pid, 'SIGTERM');
    rmSync(root, { recursive: true, force: true });
  });
  return { extensionPath: join(root, 'ext'), stateDir, configPath: '', idleTimeoutMinutes: 7, nodePath: process.execPath, execPath: process.execPath, env: { ...process.env, ...env } };
}

function startedPids(stateDir: string): number[] {
  const file = join(stateDir, 'starts.log');
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map(Number) : [];
}

test('with no daemon running, one is started detached and its LSP endpoint accepts a connection', async (t) => {
  const o = setup(t);
  const daemon = await ensureDaemon(o, quietLog, new AbortController().signal);
  assert.deepEqual(startedPids(o.stateDir), [daemon.pid]);
  assert.equal(daemon.lsp.kind, 'pipe');
  const socket = await connectEndpoint(daemon.lsp);
  socket.destroy();
  // The daemon got the state dir and idle time the settings gave, and the V8 flags.
  const launched = JSON.parse(readFileSync(join(o.stateDir, 'argv.log'), 'utf8').trim());
  for (const flag of DAEMON_NODE_FLAGS) assert.ok(launched.argv.includes(flag), flag);
  assert.deepEqual(launched.argv.slice(-4), ['--state-dir', o.stateDir, '--idle-exit-minutes', '7']);
});

test('a live daemon is reused: a second window starts nothing', async (t) => {
  const o = setup(t);
  const first = await ensureDaemon(o, quietLog, new AbortController().signal);
  const second = await ensureDaemon(o, quietLog, new AbortController().signal);
  assert.equal(second.pid, first.pid);
  assert.equal(startedPids(o.stateDir).length, 1);
});

test('two windows starting at once end with one daemon', async (t) => {
  const o = setup(t, { FAKE_DAEMON_DELAY_MS: '300' });
  const [a, b, c] = await Promise.all([1, 2, 3].map(() => ensureDaemon(o, quietLog, new AbortController().signal)));
  assert.equal(a!.pid, b!.pid);
  assert.equal(b!.pid, c!.pid);
  assert.deepEqual(startedPids(o.stateDir), [a!.pid]);
  assert.ok(!existsSync(spawnLockPath(o.stateDir)), 'the start lock is released');
});

test('a stale state file (dead pid) does not count: a new daemon is started', async (t) => {
  const o = setup(t);
  mkdirSync(o.stateDir, { recursive: true });
  writeFileSync(join(o.stateDir, 'daemon.json'), JSON.stringify({ pid: 2 ** 22 + 12345, port: 1, token: 'x', lsp: { kind: 'pipe', path: '/nonexistent' } }));
  const daemon = await ensureDaemon(o, quietLog, new AbortController().signal);
  assert.notEqual(daemon.pid, 2 ** 22 + 12345);
  assert.equal((await readDaemonState(o.stateDir))?.pid, daemon.pid);
});

test('a daemon that fails to start is reported with its own message from the log', async (t) => {
  const o = setup(t, { FAKE_DAEMON_FAIL: 'invalid config x.toml: server.prot: unknown key' });
  await assert.rejects(ensureDaemon(o, quietLog, new AbortController().signal), (error: unknown) => {
    assert.ok(error instanceof DaemonStartError);
    assert.match(error.message, /exited with status 2/);
    assert.match(error.message, /server\.prot: unknown key/);
    assert.equal(error.logFile, join(o.stateDir, 'daemon.log'));
    return true;
  });
});

test('a lock left by a window that died does not stop the next one from starting the daemon', async (t) => {
  const o = setup(t);
  mkdirSync(o.stateDir, { recursive: true });
  writeFileSync(spawnLockPath(o.stateDir), String(2 ** 22 + 54321));
  const daemon = await ensureDaemon(o, quietLog, new AbortController().signal, 5_000);
  assert.ok(processAlive(daemon.pid));
});
