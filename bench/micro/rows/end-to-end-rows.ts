/**
 * Whole requests through a daemon to the simulated provider, each in its own process (as the
 * main job runs them; the simulator answers at once, so the figures are the gateway's and
 * the loopback's). The client here keeps its connections, as an editor or SDK does, except
 * in the row that opens a new one per request.
 */
import { Client, Pool } from 'undici';
import { startSelfStartedStack } from '../../targets/self-started';
import { END_TO_END_BUDGET_NS, type MicroGroup, type RowBody } from '../micro-row';

const MODEL = 'sim-chat';
const CHAT = JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'Say hello in five words' }], max_tokens: 16 });
const STREAMED = JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'Say hello in five words' }], max_tokens: 16, stream: true });
const LEVELS = [1, 4, 8, 16] as const;
const HOOSH_CONCURRENCY_NS: Record<(typeof LEVELS)[number], number> = { 1: 56_000, 4: 99_000, 8: 212_000, 16: 306_000 };

/** Sends one request and reads the whole body; a status other than 200 fails the row. */
async function exchange(client: Pool | Client, method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: string): Promise<void> {
  const response = await client.request({ method, path, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`${method} ${path}: ${response.statusCode} ${text.slice(0, 200)}`);
}

export const endToEndRows: MicroGroup = {
  title: 'End to end',
  rows: [
    { name: 'end-to-end/health', input: 'GET /health', hooshNs: 51_000, budgetNs: END_TO_END_BUDGET_NS, clock: 'wall' },
    { name: 'end-to-end/list-models', input: 'GET /v1/models', hooshNs: 324_000, budgetNs: END_TO_END_BUDGET_NS, clock: 'wall' },
    { name: 'end-to-end/short-inference-direct', input: 'chat, 16 tokens, to the simulator directly (at 0 ms)', hooshNs: null, budgetNs: null, clock: 'wall' },
    { name: 'end-to-end/short-inference', input: 'the same chat through the gateway (budget: the added time)', hooshNs: null, budgetNs: END_TO_END_BUDGET_NS, clock: 'wall', overheadOf: 'end-to-end/short-inference-direct' },
    { name: 'end-to-end/streamed-inference-direct', input: 'streamed chat, 16 tokens, to the simulator directly, read to [DONE]', hooshNs: null, budgetNs: null, clock: 'wall' },
    { name: 'end-to-end/streamed-inference', input: 'the same stream through the gateway (budget: the added time)', hooshNs: null, budgetNs: END_TO_END_BUDGET_NS, clock: 'wall', overheadOf: 'end-to-end/streamed-inference-direct' },
    { name: 'connection/new-client', input: 'GET /health on a new connection each time', hooshNs: 151_000, budgetNs: END_TO_END_BUDGET_NS, clock: 'wall' },
    { name: 'connection/reused', input: 'GET /health on a kept-alive connection', hooshNs: 52_000, budgetNs: END_TO_END_BUDGET_NS, clock: 'wall' },
    ...LEVELS.map((n) => ({
      name: `concurrency/${n}`,
      input: `${n} GET /health at once, total time`,
      hooshNs: HOOSH_CONCURRENCY_NS[n],
      budgetNs: END_TO_END_BUDGET_NS,
      requestsPerSample: n,
      clock: 'wall' as const,
    })),
  ],
  async open() {
    const stack = await startSelfStartedStack({ latencyMs: 0, outputTokens: 16 }, [MODEL], 1);
    const daemon = new Pool(stack.daemonUrl, { connections: 16, pipelining: 1 });
    const sim = new Pool(stack.simUrl, { connections: 1 });
    const auth = { authorization: `Bearer ${stack.token}` };
    const json = { ...auth, 'content-type': 'application/json' };
    const bodies: Record<string, RowBody> = {
      'end-to-end/health': () => exchange(daemon, 'GET', '/health', {}),
      'end-to-end/list-models': () => exchange(daemon, 'GET', '/v1/models', auth),
      'end-to-end/short-inference': () => exchange(daemon, 'POST', '/v1/chat/completions', json, CHAT),
      'end-to-end/short-inference-direct': () => exchange(sim, 'POST', '/v1/chat/completions', { 'content-type': 'application/json' }, CHAT),
      'end-to-end/streamed-inference': () => exchange(daemon, 'POST', '/v1/chat/completions', json, STREAMED),
      'end-to-end/streamed-inference-direct': () => exchange(sim, 'POST', '/v1/chat/completions', { 'content-type': 'application/json' }, STREAMED),
      'connection/new-client': async () => {
        const client = new Client(stack.daemonUrl);
        try {
          await exchange(client, 'GET', '/health', {});
        } finally {
          await client.close();
        }
      },
      'connection/reused': () => exchange(daemon, 'GET', '/health', {}),
    };
    for (const n of LEVELS) bodies[`concurrency/${n}`] = () => Promise.all(Array.from({ length: n }, () => exchange(daemon, 'GET', '/health', {})));
    return {
      bodies,
      async close() {
        await Promise.all([daemon.close(), sim.close()]);
        await stack.close();
      },
    };
  },
};
