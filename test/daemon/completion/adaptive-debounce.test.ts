import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AdaptiveDebounce } from '../../../daemon/completion/adaptive-debounce';

const bounds = { debounceMinMs: 10, debounceMaxMs: 300 };

function typing(debounce: AdaptiveDebounce, clock: { now: number }, gapMs: number, keystrokes: number): void {
  for (let i = 0; i < keystrokes; i++) {
    clock.now += gapMs;
    debounce.noteRequest();
  }
}

describe('adaptive debounce', () => {
  it('waits the minimum before anything is measured', () => {
    assert.equal(new AdaptiveDebounce().delayMs('r', bounds), 10);
  });

  it('does not wait for a model that answers at once', () => {
    const clock = { now: 0 };
    const debounce = new AdaptiveDebounce(() => clock.now);
    typing(debounce, clock, 120, 10);
    debounce.noteLatency('fast', 5);
    assert.equal(debounce.delayMs('fast', bounds), 10);
  });

  it('for a slow model, waits a little longer than the user’s typing interval', () => {
    const clock = { now: 0 };
    const debounce = new AdaptiveDebounce(() => clock.now);
    typing(debounce, clock, 100, 20);
    debounce.noteLatency('slow', 800);
    const delay = debounce.delayMs('slow', bounds);
    assert.ok(delay > 100 && delay < 150, `delay ${delay}`);
    // A faster typist gets a shorter wait.
    typing(debounce, clock, 50, 40);
    assert.ok(debounce.delayMs('slow', bounds) < delay);
  });

  it('never waits more than a share of the model’s latency, nor outside the bounds', () => {
    const clock = { now: 0 };
    const debounce = new AdaptiveDebounce(() => clock.now);
    typing(debounce, clock, 400, 10);
    debounce.noteLatency('medium', 100);
    assert.equal(debounce.delayMs('medium', bounds), 50);
    debounce.noteLatency('glacial', 60_000);
    assert.equal(debounce.delayMs('glacial', bounds), 300);
  });

  it('leaves pauses out of the typing interval', () => {
    const clock = { now: 0 };
    const debounce = new AdaptiveDebounce(() => clock.now);
    typing(debounce, clock, 100, 10);
    typing(debounce, clock, 5_000, 3);
    assert.ok(Math.abs(debounce.typingIntervalMs! - 100) < 1e-9);
  });
});
