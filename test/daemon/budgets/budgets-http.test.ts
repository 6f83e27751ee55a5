import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulator } from '../../../bench/sim/index';
import type { Simulator } from '../../../bench/sim/contract';
import { streamAndLeaveAfterFirstToken } from '../../helpers/leave-stream';
import { startTestDaemon, type TestDaemon } from '../../helpers/test-daemon';

function provider(name: string, url: string, local: boolean, models: string[]): string {
  return `[[providers]]\nname = "${name}"\nkind = "openai"\nbase_url = "${url}/v1"\nlocal = ${local}\nmodels = ${JSON.stringify(models)}\n`;
}

async function post(daemon: TestDaemon, path: string, body: unknown) {
  const response = await fetch(`${daemon.url}${path}`, {
    method: 'POST',
    headers: { ...daemon.auth, 'content-type': 'application/json', 'x-switchyard-cache': 'off' },
    body: JSON.stringify(body),
  });
  return { status: response.status, provider: response.headers.get('x-switchyard-provider'), text: await response.text() };
}

async function budgets(daemon: TestDaemon) {
  return (await (await fetch(`${daemon.url}/v1/switchyard/budgets`, { headers: daemon.auth })).json()) as {
    ledger: string;
    budgets: Array<{ name: string; spent: { tokens: number; usd: number }; reserved: { tokens: number }; limit: { tokens?: number; usd?: number }; resetsAt: string }>;
  };
}

function simUsage(sim: Simulator, model: string): number {
  return sim.requests.filter((r) => r.model === model && r.usage).reduce((sum, r) => sum + r.usage!.promptTokens + r.usage!.completionTokens, 0);
}

