import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chatFallbackMessages, codeFromChatReply, CURSOR_MARK } from '../../../daemon/completion/chat-fallback';

describe('chat fallback', () => {
  it('shows the file with the cursor marked and asks for the missing text only', () => {
    const [system, user] = chatFallbackMessages({ prefix: 'let a = ', suffix: ';\n', filename: 'a.ts', languageId: 'typescript', snippets: [], multiline: false });
    assert.equal(system!.role, 'system');
    assert.ok((system!.content as string).includes('no code fences'));
    assert.ok((user!.content as string).includes(`let a = ${CURSOR_MARK};\n`));
    assert.ok((user!.content as string).includes('current line only'));
  });

  it('takes the code out of a fenced reply, or the reply as it is', () => {
    assert.equal(codeFromChatReply('Here you go:\n```ts\nitems.length\n```\nDone.'), 'items.length');
    assert.equal(codeFromChatReply('items.length'), 'items.length');
    assert.equal(codeFromChatReply(`items.length${CURSOR_MARK}`), 'items.length');
    assert.equal(codeFromChatReply('```\nunterminated'), 'unterminated');
  });
});
