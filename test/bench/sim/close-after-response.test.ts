/**
 * The close-after-response mode: keep-alive advertised, the connection closed after each
 * response anyway, and a request sent on it meanwhile never answered, so a pooling client sees
 * the connection closed before any response byte.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Pool } from 'undici';
import { startSimulator, type Simulator } from '../../../bench/sim/index';
import { parseSimFlags } from '../../../bench/sim/cli';
import { chatBody } from './sim-helpers';

describe('close-after-response mode', () => {
  let sim: Simulator;
  before(async () => {
    // Long enough that the next request surely lands before the close, on a busy machine too.
    sim = await startSimulator({ outputTokens: 3, closeAfterResponseMs: 400 });
  });
  after(() => sim.close());

  async function send(pool: Pool, stream: boolean) {
    const response = await pool.request({ method: 'POST', path: '/v1/chat/completions', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...chatBody('hi'), stream }) });
    await response.body.text();
    return response;
  }

  it('advertises keep-alive, then fails the next request on the same connection before any response byte', async () => {
    for (const stream of [true, false]) {
      const pool = new Pool(sim.url, { connections: 1 });
      try {
        sim.reset();
        const first = await send(pool, stream);
        assert.equal(first.statusCode, 200);
        assert.equal(first.headers.connection, 'keep-alive');
        assert.equal(first.headers['keep-alive'], 'timeout=5, max=100');
        await assert.rejects(send(pool, stream), (error: NodeJS.ErrnoException) => error.code === 'UND_ERR_SOCKET' && /other side closed/.test(error.message));
        assert.equal(sim.stats().received, 1, 'the request on the closing connection was never read');
        assert.equal(sim.stats().refused, 1);
        // The pool opens a fresh connection for the next one.
        assert.equal((await send(pool, stream)).statusCode, 200);
      } finally {
        await pool.close();
      }
    }
  });

  it('without the mode, the same connection serves request after request', async () => {
    const plain = await startSimulator({ outputTokens: 3 });
    const pool = new Pool(plain.url, { connections: 1 });
    try {
      for (let i = 0; i < 3; i++) assert.equal((await send(pool, true)).statusCode, 200);
    } finally {
      await pool.close();
      await plain.close();
    }
  });

  it('is a flag of `switchyard sim`, and a configure option checked like the others', () => {
    assert.deepEqual(parseSimFlags(['--close-after-response-ms', '2']), { closeAfterResponseMs: 2 });
    assert.throws(() => sim.configure({ closeAfterResponseMs: -1 }), /closeAfterResponseMs must be a number >= 0/);
  });
});
