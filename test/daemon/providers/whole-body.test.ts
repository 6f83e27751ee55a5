import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Pool } from 'undici';
import { Cancellation } from '../../../daemon/core/cancellation';
import { bodyText, requestWhole, WholeRequestError } from '../../../daemon/providers/whole-body';

describe('a whole response read by a dispatch handler', () => {
  let server: Server;
  let pool: Pool;

  before(async () => {
    server = createServer((request, response) => {
      if (request.url === '/chunks') {
        // Three writes apart in time: the body arrives in several chunks.
        response.writeHead(200, { 'content-type': 'application/json', 'x-upstream': 'sim' });
        response.write('\ufeff{"text":"caf');
        setTimeout(() => response.write('é","n":'), 10);
        setTimeout(() => response.end('1}'), 20);
      } else if (request.url === '/limited') {
        response.writeHead(429, { 'retry-after': '2' });
        response.end('{"error":{"message":"slow down"}}');
      } else {
        // Starts the answer, then goes quiet.
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('{"text":');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    pool = new Pool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
  after(async () => {
    await pool.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('gives the status, the headers and the body joined from its chunks, read as JSON reads it', async () => {
    const response = await requestWhole(pool, { method: 'GET', path: '/chunks' }, new Cancellation());
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['x-upstream'], 'sim');
    assert.deepEqual(JSON.parse(bodyText(response.body)), { text: 'café', n: 1 });
  });

  it('gives an error status with its body and headers', async () => {
    const response = await requestWhole(pool, { method: 'GET', path: '/limited' }, new Cancellation());
    assert.equal(response.statusCode, 429);
    assert.equal(response.headers['retry-after'], '2');
    assert.match(bodyText(response.body), /slow down/);
  });

  it('an abort part-way fails the request with the signal\'s reason, marked as begun (never sent again)', async () => {
    const cancellation = new Cancellation();
    const reason = new DOMException('The client closed the connection.', 'AbortError');
    setTimeout(() => cancellation.abort(reason), 50);
    const failure = await requestWhole(pool, { method: 'GET', path: '/stalls' }, cancellation).catch((error: unknown) => error);
    assert.ok(failure instanceof WholeRequestError);
    assert.equal(failure.cause, reason);
    assert.equal(failure.responseStarted, true);
  });

  it('a signal aborted before the request is sent fails it at once, not begun', async () => {
    const cancellation = new Cancellation();
    const reason = new DOMException('gone', 'AbortError');
    cancellation.abort(reason);
    const failure = await requestWhole(pool, { method: 'GET', path: '/chunks' }, cancellation).catch((error: unknown) => error);
    assert.ok(failure instanceof WholeRequestError);
    assert.equal(failure.cause, reason);
    assert.equal(failure.responseStarted, false);
  });
});
