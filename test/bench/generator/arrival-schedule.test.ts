import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arrivalSchedule, type ArrivalPlan } from '../../../bench/generator/arrival-schedule';
import { seededRandom } from '../../../bench/generator/rng';

function times(plan: ArrivalPlan, seed = 1): number[] {
  const next = arrivalSchedule(plan, seededRandom(seed));
  const out: number[] = [];
  for (let t = next(); t !== null; t = next()) out.push(t);
  return out;
}

test('uniform arrivals at a fixed rate are evenly spaced from the start', () => {
  const t = times({ startRate: 50, stages: [{ durationSec: 2, target: 50 }], arrivals: 'uniform' });
  assert.equal(t.length, 100);
  assert.equal(t[0], 0);
  assert.ok(Math.abs(t[1]! - 20) < 1e-9 && Math.abs(t[99]! - 1980) < 1e-6);
});

test('Poisson arrivals average the rate, repeat for a seed and differ across seeds', () => {
  const plan: ArrivalPlan = { startRate: 200, stages: [{ durationSec: 20, target: 200 }], arrivals: 'poisson' };
  const a = times(plan, 7);
  assert.ok(Math.abs(a.length - 4000) < 4000 * 0.05, `${a.length} arrivals`);
  assert.deepEqual(times(plan, 7), a);
  assert.notDeepEqual(times(plan, 8).slice(0, 10), a.slice(0, 10));
  const gaps = a.slice(1).map((x, i) => x - a[i]!);
  const cv = Math.sqrt(gaps.reduce((s, g) => s + (g - 5) ** 2, 0) / gaps.length) / 5;
  assert.ok(cv > 0.85 && cv < 1.15, `exponential gaps have a coefficient of variation near 1 (${cv})`);
});

test('a ramp through stages sends the integrated count, denser where the rate is higher', () => {
  const t = times({ startRate: 0, stages: [{ durationSec: 10, target: 100 }, { durationSec: 10, target: 100 }, { durationSec: 10, target: 0 }], arrivals: 'uniform' });
  assert.ok(Math.abs(t.length - 2000) <= 1, `${t.length}`);
  const inFirstHalfOfRamp = t.filter((x) => x < 5000).length;
  assert.ok(Math.abs(inFirstHalfOfRamp - 125) <= 2, `${inFirstHalfOfRamp} in the first 5 s (¼ of the ramp's 500)`);
});

test('maxArrivals caps the schedule', () => {
  assert.equal(times({ startRate: 1000, stages: [{ durationSec: 10, target: 1000 }], arrivals: 'uniform', maxArrivals: 25 }).length, 25);
});
