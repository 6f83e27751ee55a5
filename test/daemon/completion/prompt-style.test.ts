import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GatewayRequest } from '../../../shared/gateway';
import { adaptForStyle, promptStyleFor } from '../../../daemon/completion/prompt-style';
import { CURSOR_MARK } from '../../../daemon/completion/chat-fallback';

const local = 'http://127.0.0.1:1234/v1';
const request: GatewayRequest = {
  kind: 'completion',
  model: 'route',
  prompt: 'const x = ',
  suffix: ';\n',
  extraContext: [{ filename: 'src/y.ts', text: 'export const y = 2;\n' }],
  stream: true,
  params: { temperature: 0, max_tokens: 64, stop: ['\n'] },
  keepAlive: '30m',
};
const meta = { filename: 'src/x.ts', languageId: 'typescript', multiline: false };

describe('prompt style per candidate', () => {
  it('uses the server’s own fill-in-the-middle where it has one', () => {
    assert.deepEqual(promptStyleFor({ providerKind: 'ollama', baseUrl: 'http://127.0.0.1:11434', model: 'qwen2.5-coder:1.5b' }), { kind: 'native' });
    assert.deepEqual(promptStyleFor({ providerKind: 'ollama', baseUrl: 'http://127.0.0.1:11434', model: 'codegemma:2b' }), { kind: 'native' });
    assert.deepEqual(promptStyleFor({ providerKind: 'llamacpp', baseUrl: 'http://127.0.0.1:8080', model: 'model.gguf' }), { kind: 'native' });
    assert.deepEqual(promptStyleFor({ providerKind: 'openai', baseUrl: local, model: 'codestral-22b' }), { kind: 'native' });
  });

  it('sends a known family’s tokens raw to an OpenAI-compatible completions endpoint', () => {
    assert.deepEqual(promptStyleFor({ providerKind: 'openai', baseUrl: local, model: 'Qwen/Qwen2.5-Coder-1.5B' }), { kind: 'tokens', family: 'qwen' });
    assert.deepEqual(promptStyleFor({ providerKind: 'openai', baseUrl: local, model: 'deepseek-coder-6.7b-base' }), { kind: 'tokens', family: 'deepseek' });
  });

  it('falls back to a chat instruction for chat models', () => {
    assert.deepEqual(promptStyleFor({ providerKind: 'ollama', baseUrl: 'http://127.0.0.1:11434', model: 'llama3.2:3b' }), { kind: 'chat' });
    assert.deepEqual(promptStyleFor({ providerKind: 'openai', baseUrl: 'https://api.openai.com/v1', model: 'gpt-4.1-mini' }), { kind: 'chat' });
    assert.deepEqual(promptStyleFor({ providerKind: 'anthropic', baseUrl: 'https://api.anthropic.com', model: 'claude-haiku-4-5' }), { kind: 'chat' });
  });

  it('native: llama.cpp keeps the snippets as input_extra; Ollama, which has no field for them, gets them before the prefix', () => {
    assert.equal(adaptForStyle(request, { kind: 'native' }, meta, 'llamacpp'), request);
    const ollama = adaptForStyle(request, { kind: 'native' }, meta, 'ollama');
    assert.equal(ollama.prompt, '// src/y.ts\nexport const y = 2;\n\n// src/x.ts\nconst x = ');
    assert.equal(ollama.suffix, ';\n');
    assert.equal(ollama.extraContext, undefined);
    assert.equal(ollama.keepAlive, '30m');
  });

  it('tokens: one raw prompt with the family’s most important stop tokens after the request’s own', () => {
    const adapted = adaptForStyle(request, { kind: 'tokens', family: 'qwen' }, meta, 'openai');
    assert.equal(adapted.prompt, '<|file_sep|>src/y.ts\nexport const y = 2;\n<|file_sep|>src/x.ts\n<|fim_prefix|>const x = <|fim_suffix|>;\n<|fim_middle|>');
    assert.equal(adapted.suffix, undefined);
    assert.equal(adapted.extraContext, undefined);
    assert.deepEqual(adapted.params.stop, ['\n', '<|endoftext|>', '<|file_sep|>', '<|fim_prefix|>'], 'at most four, as OpenAI allows');
  });

  it('chat: an instruction with the cursor marked, and no line-break stop that would end the reply at a fence', () => {
    const adapted = adaptForStyle(request, { kind: 'chat' }, meta, 'anthropic');
    assert.equal(adapted.kind, 'chat');
    assert.equal(adapted.prompt, undefined);
    assert.equal(adapted.params.stop, undefined);
    assert.equal(adapted.params.max_tokens, 64);
    const user = adapted.messages!.at(-1)!.content as string;
    assert.ok(user.includes(`const x = ${CURSOR_MARK};\n`));
    assert.ok(user.includes('src/y.ts'));
  });
});
