import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COMPLETION_KEYS, Config, RESTART_KEYS, changedKeys } from '../../../extension/config/config';
import manifest from '../../../package.json';

const config = (values: Record<string, unknown>) => new Config({ get: <T>(key: string) => values[key] as T | undefined });

test('defaults: completions on everywhere, local only, daemon default route', () => {
  const s = config({}).completionSettings();
  assert.deepEqual(s, { enabled: true, disabledLanguages: [], debounceMinMs: 10, debounceMaxMs: 150, route: '', allowCloud: false });
});

test('per-language switch: a disabled language gets no completions, others do; pausing stops all', () => {
  const c = config({ 'completion.disabledLanguages': ['markdown', ' plaintext ', 42, ''] });
  assert.deepEqual(c.disabledLanguages, ['markdown', 'plaintext']);
  assert.equal(c.completionEnabledFor('markdown'), false);
  assert.equal(c.completionEnabledFor('python'), true);
  assert.equal(config({ 'completion.enabled': false }).completionEnabledFor('python'), false);
});

test('debounce bounds are clamped and a min above the max is swapped', () => {
  assert.deepEqual(config({ 'completion.debounceMinMs': 300, 'completion.debounceMaxMs': 40 }).debounceBoundsMs, { min: 40, max: 300 });
  assert.deepEqual(config({ 'completion.debounceMinMs': -5, 'completion.debounceMaxMs': 1e9 }).debounceBoundsMs, { min: 0, max: 2000 });
  assert.deepEqual(config({ 'completion.debounceMinMs': 'fast' }).debounceBoundsMs, { min: 10, max: 150 });
});

test('a wrong type falls back to the default rather than reaching the daemon', () => {
  const c = config({ 'completion.enabled': 'yes', allowCloud: 1, 'completion.route': 7, 'daemon.idleTimeoutMinutes': -3 });
  assert.equal(c.completionEnabled, true);
  assert.equal(c.allowCloud, false);
  assert.equal(c.completionRoute, '');
  assert.equal(c.daemonIdleTimeoutMinutes, 0);
});

test('every key the Config reads is declared in the manifest, with a description; restart keys say so', () => {
  const properties = manifest.contributes.configuration.properties as Record<string, { markdownDescription?: string; default?: unknown }>;
  for (const key of [...COMPLETION_KEYS, ...RESTART_KEYS]) {
    const declared = properties[`switchyard.${key}`];
    assert.ok(declared, `switchyard.${key} is declared`);
    assert.ok(declared.markdownDescription && declared.markdownDescription.length > 20, `switchyard.${key} has a description`);
  }
  for (const key of RESTART_KEYS) assert.match(properties[`switchyard.${key}`]!.markdownDescription!, /daemon restarts/);
  // The manifest's defaults are the ones Config falls back to.
  const defaults = config(Object.fromEntries(Object.entries(properties).map(([k, v]) => [k.slice('switchyard.'.length), v.default]))).completionSettings();
  assert.deepEqual(defaults, config({}).completionSettings());
});

test('changedKeys names the keys a configuration change touched', () => {
  const touched = new Set(['switchyard.daemon.stateDir', 'switchyard']);
  assert.deepEqual(changedKeys(RESTART_KEYS, (k) => touched.has(k)), ['daemon.stateDir']);
  assert.deepEqual(changedKeys(COMPLETION_KEYS, (k) => touched.has(k)), []);
});
