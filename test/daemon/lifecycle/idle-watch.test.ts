import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { watchIdle } from '../../../daemon/lifecycle/idle-watch';

describe('idle watch', () => {
  it('fires after the idle period with no traffic, and not while requests keep coming', async () => {
    const counters = { inFlight: 0, served: 0 };
    let fired = 0;
    const busy = setInterval(() => counters.served++, 20);
    const watch = watchIdle(counters, 200, () => fired++);
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.equal(fired, 0, 'traffic keeps the daemon up');
    clearInterval(busy);
    counters.inFlight = 1;
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.equal(fired, 0, 'a request in flight keeps the daemon up');
    counters.inFlight = 0;
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(fired, 1);
    watch.stop();
  });
});
