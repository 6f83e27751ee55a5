import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSimulator } from '../../../bench/sim/index';
import type { Simulator } from '../../../bench/sim/contract';
import { spawnCli } from '../../helpers/spawn-cli';

describe('embedded ledger under kill -9', () => {
  let sim: Simulator;
  let dir: string;

  before(async () => {
    sim = await startSimulator({ latencyMs: { dist: 'uniform', minMs: 2, maxMs: 20 }, outputTokens: { min: 3, max: 15 }, seed: 9, models: ['gpt-4o'] });
    dir = mkdtempSync(join(tmpdir(), 'switchyard-kill9-'));
    writeFileSync(
      join(dir, 'config.toml'),
      `[discovery]\nlocal = false\ncloud_from_env = false\n[log]\nlevel = "warn"\n` +
        `[[providers]]\nname = "cloud"\nkind = "openai"\nbase_url = "${sim.url}/v1"\nlocal = false\nmodels = ["gpt-4o"]\n` +
        `[[budgets]]\nname = "crash-tokens"\nscope = "all"\nwindow = "month"\nlimit_tokens = 100000000\n`,
    );
  });
  after(async () => {
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('after kill -9 during load and a restart, the ledger holds every answered request and nothing the simulator did not serve', { timeout: 120_000 }, async () => {
    const args = ['daemon', '--port', '0', '--state-dir', join(dir, 'state'), '--config', join(dir, 'config.toml')];
    const first = spawnCli(args);
    const ready = await first.ready;
    const token = (JSON.parse(readFileSync(join(dir, 'state', 'daemon.json'), 'utf8')) as { token: string }).token;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-switchyard-cache': 'off' };

    const answered: number[] = [];
    let stop = false;
    const clients = Array.from({ length: 30 }, async (_, c) => {
      for (let i = 0; !stop; i++) {
        try {
          const response = await fetch(`${ready.url as string}/v1/chat/completions`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ model: 'gpt-4o', max_tokens: 15, messages: [{ role: 'user', content: `client ${c} call ${i}` }] }),
          });
          const body = (await response.json()) as { usage?: { total_tokens: number } };
          if (response.status === 200) answered.push(body.usage!.total_tokens);
        } catch {
          return; // the daemon is gone
        }
      }
    });
    while (answered.length < 600) await new Promise((resolve) => setTimeout(resolve, 20));
    first.child.kill('SIGKILL');
    stop = true;
    await Promise.all(clients);
    await first.exited;

    const served = sim.requests.filter((r) => r.usage !== undefined);
    const simTokens = served.reduce((sum, r) => sum + r.usage!.promptTokens + r.usage!.completionTokens, 0);
    const answeredTokens = answered.reduce((sum, tokens) => sum + tokens, 0);

    const second = spawnCli(args);
    const again = await second.ready;
    try {
      const token2 = (JSON.parse(readFileSync(join(dir, 'state', 'daemon.json'), 'utf8')) as { token: string }).token;
      const report = (await (await fetch(`${again.url as string}/v1/switchyard/budgets`, { headers: { authorization: `Bearer ${token2}` } })).json()) as {
        budgets: Array<{ spent: { tokens: number }; reserved: { tokens: number } }>;
      };
      const ledger = report.budgets[0]!;
      // Open reservations died with the process.
      assert.equal(ledger.reserved.tokens, 0);
      // Every response a client received was committed before it was sent...
      assert.ok(ledger.spent.tokens >= answeredTokens, `ledger ${ledger.spent.tokens} < answered ${answeredTokens}`);
      // ...and nothing is counted that the simulator did not serve, nor counted twice.
      assert.ok(ledger.spent.tokens <= simTokens, `ledger ${ledger.spent.tokens} > simulator ${simTokens}`);
      // The gap is at most the calls in flight at the kill (30 clients, ≤ 15 + prompt tokens each).
      assert.ok(simTokens - ledger.spent.tokens <= 30 * 40, `lost ${simTokens - ledger.spent.tokens} tokens`);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });
});
