import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { GatewayRequest } from '../../../shared/gateway';
import { CacheKeys, canonicalRequest, isDeterministicOrFim } from '../../../daemon/cache/cache-key';
import { RequestHasher } from '../../../daemon/cache/request-hash';
import { ChatTurn, RequestRecord, SamplingRecord } from '../../../daemon/core/request-records';
import { chatRequestFromOpenAI } from '../../../daemon/http/translate/openai-request';
import { chatRequestFromOllama } from '../../../daemon/http/translate/ollama-request';

const keys = new CacheKeys();
/** Both halves of the key: the index every layer finds candidates by, and the digest that confirms them. */
const both = (request: GatewayRequest, target: string) => {
  const key = keys.key(request, target);
  return { index: key.index, digest: key.digest };
};
/** Two keys differ in both halves, or are equal in both. */
function assertKeysDiffer(a: GatewayRequest, b: GatewayRequest, target = 'sim/m', otherTarget = target): void {
  const x = both(a, target);
  const y = both(b, otherTarget);
  assert.notEqual(x.index, y.index, 'index');
  assert.notEqual(x.digest, y.digest, 'digest');
}
function assertKeysEqual(a: GatewayRequest, b: GatewayRequest, target = 'sim/m'): void {
  assert.deepEqual(both(a, target), both(b, target));
}

const text = fc.string({ maxLength: 12 });
const message = fc.record({ role: fc.constantFrom('system' as const, 'user' as const, 'assistant' as const), content: text });
const params = fc.record(
  {
    temperature: fc.double({ min: 0, max: 2, noNaN: true }),
    top_p: fc.double({ min: 0, max: 1, noNaN: true }),
    top_k: fc.integer({ min: 1, max: 100 }),
    min_p: fc.double({ min: 0, max: 1, noNaN: true }),
    max_tokens: fc.integer({ min: 1, max: 4096 }),
    seed: fc.integer(),
    stop: fc.array(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 3 }),
    presence_penalty: fc.double({ min: -2, max: 2, noNaN: true }),
    frequency_penalty: fc.double({ min: -2, max: 2, noNaN: true }),
    repeat_penalty: fc.double({ min: 0, max: 2, noNaN: true }),
    reasoning_effort: fc.constantFrom('low', 'medium', 'high'),
  },
  { requiredKeys: [] },
);
const tool = fc.record({
  type: fc.constant('function' as const),
  function: fc.record({ name: fc.string({ minLength: 1, maxLength: 8 }), parameters: fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 })) }),
});

const chatRequest: fc.Arbitrary<GatewayRequest> = fc.record(
  {
    kind: fc.constant('chat' as const),
    model: fc.constant('m'),
    messages: fc.array(message, { minLength: 1, maxLength: 4 }),
    stream: fc.boolean(),
    params,
    tools: fc.array(tool, { maxLength: 2 }),
    tool_choice: fc.constantFrom('auto', 'none', 'required'),
    response_format: fc.constantFrom({ type: 'text' }, { type: 'json_object' }),
  },
  { requiredKeys: ['kind', 'model', 'messages', 'stream', 'params'] },
);

const fimRequest: fc.Arbitrary<GatewayRequest> = fc.record(
  { kind: fc.constant('completion' as const), model: fc.constant('m'), prompt: text, suffix: text, system: text, raw: fc.boolean(), stream: fc.boolean(), params },
  { requiredKeys: ['kind', 'model', 'prompt', 'stream', 'params'] },
);

const anyRequest = fc.oneof(chatRequest, fimRequest);

