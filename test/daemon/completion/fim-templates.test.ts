import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commentedContext, fimFamilyOf, lineCommentFor, renderFimPrompt } from '../../../daemon/completion/fim-templates';

const parts = { prefix: 'def add(a, b):\n    return ', suffix: '\n\nprint(add(1, 2))\n', filename: 'src/calc.py', languageId: 'python', snippets: [] };
const withContext = { ...parts, snippets: [{ filename: 'src/util.py', text: 'import math\n' }] };

describe('FIM templates', () => {
  it('recognizes the families from the names servers list', () => {
    assert.equal(fimFamilyOf('qwen2.5-coder:1.5b'), 'qwen');
    assert.equal(fimFamilyOf('Qwen/Qwen2.5-Coder-7B-Instruct'), 'qwen');
    assert.equal(fimFamilyOf('codeqwen:7b'), 'qwen');
    assert.equal(fimFamilyOf('starcoder2:3b'), 'starcoder');
    assert.equal(fimFamilyOf('bigcode/starcoder2-15b'), 'starcoder');
    assert.equal(fimFamilyOf('deepseek-coder:6.7b-base'), 'deepseek');
    assert.equal(fimFamilyOf('deepseek-ai/deepseek-coder-1.3b-base'), 'deepseek');
    assert.equal(fimFamilyOf('codellama:7b-code'), 'codellama');
    assert.equal(fimFamilyOf('CodeLlama-13b-hf'), 'codellama');
    assert.equal(fimFamilyOf('llama3.2:3b'), undefined);
    assert.equal(fimFamilyOf('gpt-4.1-mini'), undefined);
  });

  it('Qwen2.5-Coder: fim tokens, other files under <|file_sep|> before the current one', () => {
    assert.equal(renderFimPrompt('qwen', parts).prompt, `<|fim_prefix|>${parts.prefix}<|fim_suffix|>${parts.suffix}<|fim_middle|>`);
    assert.equal(
      renderFimPrompt('qwen', withContext).prompt,
      `<|file_sep|>src/util.py\nimport math\n<|file_sep|>src/calc.py\n<|fim_prefix|>${parts.prefix}<|fim_suffix|>${parts.suffix}<|fim_middle|>`,
    );
    assert.ok(renderFimPrompt('qwen', parts).stop.includes('<|endoftext|>'));
    assert.ok(renderFimPrompt('qwen', parts).stop.includes('<|file_sep|>'));
  });

  it('StarCoder2: plain FIM, or the repository form with the path after <fim_prefix>', () => {
    assert.equal(renderFimPrompt('starcoder', parts).prompt, `<fim_prefix>${parts.prefix}<fim_suffix>${parts.suffix}<fim_middle>`);
    assert.equal(
      renderFimPrompt('starcoder', withContext).prompt,
      `<file_sep>src/util.py\nimport math\n<file_sep><fim_prefix>src/calc.py\n${parts.prefix}<fim_suffix>${parts.suffix}<fim_middle>`,
    );
    assert.ok(renderFimPrompt('starcoder', parts).stop.includes('<|endoftext|>'));
  });

  it('DeepSeek-Coder: full-width bars and U+2581, context as commented code before the prefix', () => {
    assert.equal(renderFimPrompt('deepseek', parts).prompt, `<｜fim▁begin｜>${parts.prefix}<｜fim▁hole｜>${parts.suffix}<｜fim▁end｜>`);
    assert.equal(
      renderFimPrompt('deepseek', withContext).prompt,
      `<｜fim▁begin｜># src/util.py\nimport math\n\n# src/calc.py\n${parts.prefix}<｜fim▁hole｜>${parts.suffix}<｜fim▁end｜>`,
    );
  });

  it('CodeLlama: <PRE> prefix <SUF>suffix <MID>, with its spaces', () => {
    assert.equal(renderFimPrompt('codellama', parts).prompt, `<PRE> ${parts.prefix} <SUF>${parts.suffix} <MID>`);
    assert.deepEqual(renderFimPrompt('codellama', parts).stop, ['<EOT>', '<PRE>', '<SUF>', '<MID>']);
  });

  it('puts every family context first, so a longer prefix only adds to the end of what came before', () => {
    for (const family of ['qwen', 'starcoder', 'deepseek', 'codellama'] as const) {
      const before = renderFimPrompt(family, withContext).prompt;
      const after = renderFimPrompt(family, { ...withContext, prefix: `${parts.prefix}a` }).prompt;
      const head = before.slice(0, before.indexOf(parts.prefix) + parts.prefix.length);
      assert.ok(after.startsWith(head), family);
    }
  });

  it('comments context in the language of the file', () => {
    assert.equal(lineCommentFor('python'), '#');
    assert.equal(lineCommentFor('typescript'), '//');
    assert.equal(lineCommentFor('sql'), '--');
    assert.equal(commentedContext({ ...withContext, languageId: 'go' }), '// src/util.py\nimport math\n\n// src/calc.py\n');
    assert.equal(commentedContext(parts), '');
  });
});
