import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DaemonStateFile } from '../../../shared/admin';
import { spawnCli, type SpawnedCli } from '../../helpers/spawn-cli';
import { connectLsp } from './lsp-client';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the daemon the editor starts: idle exit', () => {
  let dir: string;
  const children: SpawnedCli[] = [];

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-idle-'));
    writeFileSync(join(dir, 'config.toml'), '[discovery]\nlocal = false\ncloud_from_env = false\n');
  });
  after(() => {
    for (const child of children) if (child.child.exitCode === null) child.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  function startDaemon(name: string, flags: string[]): SpawnedCli {
    const daemon = spawnCli(['daemon', '--config', join(dir, 'config.toml'), '--state-dir', join(dir, name), '--port', '0', ...flags]);
    children.push(daemon);
    return daemon;
  }

  it('stays while an editor is connected, and exits once the last one has gone and the idle time passed', async () => {
    // 0.01 minutes: 600 ms of idleness.
    const daemon = startDaemon('idle', ['--idle-exit-minutes', '0.01']);
    await daemon.ready;
    const stateFile = join(dir, 'idle', 'daemon.json');
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as DaemonStateFile;
    const first = await connectLsp(state);
    const second = await connectLsp(state);
    await sleep(1_500);
    assert.equal(daemon.child.exitCode, null, 'an editor is connected: the daemon stays');
    first.dispose();
    await sleep(1_500);
    assert.equal(daemon.child.exitCode, null, 'one editor is still connected');
    second.dispose();
    assert.equal(await daemon.exited, 0);
    assert.ok(!existsSync(stateFile), 'the state file is removed on the way out');
    if (state.lsp.kind === 'pipe' && process.platform !== 'win32') assert.ok(!existsSync(state.lsp.path), 'so is the socket');
  });

  it('never exits for idleness with --stay', async () => {
    const daemon = startDaemon('stay', ['--idle-exit-minutes', '0.01', '--stay']);
    await daemon.ready;
    await sleep(1_500);
    assert.equal(daemon.child.exitCode, null);
    daemon.child.kill('SIGTERM');
    assert.equal(await daemon.exited, 0);
  });
});
