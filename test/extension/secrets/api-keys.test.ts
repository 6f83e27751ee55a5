import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as vscode from 'vscode';
import { ApiKeys } from '../../../extension/secrets/api-keys';

/** SecretStorage and Memento as VS Code keeps them: two maps, one of them the keychain. */
function stores() {
  const secrets = new Map<string, string>();
  const state = new Map<string, unknown>();
  const secretStorage = {
    get: async (key: string) => secrets.get(key),
    store: async (key: string, value: string) => void secrets.set(key, value),
    delete: async (key: string) => void secrets.delete(key),
  } as unknown as vscode.SecretStorage;
  const memento = {
    get: <T>(key: string, fallback: T) => (state.has(key) ? (state.get(key) as T) : fallback),
    update: async (key: string, value: unknown) => void state.set(key, value),
  } as unknown as vscode.Memento;
  return { secrets, state, keys: new ApiKeys(secretStorage, memento) };
}

test('a key goes to the keychain only; global state keeps the provider names', async () => {
  const { secrets, state, keys } = stores();
  await keys.set('openai', 'sk-test-123');
  await keys.set('anthropic', 'sk-ant-456');
  assert.deepEqual(await keys.all(), [
    { provider: 'anthropic', apiKey: 'sk-ant-456' },
    { provider: 'openai', apiKey: 'sk-test-123' },
  ]);
  assert.ok(![...state.values()].some((v) => JSON.stringify(v).includes('sk-')), 'no key in global state');
  assert.equal(secrets.size, 2);
});

test('an empty key forgets the stored one', async () => {
  const { secrets, keys } = stores();
  await keys.set('openai', 'sk-test-123');
  await keys.set('openai', '');
  assert.deepEqual(await keys.all(), []);
  assert.deepEqual(keys.providers(), []);
  assert.equal(secrets.size, 0);
});
