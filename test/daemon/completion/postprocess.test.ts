import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completionShape } from '../../../daemon/completion/completion-shape';
import { blockHasEnded, MAX_BLOCK_LINES, postprocessCompletion } from '../../../daemon/completion/postprocess';
import { cursorWindow } from '../../../daemon/completion/cursor-window';

/** The document with `|` as the cursor, as the pipeline sees it. */
function at(source: string, languageId = 'typescript') {
  const offset = source.indexOf('|');
  const window = cursorWindow(source.replace('|', ''), offset);
  return { ...window, languageId, shape: completionShape({ ...window, languageId }) };
}

function finish(source: string, completion: string, languageId?: string): string | undefined {
  const context = at(source, languageId);
  return postprocessCompletion({ completion, ...context });
}

describe('completion shape', () => {
  it('in the middle of a line: that line only', () => {
    assert.equal(at('const total = |items.length;\n').shape, 'single-line');
    assert.equal(at('if (x) { return |y; }\n').shape, 'single-line');
  });

  it('after an opening bracket or colon at the end of a line: a block', () => {
    assert.equal(at('function add(a, b) {|\n').shape, 'multi-line');
    assert.equal(at('function add(a, b) {|}\n').shape, 'multi-line');
    assert.equal(at('def add(a, b):|\n', 'python').shape, 'multi-line');
    assert.equal(at('items.map((item) =>|\n').shape, 'multi-line');
    assert.equal(at('function add(a, b) {\n  |\n}\n').shape, 'multi-line');
  });

  it('at the end of an ordinary line, or inside brackets the editor closed: one line', () => {
    assert.equal(at('const total = |\n').shape, 'single-line');
    assert.equal(at('console.log(|)\n').shape, 'single-line');
    assert.equal(at('# a comment:|\n', 'python').shape, 'single-line');
    assert.equal(at('|').shape, 'single-line');
  });

  it('a suggestion from the suggest widget is completed on its line', () => {
    const window = cursorWindow('function f() {', 14);
    assert.equal(completionShape({ ...window, languageId: 'typescript', fromSuggestion: true }), 'single-line');
  });
});

describe('postprocess', () => {
  it('a single line ends at the first line break', () => {
    assert.equal(finish('const total = |', 'items.length;\nconsole.log(total);'), 'items.length;');
  });

  it('stops before what the rest of the line already has', () => {
    assert.equal(finish('console.log(|);\n', 'a, b);'), 'a, b');
    assert.equal(finish('call(|)\n', 'x)'), 'x');
    assert.equal(finish('const word = fo|o\n', 'o'), 'o', 'a letter is not taken for a repeat');
  });

  it('a block ends where its indentation falls back, keeping its closing line only when the document lacks it', () => {
    const body = '\n  const sum = a + b;\n  return sum;\n}\n\nfunction other() {}';
    assert.equal(finish('function add(a, b) {|', body), '\n  const sum = a + b;\n  return sum;\n}');
    assert.equal(finish('function add(a, b) {|\n}\n', body), '\n  const sum = a + b;\n  return sum;');
  });

  it('a block stops where it starts repeating the next line of the document', () => {
    const source = 'function add(a, b) {\n  |\n  return sum;\n}\n';
    assert.equal(finish(source, 'const sum = a + b;\n  return sum;\n}'), 'const sum = a + b;');
  });

  it('a block is bounded in lines', () => {
    const long = Array.from({ length: 100 }, (_, i) => `\n  step${i}();`).join('');
    assert.equal(finish('function run() {|', long)!.split('\n').length, MAX_BLOCK_LINES);
  });

  it('trims trailing whitespace and a space the user already typed, and drops empty answers', () => {
    assert.equal(finish('const total = |', ' items.length;   '), 'items.length;');
    assert.equal(finish('const total = |', '   \n  '), undefined);
    assert.equal(finish('const total = |', ''), undefined);
    assert.equal(finish('console.log(|);\n', ');'), undefined);
  });

  it('knows from complete lines when a block has ended, so the rest need not be generated', () => {
    const window = at('function add(a, b) {|\n}\n');
    assert.equal(blockHasEnded('\n  const sum = a + b;\n  return s', window), false);
    assert.equal(blockHasEnded('\n  const sum = a + b;\n  return sum;\n}', window), false, 'the closing line is not complete yet');
    assert.equal(blockHasEnded('\n  const sum = a + b;\n  return sum;\n}\n', window), true);
    const long = Array.from({ length: MAX_BLOCK_LINES + 1 }, (_, i) => `\n  step${i}();`).join('');
    assert.equal(blockHasEnded(`${long}\n`, window), true);
  });
});