/** Every output-affecting change a request can undergo, each guaranteed to change something. */
type Mutation = (request: GatewayRequest) => GatewayRequest;
const mutations: Record<string, Mutation> = {
  'message text': (r) => (r.messages ? { ...r, messages: [...r.messages.slice(0, -1), { ...r.messages.at(-1)!, content: `${String(r.messages.at(-1)!.content)}x` }] } : { ...r, prompt: `${r.prompt ?? ''}x` }),
  'message role': (r) =>
    r.messages ? { ...r, messages: r.messages.map((m, i) => (i === 0 ? { ...m, role: m.role === 'user' ? ('system' as const) : ('user' as const) } : m)) } : { ...r, prompt: `y${r.prompt ?? ''}` },
  'an extra message': (r) => (r.messages ? { ...r, messages: [...r.messages, { role: 'user' as const, content: '' }] } : { ...r, suffix: `${r.suffix ?? ''}z` }),
  prompt: (r) => ({ ...r, prompt: `${r.prompt ?? ''}!` }),
  suffix: (r) => ({ ...r, suffix: r.suffix === undefined ? '' : `${r.suffix}!` }),
  system: (r) => ({ ...r, system: `${r.system ?? ''}#` }),
  temperature: (r) => ({ ...r, params: { ...r.params, temperature: (r.params.temperature ?? 1) + 0.5 } }),
  top_p: (r) => ({ ...r, params: { ...r.params, top_p: (r.params.top_p ?? 1) / 2 + 0.01 } }),
  top_k: (r) => ({ ...r, params: { ...r.params, top_k: (r.params.top_k ?? 0) + 1 } }),
  min_p: (r) => ({ ...r, params: { ...r.params, min_p: (r.params.min_p ?? 0) + 0.5 } }),
  max_tokens: (r) => ({ ...r, params: { ...r.params, max_tokens: (r.params.max_tokens ?? 0) + 1 } }),
  seed: (r) => ({ ...r, params: { ...r.params, seed: (r.params.seed ?? 0) + 1 } }),
  stop: (r) => ({ ...r, params: { ...r.params, stop: [...(r.params.stop ?? []), '\u0000new-stop'] } }),
  presence_penalty: (r) => ({ ...r, params: { ...r.params, presence_penalty: (r.params.presence_penalty ?? 0) + 3 } }),
  frequency_penalty: (r) => ({ ...r, params: { ...r.params, frequency_penalty: (r.params.frequency_penalty ?? 0) + 3 } }),
  repeat_penalty: (r) => ({ ...r, params: { ...r.params, repeat_penalty: (r.params.repeat_penalty ?? 0) + 3 } }),
  reasoning_effort: (r) => ({ ...r, params: { ...r.params, reasoning_effort: `${r.params.reasoning_effort ?? ''}+` } }),
  tools: (r) => ({ ...r, tools: [...(r.tools ?? []), { type: 'function' as const, function: { name: 'added' } }] }),
  tool_choice: (r) => ({ ...r, tool_choice: { type: 'function', function: { name: `${JSON.stringify(r.tool_choice)}` } } }),
  response_format: (r) => ({ ...r, response_format: { type: 'json_schema', schema: r.response_format ?? null } }),
  raw: (r) => ({ ...r, raw: !r.raw }),
  'extra context': (r) => ({ ...r, extraContext: [...(r.extraContext ?? []), { filename: 'a.ts', text: 'x' }] }),
};

/** The request as the doors build it: a RequestRecord with SamplingRecord parameters and ChatTurn turns, each field set as the plain object has it. */
function asRecords(plain: GatewayRequest): GatewayRequest {
  const params = Object.assign(new SamplingRecord(), plain.params);
  const record = Object.assign(new RequestRecord(plain.kind, plain.model, plain.stream, params), plain, { params });
  if (plain.messages) record.messages = plain.messages.map((m) => Object.assign(new ChatTurn(m.role, m.content), m));
  return record;
}

/** Rebuilds a value with its object keys in reverse order at every depth. */
function reverseKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reverseKeys) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).reverse().map(([k, v]) => [k, reverseKeys(v)])) as T;
}

