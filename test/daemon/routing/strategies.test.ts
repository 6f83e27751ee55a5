import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CandidateStats } from '../../../daemon/routing/candidate-stats';
import {
  createSelectionState,
  selectCheapest,
  selectLeastBusy,
  selectLocalFirst,
  selectLowestLatency,
  selectPriority,
  selectRoundRobin,
  selectWeighted,
  weightedOrder,
  type Eligibility,
  type SelectableCandidate,
  type SelectionInput,
  type Strategy,
} from '../../../daemon/routing/strategies';

function candidate(key: string, extra: Partial<Omit<SelectableCandidate, 'stats'>> = {}): SelectableCandidate {
  return { stats: new CandidateStats(key), weight: 1, capacity: 1, local: true, pricePerMTok: 0, ...extra };
}

const input: SelectionInput = { streamed: true, now: 1_000, exploreAfterMs: 30_000 };
const all = (_n: number): Eligibility => () => true;
/** Eligibility from 1/0 flags, one per candidate. */
const mask = (...flags: number[]): Eligibility => (i) => flags[i] === 1;

function sequence(strategy: Strategy, candidates: SelectableCandidate[], count: number, eligible = all(candidates.length)): number[] {
  const state = createSelectionState(candidates);
  return Array.from({ length: count }, () => strategy(candidates, eligible, state, input));
}

