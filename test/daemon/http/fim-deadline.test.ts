import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startSimulator } from '../../../bench/sim/index';
import { CLIENT_HEADER, INLINE_COMPLETION_CLIENT } from '../../../shared/protocol/client-headers';
import type { Simulator } from '../../../bench/sim/contract';
import { simProviderToml, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon';

/** Slower than the inline deadline (1 s), far inside the ordinary completion deadline (60 s). */
const SLOW_MS = 1_600;

describe('fill-in-the-middle deadlines: ordinary for any client, tight only for the editor', () => {
  let sim: Simulator;
  let daemon: TestDaemon;
  let client: OpenAI;

  before(async () => {
    sim = await startSimulator({ latencyMs: SLOW_MS, ttftMs: SLOW_MS, outputTokens: 6, seed: 2, models: ['slow-coder'] });
    daemon = await startTestDaemon(simProviderToml('local', 'openai', sim.url, 'models = ["slow-coder"]'), { logLevel: 'warn' });
    client = new OpenAI({ baseURL: `${daemon.url}/v1`, apiKey: daemon.token, maxRetries: 0 });
  });
  after(async () => {
    await daemon?.close();
    await sim?.close();
  });

  const fim = { model: 'slow-coder', prompt: 'def add(a, b):\n    return ', suffix: '\n\nprint(add(1, 2))\n', max_tokens: 6 };

  it('the official client with no editor header waits for a slow model, streamed and not', async () => {
    const started = performance.now();
    const whole = await client.completions.create(fim);
    assert.ok(performance.now() - started >= SLOW_MS - 50, 'the model was slow');
    assert.ok(whole.choices[0]!.text.length > 0);
    assert.equal((sim.requests.at(-1)!.body as { suffix?: string }).suffix, fim.suffix);

    let text = '';
    for await (const chunk of await client.completions.create({ ...fim, stream: true })) text += chunk.choices[0]?.text ?? '';
    assert.ok(text.length > 0);
  });

  it('the editor\'s inline completion keeps the tight deadline', async () => {
    const started = performance.now();
    await assert.rejects(
      client.completions.create(fim, { headers: { [CLIENT_HEADER]: INLINE_COMPLETION_CLIENT } }),
      // A 504 at the deadline; or, once the router has seen this model's first token take longer
      // than the deadline, a 503 at once that says so.
      (error: unknown) =>
        error instanceof OpenAI.APIError &&
        ((error.status === 504 && error.code === 'deadline_exceeded') || (error.status === 503 && /after the deadline \((9\d\d|1000) ms left\)/.test(error.message))),
    );
    const elapsed = performance.now() - started;
    assert.ok(elapsed < SLOW_MS, `gave up at the 1 s deadline, not after the model answered (${Math.round(elapsed)} ms)`);
  });

  it('an unknown client name is refused rather than guessed', async () => {
    await assert.rejects(
      client.completions.create(fim, { headers: { 'X-Switchyard-Client': 'emacs' } }),
      (error: unknown) => error instanceof OpenAI.BadRequestError && /vscode-inline/.test(error.message),
    );
  });
});
