import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import { spawnCli, type SpawnedCli } from '../../helpers/spawn-cli';

describe('switchyard daemon as a process', () => {
  let dir: string;
  let sim: SpawnedCli;
  let simUrl: string;
  const children: SpawnedCli[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-proc-'));
    sim = spawnCli(['sim', '--port', '0', '--latency-ms', '1500', '--seed', '1']);
    children.push(sim);
    simUrl = String((await sim.ready).url);
    writeFileSync(
      join(dir, 'config.toml'),
      `[discovery]\nlocal = false\ncloud_from_env = false\n[[providers]]\nname = "sim"\nkind = "openai"\nbase_url = "${simUrl}/v1"\nmodels = ["sim-chat"]\n`,
    );
  });
  after(async () => {
    for (const child of children) if (child.child.exitCode === null) child.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints a ready line, writes a 0600 state file, refuses a second daemon, and drains on SIGTERM', async () => {
    const stateDir = join(dir, 'state');
    const first = spawnCli(['daemon', '--config', join(dir, 'config.toml'), '--state-dir', stateDir, '--port', '0']);
    children.push(first);
    const ready = await first.ready;
    assert.equal(ready.stateFile, join(stateDir, 'daemon.json'));
    assert.match(String(ready.url), /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(statSync(join(stateDir, 'daemon.json')).mode & 0o777, 0o600);
    const state = JSON.parse(readFileSync(join(stateDir, 'daemon.json'), 'utf8')) as { pid: number; port: number; token: string; version: string };
    assert.equal(state.pid, first.child.pid);
    assert.equal(`http://127.0.0.1:${state.port}`, ready.url);
    assert.ok(state.token.length >= 32);
    assert.match(state.version, /^\d+\.\d+\.\d+/);

    const second = spawnCli(['daemon', '--config', join(dir, 'config.toml'), '--state-dir', stateDir, '--port', '0']);
    children.push(second);
    assert.equal(await second.exited, 3);
    assert.match(second.stderr(), new RegExp(`already running.*pid ${state.pid}`));

    // A request that takes 1.5 s upstream is in flight when SIGTERM arrives: it completes, then the daemon exits.
    const inFlight = request(`${ready.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${state.token}` },
      body: JSON.stringify({ model: 'sim-chat', messages: [{ role: 'user', content: 'x' }] }),
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    first.child.kill('SIGTERM');
    const response = await inFlight;
    assert.equal(response.statusCode, 200);
    assert.equal(((await response.body.json()) as { object: string }).object, 'chat.completion');
    assert.equal(await first.exited, 0);
    assert.equal(existsSync(join(stateDir, 'daemon.json')), false, 'the state file is removed on exit');
  });

  it('refuses an invalid config file, naming the key, and serves nothing', async () => {
    const bad = join(dir, 'bad.toml');
    writeFileSync(bad, '[[providers]]\nname = "x"\nkind = "openia"\nbase_url = "http://127.0.0.1:1"\n');
    const daemon = spawnCli(['daemon', '--config', bad, '--state-dir', join(dir, 'state-bad'), '--port', '0']);
    children.push(daemon);
    assert.equal(await daemon.exited, 2);
    assert.match(daemon.stderr(), /providers\[0\]\.kind: got "openia", expected one of "openai"/);
    assert.equal(existsSync(join(dir, 'state-bad', 'daemon.json')), false);
  });

  it('takes a free port when the default one is taken', async () => {
    const stateDir = join(dir, 'state-busy');
    const config = join(dir, 'busy.toml');
    const blocker = spawnCli(['sim', '--port', '0']);
    children.push(blocker);
    const busyPort = Number(new URL(String((await blocker.ready).url)).port);
    writeFileSync(config, `[server]\nport = ${busyPort}\n[discovery]\nlocal = false\ncloud_from_env = false\n`);
    const daemon = spawnCli(['daemon', '--config', config, '--state-dir', stateDir]);
    children.push(daemon);
    const ready = await daemon.ready;
    // The port from the config is taken by the simulator; an explicit port must not silently move, a configured one may.
    assert.notEqual(Number(new URL(String(ready.url)).port), busyPort);
    daemon.child.kill('SIGTERM');
    assert.equal(await daemon.exited, 0, daemon.stderr());
  });
});
