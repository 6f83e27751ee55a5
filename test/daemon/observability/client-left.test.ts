/**
 * A request whose client closes the connection before the response has finished (a user who
 * stops an answer, an editor that drops a stale completion) still writes its one request line
 * and counts in the requests metric: with the status it was sent, or 499 ("client closed
 * request") when it left before any. Fastify runs `onResponse` only for finished responses, so
 * without this such requests were in neither.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulator } from '../../../bench/sim/index';
import type { Simulator } from '../../../bench/sim/contract';
import { streamAndLeaveAfterFirstToken } from '../../helpers/leave-stream';
import { simProviderToml, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon';

type Line = Record<string, unknown>;

describe('a client that leaves before the response ends', () => {
  let slowStream: Simulator;
  let slowAnswer: Simulator;
  let daemon: TestDaemon;

  before(async () => {
    // 40 tokens a second: a 60-token answer takes 1.5 s to stream.
    slowStream = await startSimulator({ latencyMs: 1, ttftMs: 5, tokensPerSecond: 40, outputTokens: 60, models: ['sim-chat'] });
    // A whole answer after 1.5 s: the client leaves long before any byte of the response.
    slowAnswer = await startSimulator({ latencyMs: 1_500, models: ['slow-chat'] });
    daemon = await startTestDaemon(
      `${simProviderToml('streaming', 'openai', slowStream.url, 'models = ["sim-chat"]')}\n${simProviderToml('answering', 'openai', slowAnswer.url, 'models = ["slow-chat"]')}\n`,
      { logLevel: 'info' },
    );
  });
  after(async () => {
    await daemon?.close();
    await slowStream?.close();
    await slowAnswer?.close();
  });

  async function post(body: unknown): Promise<Response> {
    return fetch(`${daemon.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...daemon.auth, 'content-type': 'application/json', 'x-switchyard-cache': 'off' },
      body: JSON.stringify(body),
    });
  }

  async function requestLine(id: string): Promise<Line> {
    for (let i = 0; i < 100; i++) {
      const line = daemon
        .logs()
        .split('\n')
        .filter(Boolean)
        .map((text) => JSON.parse(text) as Line)
        .find((candidate) => candidate.msg === 'request' && candidate.reqId === id);
      if (line !== undefined) return line;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no request line for ${id}`);
  }

  async function requestsCounted(status: string): Promise<number> {
    const text = await (await fetch(`${daemon.url}/metrics`, { headers: daemon.auth })).text();
    const match = text.match(new RegExp(`^switchyard_http_requests_total\\{door="openai",status="${status}"\\} (\\d+)$`, 'm'));
    return match === null ? 0 : Number(match[1]);
  }

  it('mid-stream: one line with the status it was sent (200) and clientLeft, and the request counted', async () => {
    const countedBefore = await requestsCounted('200');
    const response = await streamAndLeaveAfterFirstToken(`${daemon.url}/v1/chat/completions`, { ...daemon.auth, 'x-switchyard-cache': 'off' }, {
      model: 'sim-chat',
      stream: true,
      max_tokens: 60,
      messages: [{ role: 'user', content: 'a long answer' }],
    });
    const id = response.headers.get('x-request-id')!;

    const line = await requestLine(id);
    assert.equal(line.status, 200);
    assert.equal(line.clientLeft, true);
    assert.equal(line.provider, 'streaming');
    assert.equal(typeof line.latencyMs, 'number');
    assert.ok((line.latencyMs as number) < 1_500, `logged when the client left, not when the answer would have ended (${String(line.latencyMs)} ms)`);
    assert.equal(await requestsCounted('200'), countedBefore + 1);
  });

  it('before any response: one line with status 499 and clientLeft, counted as 499', async () => {
    const leave = new AbortController();
    const id = 'left-before-the-answer';
    const pending = fetch(`${daemon.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...daemon.auth, 'content-type': 'application/json', 'x-request-id': id },
      body: JSON.stringify({ model: 'slow-chat', messages: [{ role: 'user', content: 'take your time' }] }),
      signal: leave.signal,
    });
    setTimeout(() => leave.abort(), 100);
    await assert.rejects(pending);

    const line = await requestLine(id);
    assert.equal(line.status, 499);
    assert.equal(line.clientLeft, true);
    assert.ok((line.latencyMs as number) < 1_500, `logged when the client left (${String(line.latencyMs)} ms)`);
    assert.equal(await requestsCounted('499'), 1);
  });

  it('a request that finishes writes one line, without clientLeft', async () => {
    const response = await post({ model: 'sim-chat', max_tokens: 2, messages: [{ role: 'user', content: 'short' }] });
    assert.equal(response.status, 200);
    await response.text();
    const line = await requestLine(response.headers.get('x-request-id')!);
    assert.equal(line.status, 200);
    assert.equal('clientLeft' in line, false);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const lines = daemon.logs().split('\n').filter((text) => text.includes(`"reqId":"${response.headers.get('x-request-id')!}"`) && text.includes('"msg":"request"'));
    assert.equal(lines.length, 1, 'one line, not one from onResponse and one from close');
  });
});
