import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseSimFlags } from '../../../bench/sim/cli';

const CLI = resolve(__dirname, '../../../bench/sim/main.ts');

function runCli(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

async function firstLine(child: ChildProcess): Promise<string> {
  let text = '';
  for await (const chunk of child.stdout!) {
    text += String(chunk);
    if (text.includes('\n')) return text.slice(0, text.indexOf('\n'));
  }
  return text;
}

describe('switchyard sim (command line)', () => {
  const children: ChildProcess[] = [];
  after(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('prints a ready line, serves with its flags, and stops cleanly on SIGTERM', async () => {
    const child = runCli(['--port', '0', '--output-tokens', '3', '--models', 'alpha,beta-coder', '--latency-ms', '1', '--seed', '5']);
    children.push(child);
    const ready = JSON.parse(await firstLine(child));
    assert.equal(ready.ready, true);
    assert.match(ready.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const models = await (await fetch(`${ready.url}/v1/models`)).json();
    assert.deepEqual(models.data.map((model: { id: string }) => model.id), ['alpha', 'beta-coder']);
    const reply = await (await fetch(`${ready.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'alpha', messages: [{ role: 'user', content: 'hi' }] }),
    })).json();
    assert.equal(reply.usage.completion_tokens, 3);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
  });

  it('exits 2 with a message naming the bad flag', async () => {
    for (const args of [['--capacity', 'lots'], ['--error-kinds', 'http500,meltdown'], ['--bogus'], ['--latency-ms', 'gaussian:1:2']]) {
      const child = runCli(args);
      children.push(child);
      let stderr = '';
      child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
      const [code] = await once(child, 'exit');
      assert.equal(code, 2, args.join(' '));
      const flag = args[0]!.slice(2);
      assert.ok(stderr.includes(flag) || stderr.includes('meltdown'), `${args.join(' ')}: ${stderr.split('\n')[0]}`);
    }
  });

  it('parses every documented flag into simulator options', () => {
    const options = parseSimFlags([
      '--port', '8181', '--latency-ms', 'lognormal:20:0.5', '--ttft-ms', 'uniform:5:15', '--tokens-per-s', '50',
      '--output-tokens', '10-40', '--error-rate', '0.1', '--error-kinds', 'http429,reset', '--retry-after', '3',
      '--capacity', '8', '--seed', '9', '--models', 'a,b', '--api-key-env', 'SIM_TEST_KEY',
    ], { SIM_TEST_KEY: 'k' });
    assert.deepEqual(options, {
      port: 8181,
      latencyMs: { dist: 'lognormal', medianMs: 20, sigma: 0.5 },
      ttftMs: { dist: 'uniform', minMs: 5, maxMs: 15 },
      tokensPerSecond: 50,
      outputTokens: { min: 10, max: 40 },
      errorRate: 0.1,
      errorKinds: ['http429', 'reset'],
      retryAfterSeconds: 3,
      capacity: 8,
      seed: 9,
      models: ['a', 'b'],
      apiKey: 'k',
    });
  });
});
