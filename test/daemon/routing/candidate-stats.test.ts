import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CandidateStats } from '../../../daemon/routing/candidate-stats';

describe('candidate stats', () => {
  it('keeps separate moving averages for streamed TTFT and non-streamed latency', () => {
    const stats = new CandidateStats('p/m', 0.5);
    assert.ok(Number.isNaN(stats.expectedFirstAnswerMs(true)));
    stats.recordFirstAnswer(100, true, 0);
    stats.recordFirstAnswer(200, true, 1);
    assert.equal(stats.ttftEwmaMs, 150);
    assert.ok(Number.isNaN(stats.latencyEwmaMs));
    assert.equal(stats.expectedFirstAnswerMs(false), 150, 'falls back to the other measure');
    stats.recordFirstAnswer(1_000, false, 2);
    assert.equal(stats.expectedFirstAnswerMs(false), 1_000);
    assert.equal(stats.lastSampleAt, 2);
  });

  it('estimates p95 from recent samples', () => {
    const stats = new CandidateStats('p/m');
    for (let i = 1; i <= 20; i++) stats.recordFirstAnswer(i * 10, true, i);
    assert.equal(stats.p95FirstAnswerMs(), 190);
    for (let i = 0; i < 40; i++) stats.recordFirstAnswer(5, true, 100 + i); // old samples age out of the ring
    assert.equal(stats.p95FirstAnswerMs(), 5);
  });

  it('reports the error rate over a sliding window', () => {
    const stats = new CandidateStats('p/m');
    assert.equal(stats.errorRate(), 0);
    stats.recordOutcome(true);
    stats.recordOutcome(false);
    assert.equal(stats.errorRate(), 0.5);
    for (let i = 0; i < 60; i++) stats.recordOutcome(false);
    assert.equal(stats.errorRate(), 0);
    assert.equal(stats.failures, 1);
    assert.equal(stats.requests, 62);
  });
});

describe('candidate stats: abandoned attempts', () => {
  it('a lower bound raises the moving average but stays out of the p95', () => {
    const stats = new CandidateStats('p/m', 0.5);
    stats.recordFirstAnswer(20, true, 0);
    stats.recordNoAnswerAfter(100, true, 1);
    assert.equal(stats.ttftEwmaMs, 60);
    stats.recordNoAnswerAfter(30, true, 2); // below the average: says nothing new
    assert.equal(stats.ttftEwmaMs, 60);
    assert.equal(stats.p95FirstAnswerMs(), 20);
    assert.equal(stats.sampleCount(), 1);
  });
});
