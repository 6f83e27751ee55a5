import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EditorStatus } from '../../../shared/lsp/protocol';
import { CACHED_MARK, CLOUD_ICON, LOCAL_ICON, statusView } from '../../../extension/status/status-view';

const base: EditorStatus = {
  state: 'ok',
  active: { provider: 'ollama', model: 'qwen2.5-coder:7b', local: true },
  budgets: [],
  daemon: { version: '0.1.0', pid: 4242 },
};
const view = (s: Partial<EditorStatus>) => statusView({ kind: 'connected', status: { ...base, ...s } });

test('the item names provider and model with a local or a cloud icon, never both', () => {
  const local = view({});
  assert.equal(local.text, `${LOCAL_ICON} ollama · qwen2.5-coder:7b`);
  const cloud = view({ active: { provider: 'openai', model: 'gpt-4.1-mini', local: false } });
  assert.equal(cloud.text, `${CLOUD_ICON} openai · gpt-4.1-mini`);
  assert.ok(!cloud.text.includes(LOCAL_ICON));
  assert.equal(local.command, 'switchyard.switchModel');
});

test('the last completion shows its latency and whether the cache served it', () => {
  assert.equal(view({ lastCompletion: { latencyMs: 42.4, cached: false, at: 'now' } }).text, `${LOCAL_ICON} ollama · qwen2.5-coder:7b 42.4 ms`);
  assert.equal(view({ lastCompletion: { latencyMs: 3, cached: true, at: 'now' } }).text, `${LOCAL_ICON} ollama · qwen2.5-coder:7b 3.00 ms ${CACHED_MARK}`);
});

test('no model yet is a plain state that says so; errors and warnings get theme colours', () => {
  const none = view({ state: 'no-provider', active: undefined, message: 'no model server found on the standard ports' });
  assert.match(none.text, /No model available/);
  assert.equal(none.colour, undefined);
  assert.equal(none.command, 'switchyard.switchModel');
  assert.match(none.tooltip, /no model server found/);
  assert.equal(view({ state: 'error' }).colour, 'error');
  assert.equal(view({ state: 'warning' }).colour, 'warning');
  assert.equal(view({}).colour, undefined);
  assert.equal(view({ state: 'paused' }).text, '$(debug-pause) ollama · qwen2.5-coder:7b (paused)');
  assert.equal(view({ state: 'paused', active: undefined }).text, '$(debug-pause) Completions paused');
});

test('the tooltip shows budgets spent and left, and links the commands', () => {
  const v = view({ budgets: [{ name: 'openai-daily', spentUsd: 1.25, limitUsd: 5, spentTokens: 12000, limitTokens: 100000, resetsAt: '2026-12-07T00:00:00Z' }] });
  assert.match(v.tooltip, /\$1\.25 of \$5\.00 \(\$3\.75 left\)/);
  assert.match(v.tooltip, /12,000 of 100,000 tokens/);
  for (const command of ['switchModel', 'toggleCompletions', 'runBenchmark', 'showLogs', 'restartDaemon']) assert.ok(v.tooltip.includes(`(command:switchyard.${command})`), command);
});

test('while connecting and after giving up, the item says so; a stopped daemon offers a restart', () => {
  assert.match(statusView({ kind: 'starting' }).text, /sync~spin/);
  const stopped = statusView({ kind: 'stopped', reason: 'the daemon exited with status 2' });
  assert.equal(stopped.colour, 'error');
  assert.equal(stopped.command, 'switchyard.restartDaemon');
  assert.match(stopped.tooltip, /exited with status 2/);
});
