import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cursorWindow } from '../../../daemon/completion/cursor-window';

const limits = { maxPrefixChars: 400, maxSuffixChars: 120, stepChars: 128 };
/** Numbered lines of code, 29 characters each. */
const lines = (count: number, from = 0) => Array.from({ length: count }, (_, i) => `const value${String(i + from).padStart(4, '0')} = compute();\n`).join('');

describe('cursor window', () => {
  it('takes the whole text around the cursor when it is short', () => {
    const text = 'function add(a, b) {\n  return \n}\n';
    const window = cursorWindow(text, text.indexOf('return ') + 7, limits);
    assert.equal(window.prefix, 'function add(a, b) {\n  return ');
    assert.equal(window.suffix, '\n}\n');
    assert.equal(window.linePrefix, '  return ');
    assert.equal(window.lineSuffix, '');
  });

  it('starts the prefix at a line start and ends the suffix at a line end, within the limits', () => {
    const text = lines(100);
    const cursor = text.length / 2 + 6;
    const window = cursorWindow(text, cursor, limits);
    assert.ok(window.prefix.length <= limits.maxPrefixChars);
    assert.ok(window.suffix.length <= limits.maxSuffixChars);
    assert.equal(text[window.startOffset - 1], '\n');
    assert.ok(window.suffix.endsWith('\n'));
    assert.equal(text.slice(window.startOffset, cursor), window.prefix);
  });

  it('keeps the same start while the user types, moving only in steps', () => {
    let text = lines(100);
    let cursor = 1500;
    const starts = new Set<number>();
    const suffixes = new Set<string>();
    for (let typed = 0; typed < 300; typed++) {
      text = text.slice(0, cursor) + 'x' + text.slice(cursor);
      cursor++;
      const window = cursorWindow(text, cursor, limits);
      starts.add(window.startOffset);
      suffixes.add(window.suffix);
    }
    // 300 characters typed with a 128-character step: the start moved at most three times.
    assert.ok(starts.size <= 4, `the prefix start moved ${starts.size - 1} times`);
    // The text after the cursor never changed, and neither did the suffix.
    assert.equal(suffixes.size, 1);
  });

  it('cuts inside a line that is longer than the limit', () => {
    const text = 'x'.repeat(2000);
    const window = cursorWindow(text, 1000, limits);
    assert.ok(window.prefix.length > 0 && window.prefix.length <= limits.maxPrefixChars);
    assert.equal(window.suffix.length, limits.maxSuffixChars);
  });

  it('without line alignment, cuts at the exact limits (a window that slides with every keystroke)', () => {
    const text = lines(100);
    const window = cursorWindow(text, 1500, { ...limits, alignToLines: false });
    assert.equal(window.startOffset, 1100);
    assert.equal(window.prefix.length, 400);
    assert.equal(window.suffix.length, 120);
  });

  it('clamps a cursor outside the text', () => {
    assert.equal(cursorWindow('abc', 10, limits).prefix, 'abc');
    assert.equal(cursorWindow('abc', -1, limits).suffix, 'abc');
  });
});
