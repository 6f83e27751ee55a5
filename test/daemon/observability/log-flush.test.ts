/**
 * The daemon's log is buffered (a write call per 4 KiB, not per request line), but a quiet
 * daemon's lines must still reach the log file soon: the one request someone is watching for,
 * a warning about a provider. Checked with the real buffered destination writing to a file.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import pino from 'pino';
import { LOG_FLUSH_WITHIN_MS, flushedWithin } from '../../../daemon/observability/logger';

const dir = mkdtempSync(join(tmpdir(), 'switchyard-log-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function bufferedFile(name: string) {
  const path = join(dir, name);
  const destination = pino.destination({ dest: path, sync: false, minLength: 4096 });
  return { path, destination, read: () => readFileSync(path, 'utf8') };
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the buffered log', () => {
  it('a single line reaches the file within the flush delay, though the buffer is far from full', async () => {
    const { path, destination, read } = bufferedFile('one-line.log');
    await new Promise((resolve) => destination.once('ready', resolve));
    const logger = pino({ base: null }, flushedWithin(destination, LOG_FLUSH_WITHIN_MS));
    logger.warn({ provider: 'ollama' }, 'the provider stopped answering');
    assert.equal(read(), '', 'still buffered right after the line');
    await settle(LOG_FLUSH_WITHIN_MS + 300);
    assert.match(read(), /the provider stopped answering/, `nothing in ${path}`);
    destination.end();
  });

  it('without it, the same line stays in memory: the reason for the timer', async () => {
    const { destination, read } = bufferedFile('plain.log');
    await new Promise((resolve) => destination.once('ready', resolve));
    const logger = pino({ base: null }, destination);
    logger.warn('held back');
    await settle(LOG_FLUSH_WITHIN_MS + 300);
    assert.equal(read(), '');
    destination.flushSync();
    assert.match(read(), /held back/);
    destination.end();
  });

  it('every line of a burst arrives, and flush() (as on close) writes what waits at once', async () => {
    const { destination, read } = bufferedFile('many.log');
    await new Promise((resolve) => destination.once('ready', resolve));
    const stream = flushedWithin(destination, 60_000);
    const logger = pino({ base: null }, stream);
    for (let i = 0; i < 500; i++) logger.info({ i }, 'request');
    logger.info('last');
    await new Promise<void>((resolve, reject) => stream.flush((error) => (error ? reject(error) : resolve())));
    const lines = read().split('\n').filter(Boolean);
    assert.equal(lines.length, 501);
    assert.match(lines.at(-1)!, /"msg":"last"/);
    destination.end();
  });
});
