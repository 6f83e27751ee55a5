import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { frameBatches } from '../../../daemon/http/frame-batches';

test('the first frame goes out alone; later frames ready together go out as one chunk; a frame that waits is not held back', async () => {
  let pauseOver = false;
  async function* frames(): AsyncGenerator<string> {
    // One upstream read with four tokens, then a pause, then the last two.
    for (const frame of ['data: a\n\n', 'data: b\n\n', 'data: c\n\n', 'data: c2\n\n']) yield frame;
    await sleep(30);
    pauseOver = true;
    yield 'data: d\n\n';
    yield 'data: [DONE]\n\n';
  }
  const chunks: Array<{ text: string; afterPause: boolean }> = [];
  for await (const chunk of frameBatches(frames())) chunks.push({ text: String(chunk), afterPause: pauseOver });
  assert.deepEqual(chunks, [
    // The first token at once, the rest of its burst together, both while the pause was still going on.
    { text: 'data: a\n\n', afterPause: false },
    { text: 'data: b\n\ndata: c\n\ndata: c2\n\n', afterPause: false },
    { text: 'data: d\n\ndata: [DONE]\n\n', afterPause: true },
  ]);
});

test('a client that goes away ends the frames (the upstream call stops)', async () => {
  let finished = false;
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
  const stream = frameBatches(endless());
  const first = await new Promise<string>((resolve) => stream.once('data', (chunk) => resolve(String(chunk))));
  assert.equal(first, 'data: 0\n\n');
  stream.destroy();
  await new Promise((resolve) => stream.once('close', resolve));
  assert.equal(finished, true);
});

test('a failure inside the frames destroys the stream with it', async () => {
  async function* failing(): AsyncGenerator<string> {
    yield 'data: a\n\n';
    await sleep(5);
    throw new Error('upstream reset');
  }
  const received: string[] = [];
  await assert.rejects(async () => {
    for await (const chunk of frameBatches(failing())) received.push(String(chunk));
  }, /upstream reset/);
  assert.deepEqual(received, ['data: a\n\n']);
});
