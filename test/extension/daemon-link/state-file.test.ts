import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDaemonState, parseEndpoint } from '../../../extension/daemon-link/daemon-state';
import { resolveStateDir } from '../../../extension/daemon-link/state-dir';
import { daemonSpawnCommand } from '../../../extension/daemon-link/spawn-command';
import { DAEMON_ENV } from '../../../shared/lifecycle/daemon-launch';

test('the state dir follows the README rule unless the setting names one', () => {
  assert.equal(resolveStateDir('', {}, '/home/me'), '/home/me/.switchyard');
  assert.equal(resolveStateDir('', { XDG_STATE_HOME: '/x' }, '/home/me'), '/x/switchyard');
  assert.equal(resolveStateDir('', { XDG_STATE_HOME: '/x', SWITCHYARD_STATE_DIR: '/s' }, '/home/me'), '/s');
  assert.equal(resolveStateDir('~/sy', { SWITCHYARD_STATE_DIR: '/s' }, '/home/me'), '/home/me/sy');
});

test('a state file with an LSP endpoint is read; half-written or foreign ones are not', () => {
  const good = parseDaemonState(JSON.stringify({ pid: 10, port: 4141, token: 't', version: '0.1.0', url: 'http://127.0.0.1:4141', startedAt: 'now', lsp: { kind: 'tcp', host: '127.0.0.1', port: 4142 } }));
  assert.deepEqual(good?.lsp, { kind: 'tcp', host: '127.0.0.1', port: 4142 });
  assert.equal(parseDaemonState('{"pid": 10, "port": 41'), undefined);
  assert.equal(parseDaemonState(JSON.stringify({ pid: '10', port: 4141, token: 't' })), undefined);
  // An older daemon without an LSP door: readable, but with no endpoint to connect to.
  assert.equal(parseDaemonState(JSON.stringify({ pid: 10, port: 4141, token: 't' }))?.lsp, undefined);
});

test('only loopback TCP or a named socket is followed', () => {
  assert.equal(parseEndpoint({ kind: 'tcp', host: '10.0.0.5', port: 4142 }), undefined);
  assert.equal(parseEndpoint({ kind: 'tcp', host: '127.0.0.1', port: 70000 }), undefined);
  assert.deepEqual(parseEndpoint({ kind: 'pipe', path: '/run/user/1/sy.sock' }), { kind: 'pipe', path: '/run/user/1/sy.sock' });
  assert.equal(parseEndpoint({ kind: 'pipe', path: '' }), undefined);
});

test('the daemon runs under VS Code\'s runtime as Node unless a Node path is set', () => {
  const base = { extensionPath: '/ext', stateDir: '/s', configPath: '', idleTimeoutMinutes: 30, nodePath: '', execPath: '/code/electron', env: { NODE_OPTIONS: '--inspect', PATH: '/bin' } };
  const electron = daemonSpawnCommand(base);
  assert.equal(electron.command, '/code/electron');
  assert.equal(electron.env.ELECTRON_RUN_AS_NODE, '1');
  assert.equal(electron.env.NODE_OPTIONS, undefined, "the extension host's debugger flags stay behind");
  for (const [name, value] of Object.entries(DAEMON_ENV)) assert.equal(electron.env[name], value, name);
  assert.ok(electron.args.indexOf('/ext/dist/daemon.js') > 0, 'V8 flags come before the script');
  assert.deepEqual(electron.args.slice(electron.args.indexOf('/ext/dist/daemon.js') + 1), ['--state-dir', '/s', '--idle-exit-minutes', '30']);

  const node = daemonSpawnCommand({ ...base, nodePath: '/usr/bin/node', configPath: '/c.toml', env: { ELECTRON_RUN_AS_NODE: '1' } });
  assert.equal(node.command, '/usr/bin/node');
  assert.equal(node.env.ELECTRON_RUN_AS_NODE, undefined);
  assert.deepEqual(node.args.slice(-6), ['--state-dir', '/s', '--idle-exit-minutes', '30', '--config', '/c.toml']);
});
