import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultCompletionRoute, parameterBillions, type ListedModel } from '../../../daemon/completion/default-completion-route';

const model = (provider: string, id: string, extra: Partial<ListedModel> = {}): ListedModel => ({ provider, id, local: true, down: false, ...extra });
const catalog = (models: ListedModel[], routeNames: string[] = [], aliases: Record<string, string> = {}) => ({ routeNames, aliases, models });

describe('default completion route', () => {
  it('a route or alias called `completion` wins', () => {
    assert.equal(defaultCompletionRoute(catalog([model('ollama', 'qwen2.5-coder:1.5b')], ['completion']), false), 'completion');
    assert.equal(defaultCompletionRoute(catalog([model('ollama', 'qwen2.5-coder:1.5b')], [], { completion: 'x/y' }), false), 'completion');
  });

  it('otherwise the best local fill-in-the-middle model, as provider/model', () => {
    const models = [
      model('ollama', 'llama3.2:3b'),
      model('ollama', 'codellama:7b-code'),
      model('llamacpp', 'qwen2.5-coder-32b-q4.gguf'),
      model('lmstudio', 'qwen2.5-coder-1.5b-instruct'),
      model('openai', 'gpt-4.1-mini', { local: false, fim: false }),
    ];
    assert.equal(defaultCompletionRoute(catalog(models), false), 'lmstudio/qwen2.5-coder-1.5b-instruct');
  });

  it('passes over providers that are down, and cloud models unless allowed', () => {
    const models = [model('ollama', 'qwen2.5-coder:1.5b', { down: true }), model('cloud', 'codestral-latest', { local: false, fim: true })];
    assert.equal(defaultCompletionRoute(catalog(models), false), undefined);
    assert.equal(defaultCompletionRoute(catalog(models), true), 'cloud/codestral-latest');
  });

  it('takes a chat model when nothing fills in the middle, and nothing when nothing is listed', () => {
    assert.equal(defaultCompletionRoute(catalog([model('ollama', 'llama3.2:3b')]), false), 'ollama/llama3.2:3b');
    assert.equal(defaultCompletionRoute(catalog([]), true), undefined);
  });

  it('reads parameter counts from model names', () => {
    assert.equal(parameterBillions('qwen2.5-coder:1.5b'), 1.5);
    assert.equal(parameterBillions('Qwen2.5-Coder-7B-Instruct'), 7);
    assert.equal(parameterBillions('starcoder2-3b-q8_0.gguf'), 3);
    assert.equal(parameterBillions('sim-coder'), undefined);
  });
});
