/**
 * Which model an editor completion goes to: the daemon's default when the user named none,
 * a route's strategy (undisturbed by the cache lookup before each request), the editor's
 * cloud switch, and a chat model when no candidate fills in the middle.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../../bench/sim';
import { CURSOR_MARK } from '../../../daemon/completion/chat-fallback';
import { CODER, completionStackFromToml, editing, settings, simProviderToml, type CompletionStack } from './completion-fixtures';

const at = (n: number) => editing(`function f${n}() {\n  const value = |\n}\n`, 'file:///work/project/src/app.ts', true);
const signal = () => new AbortController().signal;

describe('completion routing', () => {
  let local: Simulator;
  let other: Simulator;
  const stacks: CompletionStack[] = [];

  before(async () => {
    [local, other] = await Promise.all([0, 1].map(() => startSimulator({ seed: 5, ttftMs: 1, outputTokens: 4, models: [CODER, 'sim-chat'] })));
  });
  after(async () => {
    for (const stack of stacks) await stack.close();
    await Promise.all([local.close(), other.close()]);
  });

  async function stack(toml: string): Promise<CompletionStack> {
    const made = await completionStackFromToml(toml);
    stacks.push(made);
    return made;
  }

  it('with no route named, uses the best fill-in-the-middle model a local provider lists', async () => {
    const { service } = await stack(simProviderToml(local, 'ollama', { models: ['sim-chat', 'llama3.2:3b', CODER] }));
    assert.equal(service.defaultRoute(false), `sim-ollama/${CODER}`);
    const output = await service.complete(at(1), settings(), signal());
    assert.deepEqual([output.servedBy?.provider, output.servedBy?.model], ['sim-ollama', CODER]);
    assert.equal(output.items.length, 1);
  });

  it('a configured `completion` route is the default, and its strategy takes turns as it would without the cache lookup', async () => {
    const routes = `[routes.completion]\nstrategy = "round-robin"\ncandidates = [{ provider = "a", model = "${CODER}" }, { provider = "b", model = "${CODER}" }]\n`;
    const { service } = await stack(simProviderToml(local, 'ollama', { name: 'a' }) + simProviderToml(other, 'llamacpp', { name: 'b' }) + routes);
    assert.equal(service.defaultRoute(false), 'completion');
    const served: string[] = [];
    for (let n = 0; n < 4; n++) served.push((await service.complete(at(10 + n), settings(), signal())).servedBy!.provider);
    assert.deepEqual(served, ['a', 'b', 'a', 'b']);
  });

  it('keeps completions off a cloud candidate unless the editor allows the cloud', async () => {
    const routes = `[routes.mixed]\nallow_cloud = true\ncandidates = [{ provider = "cloud", model = "${CODER}" }, { provider = "near", model = "${CODER}" }]\n`;
    const { service } = await stack(simProviderToml(other, 'openai', { name: 'cloud', local: false }) + simProviderToml(local, 'ollama', { name: 'near' }) + routes);
    const kept = await service.complete(at(20), settings({ route: 'mixed' }), signal());
    assert.deepEqual([kept.servedBy?.provider, kept.servedBy?.local], ['near', true]);
    const allowed = await service.complete(at(21), settings({ route: 'mixed', allowCloud: true }), signal());
    assert.deepEqual([allowed.servedBy?.provider, allowed.servedBy?.local], ['cloud', false]);
  });

  it('says nothing (and fails nothing) when no model is available', async () => {
    const { service } = await stack(simProviderToml(local, 'openai', { name: 'cloud-only', local: false, models: ['gpt-4.1-mini'] }));
    assert.equal(service.defaultRoute(false), undefined);
    const output = await service.complete(at(30), settings(), signal());
    assert.deepEqual(output.items, []);
    assert.equal(output.error, undefined);
  });

  it('asks a chat-only model with an instruction and shows the code of its reply', async () => {
    const { service } = await stack(simProviderToml(local, 'anthropic', { name: 'claude', models: ['sim-chat'] }));
    const before = local.requests.length;
    const output = await service.complete(at(40), settings({ route: 'claude/sim-chat' }), signal());
    assert.equal(output.items.length, 1);
    assert.match(output.items[0]!.insertText, /^[a-z]+( [a-z]+)*$/);
    const sent = local.requests.slice(before).find((record) => record.route === 'anthropic.messages')!;
    const body = sent.body as { system: string; messages: Array<{ content: string }> };
    assert.ok(body.system.includes(CURSOR_MARK));
    assert.ok(body.messages.at(-1)!.content.includes(`const value = ${CURSOR_MARK}\n`));
  });

  it('the editor asking twice at the same place shares one upstream request', async () => {
    const { service } = await stack(simProviderToml(other, 'ollama', { name: 'twice' }));
    other.configure({ ttftMs: 100 });
    try {
      const before = other.requests.length;
      const input = { ...at(60), invoked: false };
      const [first, second] = await Promise.all([0, 1].map(() => service.complete(input, settings({ route: `twice/${CODER}` }), signal())));
      assert.equal(first!.items.length, 1);
      assert.deepEqual(second!.items, first!.items);
      assert.deepEqual([first!.servedBy?.cache, second!.servedBy?.cache].sort(), ['COALESCED', 'MISS']);
      assert.equal(other.requests.slice(before).filter((record) => record.route === 'ollama.generate').length, 1);
    } finally {
      other.configure({ ttftMs: 1 });
    }
  });

  it('continues a suggestion picked in the suggest widget: the ghost text replaces its range and starts with it', async () => {
    const { service } = await stack(simProviderToml(local, 'llamacpp', { name: 'suggest' }));
    const source = 'function f70() {\n  const list = items.fi|\n}\n';
    const input = editing(source, 'file:///work/project/src/app.ts', true);
    const suggestion = { text: 'filter', startOffset: input.offset - 2, endOffset: input.offset };
    const output = await service.complete({ ...input, selectedSuggestion: suggestion }, settings({ route: `suggest/${CODER}` }), signal());
    const [item] = output.items;
    assert.ok(item!.insertText.startsWith('filter') && item!.insertText.length > 'filter'.length);
    assert.deepEqual([item!.startOffset, item!.endOffset], [suggestion.startOffset, suggestion.endOffset]);
    const body = local.requests.at(-1)!.body as { input_prefix: string };
    assert.ok(body.input_prefix.endsWith('const list = items.filter'));
  });

  it('a completion cancelled while it waits out the debounce is never sent', { timeout: 20_000 }, async () => {
    const { service } = await stack(simProviderToml(local, 'ollama', { name: 'waits' }));
    const patient = settings({ route: `waits/${CODER}`, debounceMinMs: 60_000, debounceMaxMs: 60_000 });
    // One answered request gives the debounce a latency to weigh; the automatic one after it waits a minute.
    await service.complete(at(80), patient, signal());
    const before = local.requests.length;
    const controller = new AbortController();
    const pending = service.complete({ ...at(81), invoked: false }, patient, controller.signal);
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    const output = await pending;
    assert.deepEqual([output.items, output.error], [[], undefined]);
    assert.equal(local.requests.length, before, 'nothing reached the simulator');
  });

  it('after an opening brace asks for a block: room for several lines, no line-break stop', async () => {
    const { service } = await stack(simProviderToml(local, 'llamacpp', { name: 'block' }));
    const output = await service.complete(editing('export function g() {|\n}\n', 'file:///work/project/src/app.ts', true), settings({ route: `block/${CODER}` }), signal());
    assert.equal(output.items.length, 1);
    const body = local.requests.at(-1)!.body as { n_predict: number; stop?: string[] };
    assert.equal(body.n_predict, 256);
    assert.equal(body.stop, undefined);
  });

  it('a disabled language or paused completions send nothing', async () => {
    const { service } = await stack(simProviderToml(local, 'ollama'));
    const before = local.requests.length;
    assert.deepEqual((await service.complete(at(50), settings({ enabled: false }), signal())).items, []);
    assert.deepEqual((await service.complete(at(51), settings({ disabledLanguages: ['typescript'] }), signal())).items, []);
    assert.equal(local.requests.length, before);
  });
});
