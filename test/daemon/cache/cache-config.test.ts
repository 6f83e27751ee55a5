import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveBudgets } from '../../../daemon/budgets/budgets-schema';
import { resolveCacheSettings } from '../../../daemon/cache/cache-schema';
import { resolveTeamSettings } from '../../../daemon/team/team-schema';

describe('[cache], [team] and [[budgets]] configuration', () => {
  it('applies defaults: cache on, deterministic requests, file in the state dir', () => {
    assert.deepEqual(resolveCacheSettings(undefined, '/state'), {
      enabled: true,
      defaultPolicy: 'deterministic',
      ttlMs: 3_600_000,
      maxEntries: 10_000,
      maxBytes: 64 * 1024 * 1024,
      typedAhead: true,
      file: '/state/cache.json',
    });
    assert.equal(resolveCacheSettings({ persist: false }, '/state').file, undefined);
    assert.equal(resolveCacheSettings({ enabled: false }, '/state').enabled, false);
  });

  it('names the key and the value of a bad setting', () => {
    assert.throws(() => resolveCacheSettings({ default: 'sometimes' }, '/state'), /cache\.default: got "sometimes", expected one of "deterministic" \| "all" \| "none"/);
    assert.throws(() => resolveCacheSettings({ ttl_seconds: 0 }, '/state'), /cache\.ttl_seconds/);
    assert.throws(() => resolveCacheSettings({ max_entrys: 5 }, '/state'), /cache\.max_entrys: .*(unknown|no such) key/);
    assert.throws(() => resolveTeamSettings({ redis_url: 'http://x' }, {}), /team\.redis_url/);
    assert.throws(() => resolveTeamSettings({}, { SWITCHYARD_REDIS_URL: 'nope' }), /SWITCHYARD_REDIS_URL/);
  });

  it('takes the Redis URL from the environment over the file', () => {
    assert.deepEqual(resolveTeamSettings({ redis_url: 'redis://a:1' }, { SWITCHYARD_REDIS_URL: 'redis://b:2' }), { redisUrl: 'redis://b:2', keyPrefix: 'switchyard' });
    assert.deepEqual(resolveTeamSettings(undefined, {}), { keyPrefix: 'switchyard' });
  });

  it('resolves budgets and checks what the schema alone cannot', () => {
    const [budget] = resolveBudgets([{ name: 'b', scope: 'model', models: ['openai/gpt-4o'], window: 'rolling', hours: 6, limit_usd: 2.5, action: 'fallback-local', fallback_model: 'local/m' }]);
    assert.deepEqual(budget, {
      name: 'b',
      scope: { kind: 'model', models: ['openai/gpt-4o'] },
      window: { kind: 'rolling', hours: 6 },
      limitNanoUsd: 2_500_000_000,
      action: 'fallback-local',
      fallbackModel: 'local/m',
    });
    const problems = (entries: unknown[]): string => {
      try {
        resolveBudgets(entries);
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    };
    assert.match(problems([{ name: 'a', scope: 'all', window: 'day' }]), /budgets\[0\]: got no limit/);
    assert.match(problems([{ name: 'a', scope: 'pool', window: 'day', limit_tokens: 1 }]), /budgets\[0\]\.routes: got nothing/);
    assert.match(problems([{ name: 'a', scope: 'all', providers: ['x'], window: 'day', limit_tokens: 1 }]), /budgets\[0\]\.providers/);
    assert.match(problems([{ name: 'a', scope: 'all', window: 'month', hours: 3, limit_tokens: 1 }]), /budgets\[0\]\.hours/);
    assert.match(problems([{ name: 'a', scope: 'all', window: 'day', limit_tokens: 1, fallback_model: 'm' }]), /budgets\[0\]\.fallback_model/);
    assert.match(
      problems([
        { name: 'a', scope: 'all', window: 'day', limit_tokens: 1 },
        { name: 'a', scope: 'all', window: 'day', limit_tokens: 1 },
      ]),
      /budgets\[1\]\.name: got "a", expected a name not used/,
    );
    assert.match(problems([{ name: 'a', scope: 'everything', window: 'day', limit_tokens: 1 }]), /budgets\[0\]\.scope/);
  });
});
