import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { EditorSession } from './harness/editor-session';
import type { Workbench } from './harness/workbench';

let session: EditorSession;
let window: Workbench;

before(async () => {
  session = await EditorSession.start({ name: 'benchmark', files: { 'notes.txt': 'hello\n' }, daemonConfig: '' });
  window = await session.openWindow();
});
after(() => session?.close());

test('Run Gateway Benchmark is in the command palette and runs', () => session.run('benchmark', async () => {
  await window.runCommand('Switchyard: Run Gateway Benchmark');
  await window.page.locator('.notification-toast').first().waitFor({ timeout: 15_000 });
  const messages = await window.notifications();
  assert.ok(messages.some((message) => message.includes('benchmark')), `notifications: ${JSON.stringify(messages)}`);
}));
