import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModelInfo } from '../../../shared/gateway';
import { ProviderRegistry } from '../../../daemon/providers/provider-registry';
import type { CancelSignal } from '../../../daemon/core/cancellation';
import type { Provider, ProviderSettings } from '../../../daemon/core/provider';

function fakeProvider(settings: ProviderSettings, listed: string[]): Provider {
  let closed = 0;
  return {
    settings,
    complete: () => Promise.reject(new Error('not used')),
    stream: () => Promise.reject(new Error('not used')),
    listModels: async (): Promise<ModelInfo[]> => listed.map((id) => ({ id, provider: settings.name })),
    probe: async () => undefined,
    close: async () => {
      closed++;
      assert.ok(closed <= 2);
    },
  };
}

function settings(name: string, models: string[] = []): ProviderSettings {
  return { name, kind: 'ollama', baseUrl: 'http://127.0.0.1:1', models, local: true, prices: {}, maxConnections: 1, connectTimeoutMs: 1, headersTimeoutMs: 1, bodyTimeoutMs: 1, headers: {} };
}

describe('provider registry', () => {
  it('finds providers by configured models, by listed models, and Ollama names without :latest', async () => {
    const listedBy: Record<string, string[]> = { a: ['llama3.2:latest', 'qwen2.5-coder:7b'], b: ['ignored'] };
    const registry = new ProviderRegistry((s) => fakeProvider(s, listedBy[s.name] ?? []));
    registry.add(settings('a'));
    registry.add(settings('b', ['gpt-x']));
    assert.deepEqual(registry.providersFor('llama3.2'), []);
    await registry.refreshModels(AbortSignal.timeout(1000));
    assert.deepEqual(registry.providersFor('llama3.2').map((p) => p.settings.name), ['a']);
    assert.deepEqual(registry.providersFor('llama3.2:latest').map((p) => p.settings.name), ['a']);
    assert.deepEqual(registry.providersFor('gpt-x').map((p) => p.settings.name), ['b']);
    assert.deepEqual(registry.providersFor('ignored'), [], 'a configured model list wins over the listing');
    assert.throws(() => registry.add(settings('a')), /already registered/);
    await registry.close();
    await registry.close();
  });

  it('shares one refresh among callers that ask at the same time', async () => {
    let listings = 0;
    const registry = new ProviderRegistry((s) => {
      const provider = fakeProvider(s, ['m']);
      const list = provider.listModels;
      return { ...provider, listModels: (signal: AbortSignal) => (listings++, list(signal)) };
    });
    registry.add(settings('a'));
    await Promise.all([registry.refreshModels(AbortSignal.timeout(1000)), registry.refreshModels(AbortSignal.timeout(1000))]);
    assert.equal(listings, 1);
    await registry.refreshModels(AbortSignal.timeout(1000));
    assert.equal(listings, 2, 'a later refresh asks again');
    await registry.close();
  });

  it('asks many providers under one signal without a listener per provider on it, and an abort still reaches each call', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning);
    process.on('warning', onWarning);
    const aborted: string[] = [];
    const registry = new ProviderRegistry((s) => ({
      ...fakeProvider(s, ['m']),
      listModels: (signal: CancelSignal) =>
        new Promise<ModelInfo[]>((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            aborted.push(s.name);
            reject(signal.reason);
          });
        }),
    }));
    for (let i = 0; i < 15; i++) registry.add(settings(`p${i}`));
    const controller = new AbortController();
    const refresh = registry.refreshModels(controller.signal);
    controller.abort(new Error('timed out'));
    await refresh;
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', onWarning);
    assert.equal(aborted.length, 15);
    assert.deepEqual(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning'), []);
    await registry.close();
  });
});
