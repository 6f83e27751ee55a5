import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StreamEvent } from '../../../shared/gateway';
import type { GatewayResult } from '../../../daemon/core/pipeline';
import { readCompletionText } from '../../../daemon/completion/read-completion-text';

const servedBy = { provider: 'p', model: 'm', attempts: 1, cache: 'MISS' as const };

/** A stream of the given pieces that records how far it was read and whether it was left early. */
function stream(pieces: string[]) {
  const seen = { read: 0, leftEarly: false };
  async function* events(): AsyncGenerator<StreamEvent> {
    let finished = false;
    try {
      for (const text of pieces) {
        seen.read++;
        yield { type: 'text', text };
      }
      finished = true;
      yield { type: 'end', finishReason: 'stop' };
    } finally {
      if (!finished) seen.leftEarly = true;
    }
  }
  const result: GatewayResult = { type: 'stream', events: events(), servedBy };
  return { result, seen };
}

describe('reading a completion', () => {
  it('reads a stream to its end (so the cache can keep it)', async () => {
    const { result, seen } = stream(['a', 'b\n', 'c']);
    assert.equal(await readCompletionText(result), 'ab\nc');
    assert.deepEqual(seen, { read: 3, leftEarly: false });
  });

  it('stops at the line break after which the rest is not wanted, leaving the stream (which aborts the upstream)', async () => {
    const { result, seen } = stream(['one\n', 'two\n', 'three\n', 'four\n']);
    const text = await readCompletionText(result, (sofar) => sofar.split('\n').length > 2);
    assert.equal(text, 'one\ntwo\n');
    assert.deepEqual(seen, { read: 2, leftEarly: true });
  });

  it('takes a whole response as it is', async () => {
    const response = { id: 'r', model: 'm', created: 0, text: 'x\ny', finishReason: 'stop' as const, usage: { promptTokens: 1, completionTokens: 1 } };
    assert.equal(await readCompletionText({ type: 'response', response, servedBy }, () => true), 'x\ny');
  });
});
