import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contextSnippets, displayPath } from '../../../daemon/completion/context-snippets';

const doc = (name: string, text = `// ${name}\nexport const ${name} = 1;\n`) => ({ uri: `file:///home/u/project/src/${name}.ts`, languageId: 'typescript', text });

describe('context snippets', () => {
  it('uses the most recent documents, in the same order whichever was used last', () => {
    const [a, b, c, d] = [doc('a'), doc('b'), doc('c'), doc('d')];
    const first = contextSnippets([c, a, b, d], 'file:///x.ts', { maxDocuments: 3, maxCharsEach: 500, maxCharsTotal: 2000 });
    const second = contextSnippets([a, b, c, d], 'file:///x.ts', { maxDocuments: 3, maxCharsEach: 500, maxCharsTotal: 2000 });
    assert.deepEqual(first.map((s) => s.filename), ['src/a.ts', 'src/b.ts', 'src/c.ts']);
    assert.deepEqual(second, first);
  });

  it('leaves out the current document and empty ones', () => {
    const snippets = contextSnippets([doc('a'), doc('b', '  \n'), doc('c')], doc('a').uri);
    assert.deepEqual(snippets.map((s) => s.filename), ['src/c.ts']);
  });

  it('takes the start of each document, cut at a line end, within the budgets', () => {
    const long = doc('long', Array.from({ length: 200 }, (_, i) => `line ${i}\n`).join(''));
    const [snippet] = contextSnippets([long], 'file:///x.ts', { maxDocuments: 3, maxCharsEach: 100, maxCharsTotal: 1000 });
    assert.ok(snippet!.text.length <= 100);
    assert.ok(snippet!.text.startsWith('line 0\n'));
    assert.ok(snippet!.text.endsWith('\n'));
    const total = contextSnippets([long, doc('m', long.text)], 'file:///x.ts', { maxDocuments: 3, maxCharsEach: 100, maxCharsTotal: 150 });
    assert.ok(total.reduce((sum, s) => sum + s.text.length, 0) <= 150);
  });

  it('names a file by the end of its path, decoded', () => {
    assert.equal(displayPath('file:///home/u/my%20project/src/main.py'), 'src/main.py');
    assert.equal(displayPath('untitled:Untitled-1'), 'Untitled-1');
  });
});