describe('budgets over HTTP', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ latencyMs: 1, outputTokens: 20, seed: 5, models: ['sim-chat', 'gpt-4o', 'local-coder'] });
  });
  after(async () => {
    await sim?.close();
  });

  it('a money budget never blocks a local ($0) route, and counts its tokens', async () => {
    const daemon = await startTestDaemon(
      `${provider('local', sim.url, true, ['sim-chat'])}[[budgets]]\nname = "no-money"\nscope = "all"\nwindow = "day"\nlimit_usd = 0\naction = "block"\n`,
    );
    try {
      for (let i = 0; i < 5; i++) {
        const reply = await post(daemon, '/v1/chat/completions', { model: 'sim-chat', max_tokens: 50, messages: [{ role: 'user', content: `free ${i}` }] });
        assert.equal(reply.status, 200, reply.text);
      }
      const report = await budgets(daemon);
      assert.equal(report.budgets[0]!.spent.usd, 0);
      assert.ok(report.budgets[0]!.spent.tokens > 0);
    } finally {
      await daemon.close();
    }
  });

  it('an exhausted budget answers 429 in each door\'s shape, naming the budget, spent, limit and reset time', async () => {
    const daemon = await startTestDaemon(
      `${provider('cloud', sim.url, false, ['gpt-4o'])}[[budgets]]\nname = "cloud-tokens"\nscope = "provider"\nproviders = ["cloud"]\nwindow = "day"\nlimit_tokens = 200\naction = "block"\n`,
    );
    try {
      const body = { model: 'gpt-4o', max_tokens: 40, messages: [{ role: 'user', content: 'spend' }] };
      let rejected: { status: number; text: string } | undefined;
      for (let i = 0; i < 20 && rejected === undefined; i++) {
        const reply = await post(daemon, '/v1/chat/completions', body);
        if (reply.status !== 200) rejected = reply;
      }
      assert.ok(rejected, 'the budget never ran out');
      assert.equal(rejected.status, 429);
      const error = (JSON.parse(rejected.text) as { error: { message: string; type: string; code: string } }).error;
      assert.equal(error.code, 'insufficient_quota');
      assert.match(error.message, /cloud-tokens/);
      assert.match(error.message, /of 200 tokens spent/);
      const tomorrow = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + 1)).toISOString();
      assert.ok(error.message.includes(tomorrow), error.message);

      const ollama = await post(daemon, '/api/chat', { model: 'gpt-4o', stream: false, options: { num_predict: 40 }, messages: [{ role: 'user', content: 'spend' }] });
      assert.equal(ollama.status, 429);
      const ollamaError = JSON.parse(ollama.text) as { error: string };
      assert.equal(typeof ollamaError.error, 'string');
      assert.match(ollamaError.error, /cloud-tokens.*resets at/);

      const report = await budgets(daemon);
      const figures = report.budgets[0]!;
      assert.equal(figures.spent.tokens, simUsage(sim, 'gpt-4o'));
      assert.ok(figures.spent.tokens <= 200);
      assert.equal(figures.reserved.tokens, 0);
      assert.equal(figures.resetsAt, tomorrow);
      const metrics = await (await fetch(`${daemon.url}/metrics`, { headers: daemon.auth })).text();
      assert.match(metrics, new RegExp(`switchyard_budget_spent_tokens\\{budget="cloud-tokens"\\} ${figures.spent.tokens}`));
      assert.match(metrics, /switchyard_budget_limit_tokens\{budget="cloud-tokens"\} 200/);
    } finally {
      await daemon.close();
    }
  });

  it('fallback-local reroutes to the budget\'s local model once the cloud budget is spent', async () => {
    const daemon = await startTestDaemon(
      `${provider('cloud', sim.url, false, ['gpt-4o'])}${provider('local', sim.url, true, ['local-coder'])}` +
        `[[budgets]]\nname = "cloud-money"\nscope = "provider"\nproviders = ["cloud"]\nwindow = "month"\nlimit_usd = 0.002\naction = "fallback-local"\nfallback_model = "local/local-coder"\n`,
    );
    try {
      const served: string[] = [];
      for (let i = 0; i < 12; i++) {
        const reply = await post(daemon, '/v1/chat/completions', { model: 'gpt-4o', max_tokens: 40, messages: [{ role: 'user', content: `task ${i}` }] });
        assert.equal(reply.status, 200, reply.text);
        served.push(reply.provider!);
      }
      assert.equal(served[0], 'cloud');
      assert.equal(served.at(-1), 'local');
      assert.ok(served.indexOf('local') > 0);
      const report = await budgets(daemon);
      assert.ok(report.budgets[0]!.spent.usd <= 0.002);
    } finally {
      await daemon.close();
    }
  });

  it('streams are committed from their final usage, and the ledger equals what the simulator reported', async () => {
    const daemon = await startTestDaemon(
      `${provider('cloud', sim.url, false, ['sim-chat'])}[[budgets]]\nname = "stream-tokens"\nscope = "model"\nmodels = ["cloud/sim-chat"]\nwindow = "rolling"\nhours = 1\nlimit_tokens = 1000000\n`,
    );
    try {
      sim.reset();
      for (let i = 0; i < 6; i++) {
        const reply = await post(daemon, '/v1/chat/completions', { model: 'sim-chat', stream: i % 2 === 0, max_tokens: 30, messages: [{ role: 'user', content: `s${i}` }] });
        assert.equal(reply.status, 200);
      }
      const report = await budgets(daemon);
      assert.equal(report.budgets[0]!.spent.tokens, simUsage(sim, 'sim-chat'));
      assert.equal(report.budgets[0]!.reserved.tokens, 0);
    } finally {
      await daemon.close();
    }
  });

  it('a client that leaves a stream part-way is charged for what it was sent, not the whole reservation, and not nothing', async () => {
    const slow = await startSimulator({ latencyMs: 1, ttftMs: 5, tokensPerSecond: 40, outputTokens: 60, seed: 7, models: ['sim-chat'] });
    const daemon = await startTestDaemon(
      `${provider('cloud', slow.url, false, ['sim-chat'])}[[budgets]]\nname = "cut-streams"\nscope = "all"\nwindow = "day"\nlimit_tokens = 100000\naction = "block"\n`,
    );
    try {
      await streamAndLeaveAfterFirstToken(`${daemon.url}/v1/chat/completions`, { ...daemon.auth, 'x-switchyard-cache': 'off' }, {
        model: 'sim-chat',
        stream: true,
        max_tokens: 60,
        messages: [{ role: 'user', content: 'a long answer, please' }],
      });

      let report = await budgets(daemon);
      for (let i = 0; i < 100 && report.budgets[0]!.reserved.tokens > 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        report = await budgets(daemon);
      }
      const { spent, reserved } = report.budgets[0]!;
      assert.equal(reserved.tokens, 0, 'the reservation is settled');
      // The prompt (about six tokens) and the words sent before the client left (the simulator
      // sends 40 a second, of 60): charged, but well below the reservation's prompt + 60.
      assert.ok(spent.tokens > 0, 'a cut stream is not free');
      assert.ok(spent.tokens < 40, `charged ${spent.tokens} tokens, close to the whole reservation`);
    } finally {
      await daemon.close();
      await slow.close();
    }
  });

  it('an invalid [[budgets]] entry stops the daemon before it serves, naming the key', async () => {
    await assert.rejects(
      startTestDaemon(`${provider('cloud', sim.url, false, ['gpt-4o'])}[[budgets]]\nname = "x"\nscope = "provider"\nwindow = "rolling"\nlimit_usd = 1\n`),
      (error: Error) => /budgets\[0\]\.providers/.test(error.message) && /budgets\[0\]\.hours/.test(error.message),
    );
  });
});
