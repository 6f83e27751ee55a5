import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { lazyChildLogger } from '../../../daemon/http/lazy-request-logger';

function capture(level = 'info') {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  const logger = pino({ level }, stream);
  let children = 0;
  const child = logger.child.bind(logger);
  (logger as { child: unknown }).child = (...args: Parameters<typeof child>) => {
    children++;
    return child(...args);
  };
  return { logger: logger as unknown as FastifyBaseLogger, lines, children: () => children };
}

describe('the per-request logger', () => {
  it('makes no child logger for a request that logs nothing, or only below the level', () => {
    const { logger, children } = capture('info');
    const requestLog = lazyChildLogger(logger, { reqId: 'r-1' }, {});
    requestLog.debug({ detail: 1 }, 'not written at info');
    requestLog.trace('nor this');
    assert.equal(children(), 0);
    assert.equal(requestLog.level, 'info');
  });

  it('writes a line with the request id when something is logged', async () => {
    const { logger, lines, children } = capture('info');
    const requestLog = lazyChildLogger(logger, { reqId: 'r-2' }, {});
    requestLog.error({ code: 'internal' }, 'request failed');
    requestLog.warn('second line');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(children(), 1);
    assert.deepEqual(
      lines.map((line) => [line.reqId, line.msg, line.code]),
      [
        ['r-2', 'request failed', 'internal'],
        ['r-2', 'second line', undefined],
      ],
    );
  });

  it('follows a level change made on the daemon logger before its first line', async () => {
    const { logger, lines } = capture('info');
    const requestLog = lazyChildLogger(logger, { reqId: 'r-3' }, {});
    logger.level = 'debug';
    requestLog.debug('now written');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(lines.map((line) => line.msg), ['now written']);
  });

  it('a route with a level of its own gets its child at once', () => {
    const { logger, children } = capture('info');
    const requestLog = lazyChildLogger(logger, { reqId: 'r-4' }, { level: 'warn' });
    assert.equal(children(), 1);
    assert.equal(requestLog.level, 'warn');
  });
});
