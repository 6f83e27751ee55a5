import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { writeFrames, type FrameSink } from '../../../daemon/http/frame-writer';

/** A response stand-in that records each write the writer makes, and what the socket below it received. */
class RecordingSink extends Writable {
  readonly writes: string[] = [];
  endedWith: string | undefined;
  headersFlushed = false;
  constructor(private readonly writeDelayMs = 0, highWaterMark = 16 * 1024) {
    super({ highWaterMark, decodeStrings: false });
  }
  override write(chunk: unknown): boolean {
    this.writes.push(String(chunk));
    return super.write(chunk as string);
  }
  override _write(_chunk: unknown, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.writeDelayMs === 0) callback();
    else setTimeout(callback, this.writeDelayMs);
  }
  override end(chunk?: unknown): this {
    if (chunk !== undefined) this.endedWith = String(chunk);
    return chunk === undefined ? super.end() : super.end(chunk as string);
  }
  flushHeaders(): void {
    this.headersFlushed = true;
  }
}

function sinkOf(recording: RecordingSink): FrameSink {
  return recording as unknown as FrameSink;
}

test('the first frame is written alone; later frames ready together are written once; a frame that waits is not held back', async () => {
  let pauseOver = false;
  const writesBeforePause: string[][] = [];
  const sink = new RecordingSink();
  async function* frames(): AsyncGenerator<string> {
    // One upstream read with four tokens, then a pause, then the last two.
    for (const frame of ['data: a\n\n', 'data: b\n\n', 'data: c\n\n', 'data: c2\n\n']) yield frame;
    await sleep(30);
    writesBeforePause.push([...sink.writes]);
    pauseOver = true;
    yield 'data: d\n\n';
    yield 'data: [DONE]\n\n';
    // An upstream body's end is seen a tick after its last event.
    await new Promise((resolve) => process.nextTick(resolve));
  }
  await writeFrames(sinkOf(sink), frames());
  assert.equal(pauseOver, true);
  // The first token at once, the rest of its burst together, both before the pause ended.
  assert.deepEqual(writesBeforePause, [['data: a\n\n', 'data: b\n\ndata: c\n\ndata: c2\n\n']]);
  assert.deepEqual(sink.writes, ['data: a\n\n', 'data: b\n\ndata: c\n\ndata: c2\n\n']);
  // The last burst goes with the end of the response, in one write.
  assert.equal(sink.endedWith, 'data: d\n\ndata: [DONE]\n\n');
  assert.equal(sink.writableEnded, true);
  assert.equal(sink.headersFlushed, false);
});

test('over HTTP, the first frame leaves for the socket before the rest of its burst is rendered', async (t) => {
  // Node corks a response's socket on each write until the next tick, which comes only after
  // every promise job of the burst: the writer must not leave the first frame held in it.
  const heldWhenRendering: Array<{ corked: number; buffered: number }> = [];
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    async function* frames(): AsyncGenerator<string> {
      yield 'data: first\n\n';
      // Still the same burst: no turn of the event loop has passed.
      heldWhenRendering.push({ corked: response.socket!.writableCorked, buffered: response.socket!.writableLength });
      yield 'data: second\n\n';
    }
    void writeFrames(response, frames());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const { port } = server.address() as AddressInfo;
  const body = await (await fetch(`http://127.0.0.1:${port}/`)).text();
  assert.equal(body, 'data: first\n\ndata: second\n\n');
  assert.deepEqual(heldWhenRendering, [{ corked: 0, buffered: 0 }]);
});

test('headers can be sent before any frame', async () => {
  const sink = new RecordingSink();
  async function* frames(): AsyncGenerator<string> {
    yield '{"done":true}\n';
  }
  await writeFrames(sinkOf(sink), frames(), { headersNow: true });
  assert.equal(sink.headersFlushed, true);
});

test('a client that goes away ends the frames (the generator chain is returned)', async () => {
  let finished = false;
  const sink = new RecordingSink();
  async function* endless(): AsyncGenerator<string> {
    try {
      for (let i = 0; ; i++) {
        yield `data: ${i}\n\n`;
        await sleep(5);
      }
    } finally {
      finished = true;
    }
  }
  const writing = writeFrames(sinkOf(sink), endless());
  await sleep(20);
  sink.destroy();
  await writing;
  assert.equal(finished, true);
  assert.equal(sink.writes[0], 'data: 0\n\n');
});

test('while the socket is full no further frame is pulled', async () => {
  // Each write takes 10 ms to leave; the buffer holds one frame.
  const sink = new RecordingSink(10, 1);
  let produced = 0;
  const aheadOfSocket: number[] = [];
  async function* frames(): AsyncGenerator<string> {
    for (let i = 0; i < 12; i++) {
      produced++;
      aheadOfSocket.push(produced - sink.writes.length);
      yield `data: ${i}\n\n`;
      // Each frame its own burst.
      await nextTurn();
    }
  }
  await writeFrames(sinkOf(sink), frames());
  assert.equal(produced, 12);
  // Without backpressure the producer would run all 12 frames ahead in a few turns.
  assert.ok(Math.max(...aheadOfSocket) <= 2, `frames produced ahead of the writes: ${aheadOfSocket.join(',')}`);
});

test('a failure inside the frames destroys the response with it', async () => {
  const sink = new RecordingSink();
  const destroyed = new Promise<Error | undefined>((resolve) => sink.once('error', resolve));
  async function* failing(): AsyncGenerator<string> {
    yield 'data: a\n\n';
    await sleep(5);
    throw new Error('upstream reset');
  }
  await writeFrames(sinkOf(sink), failing());
  assert.match(String(await destroyed), /upstream reset/);
  assert.equal(sink.destroyed, true);
  assert.equal(sink.writableEnded, false);
});
