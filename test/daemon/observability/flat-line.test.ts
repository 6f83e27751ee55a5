import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import pino from 'pino';
import { writeFlatLine } from '../../../daemon/observability/logger';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: pino({ level: 'debug', base: { pid: 42, name: 'switchyard' } }, stream), lines };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('a flat log line', () => {
  it('has the fields, order and values pino gives the same object, escapes included', async () => {
    const fields = { reqId: 'r-1', model: 'odd "model"\\name\n', status: 200, latencyMs: 5.7, cache: undefined, attempts: 1 };
    const { logger, lines } = capture();
    logger.info(fields, 'request');
    writeFlatLine(logger, 'info', fields, 'request');
    await settle();
    const [fromPino, rendered] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.ok(lines.every((line) => line.endsWith('}\n')));
    assert.equal(typeof rendered!.time, 'number');
    delete fromPino!.time;
    delete rendered!.time;
    assert.deepEqual(Object.entries(rendered!), Object.entries(fromPino!));
  });

  it('is written at the level asked for', async () => {
    const { logger, lines } = capture();
    writeFlatLine(logger, 'debug', { url: '/health' }, 'request');
    writeFlatLine(logger, 'debug', {}, 'no fields');
    await settle();
    assert.equal((JSON.parse(lines[0]!) as { level: number }).level, logger.levels.values.debug);
    assert.equal((JSON.parse(lines[1]!) as { msg: string }).msg, 'no fields');
  });
});
