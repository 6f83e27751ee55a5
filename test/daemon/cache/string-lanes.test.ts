/**
 * A string's lanes are a function of its characters alone: however V8 holds the string, and
 * whatever the memo of short strings held before.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { StringLanes } from '../../../daemon/cache/string-lanes';

/** The lanes of `s` from a fresh reader that remembers nothing and reads by character. */
function freshLanes(s: string): [number, number] {
  const out = new Int32Array(2);
  new StringLanes(out, Number.POSITIVE_INFINITY).read(s);
  return [out[0]!, out[1]!];
}

/**
 * The same characters as V8 builds them in different ways: parsed from JSON (flat; interned
 * when short), joined with `+` (a rope once 13 characters or more), cut with `slice` (a view
 * into a longer string once 13 or more), and flattened again.
 */
function representations(s: string): string[] {
  const half = s.length >> 1;
  const padded = `<${s}>`;
  return [JSON.parse(JSON.stringify(s)) as string, s.slice(0, half) + s.slice(half), padded.slice(1, padded.length - 1), [...s].join('')];
}

// Characters from every range: ASCII, Latin-1, two-byte, and lone surrogates.
const anyText = (maxLength: number) => fc.string({ unit: 'binary', maxLength });
const latin1Text = (maxLength: number) => fc.string({ unit: fc.integer({ min: 0, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength });

describe('string lanes', () => {
  it('are the same for every representation of the same characters, short, remembered, long and copied in bulk', () => {
    const remembering = new Int32Array(2);
    const lanes = new StringLanes(remembering);
    const bulkEverywhere = new Int32Array(2);
    const bulk = new StringLanes(bulkEverywhere, 0);
    fc.assert(
      fc.property(fc.oneof(anyText(40), latin1Text(40), anyText(300), latin1Text(300)), fc.nat({ max: 64 }), (text, place) => {
        const expected = freshLanes(text);
        for (const s of representations(text)) {
          lanes.of(s, place);
          assert.deepEqual([remembering[0], remembering[1]], expected);
          bulk.of(s, place);
          assert.deepEqual([bulkEverywhere[0], bulkEverywhere[1]], expected);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never gives a remembered string\'s lanes for another string that takes its slot', () => {
    const out = new Int32Array(2);
    const lanes = new StringLanes(out);
    // Same length and same place: the same slot, so each one pushes the other out.
    const pairs = fc.tuple(fc.string({ minLength: 1, maxLength: 31 }), fc.string({ minLength: 1, maxLength: 31 }), fc.nat({ max: 100 })).filter(([a, b]) => a.length === b.length && a !== b);
    fc.assert(
      fc.property(pairs, ([first, second, place]) => {
        for (const s of [first, second, first, second, `${first.slice(0, 1)}${first.slice(1)}`]) {
          lanes.of(s, place);
          assert.deepEqual([out[0], out[1]], freshLanes(s), JSON.stringify(s));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('tells apart strings that differ in one character anywhere, or only in length', () => {
    const base = 'message 0 of a short chat turn, and then some more text past the bulk length'.repeat(2);
    const seen = new Set<string>();
    for (let length = 0; length <= base.length; length++) {
      const s = base.slice(0, length);
      seen.add(freshLanes(s).join(','));
      for (const at of [0, length >> 1, length - 1]) {
        if (at < 0 || at >= length) continue;
        const changed = s.slice(0, at) + String.fromCharCode(s.charCodeAt(at) ^ 1) + s.slice(at + 1);
        assert.notDeepEqual(freshLanes(changed), freshLanes(s));
      }
    }
    assert.equal(seen.size, base.length + 1);
  });
});
