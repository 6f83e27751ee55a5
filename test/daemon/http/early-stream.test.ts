import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StreamEvent } from '../../../shared/gateway';
import { GatewayError } from '../../../daemon/core/errors';
import type { GatewayResult } from '../../../daemon/core/pipeline';
import { earlyStreamFrames, type EarlyStreamOptions } from '../../../daemon/http/early-stream';

const servedBy = { provider: 'p', model: 'm', attempts: 1, cache: 'MISS' as const };

/** A result that settles after `ms`, as `settle` returns or throws. */
function later(ms: number, settle: () => GatewayResult): Promise<GatewayResult> {
  return new Promise((resolve, reject) => {
    setTimeout(() => {
      try {
        resolve(settle());
      } catch (error) {
        reject(error);
      }
    }, ms);
  });
}

async function* twoTokens(): AsyncGenerator<StreamEvent> {
  yield { type: 'text', text: 'a' };
  yield { type: 'text', text: 'b' };
  yield { type: 'end', finishReason: 'stop' };
}

const options: EarlyStreamOptions = {
  contentType: 'text/event-stream',
  heartbeat: ': waiting\n\n',
  heartbeatMs: 40,
  render: async function* (events) {
    for await (const event of events) yield event.type === 'text' ? `data: ${event.text}\n\n` : 'data: [DONE]\n\n';
  },
  errorFrame: (error) => `data: error ${(error as Error).message}\n\n`,
};

async function collect(frames: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const frame of frames) out.push(frame);
  return out;
}

describe('frames of a stream whose headers went early', () => {
  it('say they are waiting at once and while the wait goes on, then carry the stream', async () => {
    const result = later(190, (): GatewayResult => ({ type: 'stream', events: twoTokens(), servedBy }));
    const frames = await collect(earlyStreamFrames(result, options));
    const heartbeats = frames.filter((frame) => frame === ': waiting\n\n').length;
    assert.ok(heartbeats >= 3, `${heartbeats} heartbeats in 190 ms at 40 ms`);
    assert.deepEqual(frames.slice(heartbeats), ['data: a\n\n', 'data: b\n\n', 'data: [DONE]\n\n']);
  });

  it('end with the error frame when the gateway fails after the headers', async () => {
    const failed = later(10, () => {
      throw new GatewayError('deadlineExceeded', 'too late');
    });
    assert.deepEqual(await collect(earlyStreamFrames(failed, { ...options, heartbeat: undefined })), ['data: error too late\n\n']);
  });

  it('end silently when the client left (a cancellation is not an error)', async () => {
    const cancelled = later(10, () => {
      throw new DOMException('The client closed the connection.', 'AbortError');
    });
    assert.deepEqual(await collect(earlyStreamFrames(cancelled, options)), [': waiting\n\n']);
  });

  it('turn a whole response (a cache hit) into the stream\'s frames', async () => {
    const whole = Promise.resolve<GatewayResult>({
      type: 'response',
      response: { id: 'x', model: 'm', created: 0, text: 'ab', finishReason: 'stop', usage: { promptTokens: 1, completionTokens: 1 } },
      servedBy,
    });
    assert.deepEqual(await collect(earlyStreamFrames(whole, { ...options, heartbeat: undefined })), ['data: ab\n\n', 'data: [DONE]\n\n']);
  });
});
