import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completionContext, completionRequest, KEEP_ALIVE, MAX_TOKENS } from '../../../daemon/completion/completion-context';

const doc = (text: string, uri = 'file:///p/src/app.ts') => ({ uri, languageId: 'typescript', text });
const helper = doc('export const helper = 1;\n', 'file:///p/src/helper.ts');

describe('completion context and request', () => {
  it('a one-line completion: neutral fill-in-the-middle, streamed, greedy, ending at the line break', () => {
    const text = 'const total = \nconsole.log(total);\n';
    const context = completionContext({ document: doc(text), offset: 14, recentDocuments: [helper] });
    assert.equal(context.shape, 'single-line');
    const request = completionRequest(context, 'ollama/qwen2.5-coder:1.5b');
    assert.deepEqual(request, {
      kind: 'completion',
      model: 'ollama/qwen2.5-coder:1.5b',
      prompt: 'const total = ',
      suffix: '\nconsole.log(total);\n',
      extraContext: [{ filename: 'src/helper.ts', text: 'export const helper = 1;\n' }],
      stream: true,
      params: { temperature: 0, max_tokens: MAX_TOKENS['single-line'], stop: ['\n'] },
      keepAlive: KEEP_ALIVE,
    });
  });

  it('a block: more room and no line-break stop; no snippets field when no other file is open', () => {
    const text = 'function add(a, b) {\n}\n';
    const request = completionRequest(completionContext({ document: doc(text), offset: 20, recentDocuments: [] }), 'r');
    assert.equal(request.params.max_tokens, MAX_TOKENS['multi-line']);
    assert.equal(request.params.stop, undefined);
    assert.equal(request.extraContext, undefined);
  });

  it('completes as if a suggestion picked in the suggest widget were already accepted', () => {
    const text = 'const list = items.fi\n';
    const context = completionContext({ document: doc(text), offset: 21, recentDocuments: [], selectedSuggestion: { text: 'filter', startOffset: 19, endOffset: 21 } });
    assert.equal(context.window.prefix, 'const list = items.filter');
    assert.equal(context.shape, 'single-line');
    assert.equal(context.offset, 21);
    assert.deepEqual(context.suggestion, { text: 'filter', startOffset: 19, endOffset: 21 });
  });

  it('ignores a suggestion whose range is not in the document', () => {
    const context = completionContext({ document: doc('abc'), offset: 3, recentDocuments: [], selectedSuggestion: { text: 'x', startOffset: 2, endOffset: 9 } });
    assert.equal(context.suggestion, undefined);
    assert.equal(context.window.prefix, 'abc');
  });
});