describe('cache key', () => {
  for (const [name, mutate] of Object.entries(mutations)) {
    it(`changes when the ${name} changes`, () => {
      fc.assert(
        fc.property(anyRequest, (request) => {
          assertKeysDiffer(mutate(request), request);
        }),
        { numRuns: 150 },
      );
    });
  }

  it('changes when the resolved route or model changes', () => {
    fc.assert(
      fc.property(anyRequest, fc.string({ minLength: 1, maxLength: 8 }), (request, other) => {
        fc.pre(other !== 'sim/m');
        assertKeysDiffer(request, request, other, 'sim/m');
      }),
    );
  });

  it('does not change with JSON key order, stream, keep_alive, or the order and duplicates of stop sequences', () => {
    fc.assert(
      fc.property(anyRequest, fc.boolean(), (request, stream) => {
        const reordered = reverseKeys({ ...request, stream, keepAlive: '5m' });
        if (reordered.params.stop) reordered.params.stop = [...reordered.params.stop].reverse().concat(reordered.params.stop.slice(0, 1));
        assertKeysEqual(reordered, request);
      }),
      { numRuns: 300 },
    );
  });

  it('treats an absent field, an undefined one and an empty stop list alike', () => {
    const base: GatewayRequest = { kind: 'chat', model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: false, params: {} };
    const same = { ...base, tools: undefined, params: { stop: [], temperature: undefined } } as GatewayRequest;
    assertKeysEqual(same, base, 't');
  });

  it('ignores key order inside tool schemas and response formats, but not array order', () => {
    const base: GatewayRequest = { kind: 'chat', model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: false, params: {}, response_format: { b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } } };
    const reordered = { ...base, response_format: { a: { c: null, d: [1, { y: 2, z: 1 }] }, b: 1 } };
    const swapped = { ...base, response_format: { a: { c: null, d: [{ y: 2, z: 1 }, 1] }, b: 1 } };
    assertKeysEqual(reordered, base, 't');
    assertKeysDiffer(swapped, base, 't');
    // Length prefixes keep strings apart that escaping would have: no field can forge another.
    assertKeysDiffer({ ...base, system: 'a', prompt: 'b' }, { ...base, system: 'a1:b' }, 't');
  });

  it('the index follows the canonical text: equal text, equal index; different text, different index', () => {
    // A small domain, so that equal requests come up often, built in either key order.
    const small = fc.record(
      {
        kind: fc.constant('chat' as const),
        model: fc.constantFrom('a', 'b'),
        messages: fc.array(fc.record({ role: fc.constantFrom('user' as const, 'assistant' as const), content: fc.constantFrom('x', 'y', undefined as unknown as string) }), { maxLength: 2 }),
        stream: fc.boolean(),
        params: fc.record({ temperature: fc.constantFrom(0, -0, 0.5, undefined), stop: fc.constantFrom(undefined, [], ['a'], ['a', 'a'], ['b', 'a'], ['a', 'b']) }, { requiredKeys: [] }),
        system: fc.constantFrom('s', undefined),
      },
      { requiredKeys: ['kind', 'model', 'messages', 'stream', 'params'] },
    ) as fc.Arbitrary<GatewayRequest>;
    fc.assert(
      fc.property(small, small, fc.boolean(), (a, b, reverse) => {
        const second = reverse ? reverseKeys(b) : b;
        const sameText = canonicalRequest(a, 't') === canonicalRequest(second, 't');
        assert.equal(keys.key(a, 't').index === keys.key(second, 't').index, sameText);
      }),
      { numRuns: 2000 },
    );
  });

  it('long strings (copied out natively) and short ones (read a character at a time) hash alike, lone surrogates too', () => {
    const everyStringCopied = new RequestHasher(0);
    const noStringCopied = new RequestHasher(Number.POSITIVE_INFINITY);
    const anyText = fc.string({ unit: 'binary', maxLength: 400 });
    fc.assert(
      fc.property(anyRequest, anyText, anyText, (request, prompt, content) => {
        const withText = { ...request, prompt, system: content };
        assert.equal(everyStringCopied.hash(withText, 't'), noStringCopied.hash(withText, 't'));
      }),
      { numRuns: 300 },
    );
  });

  it('a long prompt changes the key when any one character of it changes', () => {
    const long = 'function total(items) {\n  return items.reduce((sum, item) => sum + item.price, 0);\n}\n'.repeat(40);
    const base: GatewayRequest = { kind: 'completion', model: 'm', prompt: long, suffix: '\n', stream: false, params: {} };
    fc.assert(
      fc.property(fc.nat({ max: long.length - 1 }), fc.integer({ min: 0, max: 0xffff }), (at, unit) => {
        fc.pre(long.charCodeAt(at) !== unit);
        assertKeysDiffer({ ...base, prompt: long.slice(0, at) + String.fromCharCode(unit) + long.slice(at + 1) }, base);
      }),
      { numRuns: 300 },
    );
  });

  it('the index does not depend on what the hasher hashed before (its memos of names, strings and text fields)', () => {
    fc.assert(
      fc.property(fc.array(anyRequest, { maxLength: 20 }), anyRequest, (earlier, request) => {
        const used = new RequestHasher();
        for (const other of earlier) used.hash(other, 't');
        assert.equal(used.hash(request, 't'), new RequestHasher().hash(request, 't'));
      }),
      { numRuns: 100 },
    );
  });

  it('keeps each remembered string and field name to its own request: a slot taken over never gives old lanes', () => {
    // Same shape, same lengths, other characters: every string and name lands in the slot the other request used.
    const turn = (i: number, role: 'user' | 'assistant'): GatewayRequest => ({
      kind: 'chat',
      model: 'm',
      messages: [0, 1, 2].map((k) => ({ role, content: `message ${(i + k) % 10}` })),
      stream: false,
      params: { temperature: 0, max_tokens: 256 },
    });
    const used = new RequestHasher();
    const first = turn(0, 'user');
    const before = used.hash(first, 't');
    for (let i = 1; i < 10; i++) used.hash(turn(i, i % 2 === 0 ? 'user' : 'assistant'), 't');
    // Names too: another field in the place `max_tokens` had.
    used.hash({ ...first, params: { temperature: 0, top_k: 256 } }, 't');
    assert.equal(used.hash(first, 't'), before);
    assert.equal(before, new RequestHasher().hash(first, 't'));
    assert.notEqual(used.hash(turn(1, 'user'), 't'), before);
  });

  it('hashes a request alike however its strings are held: parsed, joined, sliced, two-byte, long', () => {
    const long = 'function total(items) {\n  return items.reduce((sum, item) => sum + item.price, 0);\n}\n'.repeat(3);
    // Short ones, one remembered whole with its field, and one too long to be remembered.
    const texts = ['user', 'message 0', 'a turn of more than ten characters', long, long.repeat(8), 'två-byte \u0101 text', ''];
    const request = (strings: string[]): GatewayRequest => ({
      kind: 'chat',
      model: 'm',
      messages: strings.map((content, i) => ({ role: i % 2 === 0 ? 'user' : 'assistant', content })),
      stream: false,
      params: { stop: strings.slice(0, 2) },
    });
    const parsed = JSON.parse(JSON.stringify(texts)) as string[];
    const joined = texts.map((t) => t.slice(0, t.length >> 1) + t.slice(t.length >> 1));
    const sliced = texts.map((t) => `[${t}]`.slice(1, t.length + 1));
    const hasher = new RequestHasher();
    const expected = new RequestHasher().hash(request(texts), 't');
    for (const strings of [parsed, joined, sliced, texts]) assert.equal(hasher.hash(request(strings), 't'), expected);
  });

  it('never lets a nested object\'s field names stand in for its parent\'s', () => {
    const base: GatewayRequest = { kind: 'chat', model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: false, params: {} };
    assertKeysDiffer({ ...base, response_format: { a: { b: 1 } } }, { ...base, response_format: { b: { b: 1 } } }, 't');
    const parts = [{ type: 'text' as const, text: 'x' }];
    assertKeysDiffer({ ...base, messages: [{ role: 'user', content: parts }] }, { ...base, messages: [{ role: 'user', text: parts } as never] }, 't');
  });

  it('tells numbers apart as the canonical text does: 0 and -0 alike, types and values apart', () => {
    const base: GatewayRequest = { kind: 'chat', model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: false, params: {} };
    const withTool = (value: unknown): GatewayRequest => ({ ...base, tool_choice: value });
    assertKeysEqual(withTool(0), withTool(-0));
    assertKeysEqual(withTool(Number.NaN), withTool(Number.POSITIVE_INFINITY));
    for (const [a, b] of [[1, '1'], [0.1, 0.2], [2 ** 40, 2 ** 40 + 1], [true, 1], [null, 0], [[], {}], [[1, 2], [2, 1]], [{ a: 1 }, { a: '1' }]] as const) {
      assertKeysDiffer(withTool(a), withTool(b));
    }
  });

  it('hashes a request the doors built (records read field by field) as its plain copy, whatever it holds', () => {
    const maybe = <T>(value: fc.Arbitrary<T>) => fc.option(value, { nil: undefined });
    const toolCall = fc.record({ id: fc.string({ maxLength: 4 }), type: fc.constant('function' as const), function: fc.record({ name: fc.string({ maxLength: 4 }), arguments: fc.string({ maxLength: 8 }) }) });
    const turnExtras = fc.record({ name: maybe(fc.string({ maxLength: 4 })), tool_call_id: maybe(fc.string({ maxLength: 4 })), tool_calls: maybe(fc.array(toolCall, { maxLength: 2 })) });
    const extraContext = maybe(fc.array(fc.record({ filename: fc.string({ maxLength: 6 }), text: fc.string({ maxLength: 12 }) }), { maxLength: 2 }));
    fc.assert(
      fc.property(anyRequest, turnExtras, fc.boolean(), extraContext, (request, extras, nullContent, context) => {
        const withContext: GatewayRequest = { ...request, extraContext: context };
        const plain: GatewayRequest = withContext.messages
          ? { ...withContext, messages: withContext.messages.map((m, i) => (i === 0 ? { ...m, ...extras, content: nullContent ? null : m.content } : m)) }
          : withContext;
        const records = asRecords(plain);
        assert.ok(records instanceof RequestRecord && records.params instanceof SamplingRecord);
        // A fresh hasher and one whose memos hold the other form's strings, turns and names.
        const used = new RequestHasher();
        assert.equal(used.hash(plain, 't'), new RequestHasher().hash(records, 't'));
        assert.equal(used.hash(records, 't'), used.hash(plain, 't'));
        assert.equal(keys.key(records, 't').digest, keys.key(plain, 't').digest);
      }),
      { numRuns: 500 },
    );
  });

  it('the doors build records, and a turn remembered by its place never answers for another', () => {
    const openai = chatRequestFromOpenAI({ model: 'm', messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }], temperature: 0 });
    const ollama = chatRequestFromOllama({ model: 'm', messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }], options: { temperature: 0 }, stream: false });
    for (const built of [openai, ollama]) {
      assert.ok(built instanceof RequestRecord && built.params instanceof SamplingRecord && built.messages!.every((m) => m instanceof ChatTurn));
    }
    const hasher = new RequestHasher();
    const first = hasher.hash(openai, 't');
    assert.equal(first, new RequestHasher().hash({ ...openai, messages: openai.messages!.map((m) => ({ ...m })), params: { ...openai.params } }, 't'));
    // Same places, other roles and contents (the same lengths, and parts, and null): each misses the slot and is read.
    const others: GatewayRequest[] = [
      chatRequestFromOpenAI({ model: 'm', messages: [{ role: 'user', content: 'ho' }, { role: 'assistant', content: 'hello' }], temperature: 0 }),
      chatRequestFromOpenAI({ model: 'm', messages: [{ role: 'system', content: 'hi' }, { role: 'assistant', content: 'hello' }], temperature: 0 }),
      chatRequestFromOpenAI({ model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }, { role: 'assistant', content: 'hello' }], temperature: 0 }),
      chatRequestFromOpenAI({ model: 'm', messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] }], temperature: 0 }),
    ];
    for (const other of others) {
      const seen = hasher.hash(other, 't');
      assert.notEqual(seen, first);
      assert.equal(seen, new RequestHasher().hash(other, 't'));
      assert.equal(hasher.hash(openai, 't'), first);
    }
  });

  it('caches deterministic requests and fill-in-the-middle by default, nothing else', () => {
    const chat: GatewayRequest = { kind: 'chat', model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: false, params: {} };
    assert.equal(isDeterministicOrFim(chat), false);
    assert.equal(isDeterministicOrFim({ ...chat, params: { temperature: 0 } }), true);
    assert.equal(isDeterministicOrFim({ ...chat, params: { temperature: 0.7, seed: 1 } }), true);
    assert.equal(isDeterministicOrFim({ kind: 'completion', model: 'm', prompt: 'a', suffix: 'b', stream: false, params: { temperature: 0.7 } }), true);
    assert.equal(isDeterministicOrFim({ kind: 'completion', model: 'm', prompt: 'a', stream: false, params: {} }), false);
  });
});