describe('strategies', () => {
  it('priority takes the first eligible candidate', () => {
    const list = [candidate('a'), candidate('b'), candidate('c')];
    assert.deepEqual(sequence(selectPriority, list, 3), [0, 0, 0]);
    assert.deepEqual(sequence(selectPriority, list, 2, mask(0, 0, 1)), [2, 2]);
    assert.equal(selectPriority(list, mask(0, 0, 0), createSelectionState(list), input), -1);
  });

  it('round-robin rotates and skips ineligible candidates', () => {
    const list = [candidate('a'), candidate('b'), candidate('c')];
    assert.deepEqual(sequence(selectRoundRobin, list, 6), [0, 1, 2, 0, 1, 2]);
    assert.deepEqual(sequence(selectRoundRobin, list, 4, mask(1, 0, 1)), [0, 2, 2, 0]);
  });

  it('weighted gives each candidate its share, interleaved', () => {
    const list = [candidate('a', { weight: 5 }), candidate('b', { weight: 1 }), candidate('c', { weight: 1 })];
    const picks = sequence(selectWeighted, list, 70);
    const counts = [0, 0, 0];
    for (const pick of picks) counts[pick]!++;
    assert.deepEqual(counts, [50, 10, 10]);
    // smooth: the heavy candidate never takes more than its share in a row
    assert.deepEqual(picks.slice(0, 7).sort(), [0, 0, 0, 0, 0, 1, 2]);
  });

  it('weighted redistributes when a candidate is ineligible', () => {
    const list = [candidate('a', { weight: 3 }), candidate('b', { weight: 1 })];
    assert.deepEqual(sequence(selectWeighted, list, 4, mask(0, 1)), [1, 1, 1, 1]);
  });

  it('lowest-latency picks the smallest moving average of TTFT and measures unknown candidates first', () => {
    const list = [candidate('a'), candidate('b')];
    assert.equal(selectLowestLatency(list, all(2), createSelectionState(list), input), 0);
    list[0]!.stats.recordFirstAnswer(300, true, 1_000);
    assert.equal(selectLowestLatency(list, all(2), createSelectionState(list), input), 1, 'b has no figure yet');
    list[1]!.stats.recordFirstAnswer(100, true, 1_000);
    assert.equal(selectLowestLatency(list, all(2), createSelectionState(list), input), 1);
  });

  it('lowest-latency moves to the other candidate within a few requests after latencies change', () => {
    const list = [candidate('a'), candidate('b')];
    list[0]!.stats.recordFirstAnswer(50, true, 1_000);
    list[1]!.stats.recordFirstAnswer(150, true, 1_000);
    const state = createSelectionState(list);
    let switchedAfter = -1;
    for (let request = 0; request < 20; request++) {
      const pick = selectLowestLatency(list, all(2), state, input);
      if (pick === 1) {
        switchedAfter = request;
        break;
      }
      list[pick]!.stats.recordFirstAnswer(400, true, 1_000); // a became slow
    }
    assert.ok(switchedAfter > 0 && switchedAfter <= 3, `switched after ${switchedAfter} requests`);
  });

  it('lowest-latency never divides by token counts: non-streamed figures are end-to-end', () => {
    const list = [candidate('a'), candidate('b')];
    list[0]!.stats.recordFirstAnswer(2_000, false, 1_000); // long answer, fast per token: still 2 s for the user
    list[1]!.stats.recordFirstAnswer(500, false, 1_000);
    assert.equal(selectLowestLatency(list, all(2), createSelectionState(list), { ...input, streamed: false }), 1);
  });

  it('lowest-latency re-measures a candidate whose figure is stale', () => {
    const list = [candidate('a'), candidate('b')];
    list[0]!.stats.recordFirstAnswer(900, true, 0);
    list[1]!.stats.recordFirstAnswer(100, true, 40_000);
    assert.equal(selectLowestLatency(list, all(2), createSelectionState(list), { ...input, now: 40_000 }), 0);
  });

  it('least-busy goes by in-flight count relative to capacity', () => {
    const list = [candidate('a', { capacity: 4 }), candidate('b', { capacity: 1 })];
    list[0]!.stats.inFlight = 2; // half busy
    list[1]!.stats.inFlight = 1; // full
    assert.equal(selectLeastBusy(list, all(2), createSelectionState(list), input), 0);
    list[0]!.stats.inFlight = 4;
    list[1]!.stats.inFlight = 0;
    assert.equal(selectLeastBusy(list, all(2), createSelectionState(list), input), 1);
  });

  it('least-busy spreads an idle route by rotating ties', () => {
    const list = [candidate('a'), candidate('b'), candidate('c')];
    assert.deepEqual(sequence(selectLeastBusy, list, 3).sort(), [0, 1, 2]);
  });

  it('cheapest picks the lowest price, local at $0', () => {
    const list = [candidate('cloud-a', { local: false, pricePerMTok: 10 }), candidate('cloud-b', { local: false, pricePerMTok: 0.5 }), candidate('local', { pricePerMTok: 0 })];
    assert.equal(selectCheapest(list, all(3), createSelectionState(list), input), 2);
    assert.equal(selectCheapest(list, mask(1, 1, 0), createSelectionState(list), input), 1);
  });

  it('local-first takes a local candidate over an earlier cloud one, and cloud only when no local one is eligible', () => {
    const list = [candidate('cloud', { local: false }), candidate('local-a'), candidate('local-b')];
    assert.deepEqual(sequence(selectLocalFirst, list, 3), [1, 1, 1]);
    assert.equal(selectLocalFirst(list, mask(1, 0, 1), createSelectionState(list), input), 2);
    assert.equal(selectLocalFirst(list, mask(1, 0, 0), createSelectionState(list), input), 0);
    assert.equal(selectLocalFirst(list, mask(0, 0, 0), createSelectionState(list), input), -1);
  });
});

describe('weighted order', () => {
  it('is one period of smooth weighted round-robin, reduced and interleaved', () => {
    assert.deepEqual([...weightedOrder([3, 1])], [0, 0, 1, 0]);
    const order = [...weightedOrder([6, 2])];
    assert.equal(order.length, 4, 'weights 6:2 reduce to 3:1');
    assert.equal(order.filter((i) => i === 0).length, 3);
    assert.deepEqual([...weightedOrder([1, 1, 1])], [0, 1, 2]);
  });

  it('keeps fractional ratios and bounds the period', () => {
    const order = [...weightedOrder([0.5, 1.5])];
    assert.equal(order.filter((i) => i === 1).length, 3 * order.filter((i) => i === 0).length);
    const huge = weightedOrder([1, 1e9]);
    assert.ok(huge.length <= 10_001);
    assert.ok([...huge].includes(0), 'every candidate keeps a slot');
  });
});
