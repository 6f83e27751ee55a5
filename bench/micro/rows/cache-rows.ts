/**
 * The response cache's in-process layer as the gateway calls it (by the key's 64-bit index,
 * entry size counted for the byte bound, expiry checked on read), and the cache key itself:
 * the index every request computes, and the SHA-256 digest computed only to store an answer
 * or to confirm a hit.
 */
import type { GatewayRequest, GatewayResponse } from '../../../shared/gateway';
import type { OpenAIChatRequest } from '../../../shared/protocol/openai';
import { CacheKeys, requestDigest } from '../../../daemon/cache/cache-key';
import { entryBytes, type CachedEntry } from '../../../daemon/cache/cached-entry';
import { MemoryLru } from '../../../daemon/cache/memory-lru';
import { chatRequestFromOpenAI } from '../../../daemon/http/translate/openai-request';
import { chatMessages, HOT_PATH_BUDGET_NS, type MicroGroup } from '../micro-row';

const ENTRIES = 1_000;
const HOUR_MS = 3_600_000;
/** Separately parsed copies of the keyed request, taken in turn (a power of two, picked with a mask): no string or object is shared between two iterations unless the JSON parser shares it between two real requests. */
const KEYED_COPIES = 1_024;

function request(messages: number, salt: number): GatewayRequest {
  const turns = chatMessages(messages);
  turns[turns.length - 1] = { ...turns[turns.length - 1]!, content: `${turns[turns.length - 1]!.content} (${salt})` };
  return { kind: 'chat', model: 'm', messages: turns, stream: false, params: { temperature: 0, max_tokens: 256 } };
}

/**
 * hoosh's input for its key row (5 messages, user and assistant in turn, "message 0" to
 * "message 4"; with the parameters a deterministic request carries), as a request reaches the
 * cache: a JSON body parsed and translated by the OpenAI door, once per copy.
 */
function hooshKeyRequests(copies: number, content: (copy: number, turn: number) => string): GatewayRequest[] {
  return Array.from({ length: copies }, (_, copy) => {
    const messages = Array.from({ length: 5 }, (_, i) => ({ role: i % 2 === 0 ? 'user' : 'assistant', content: content(copy, i) }));
    const body = JSON.stringify({ model: 'm', messages, temperature: 0, max_tokens: 256 });
    return chatRequestFromOpenAI(JSON.parse(body) as OpenAIChatRequest);
  });
}

function entry(): CachedEntry {
  const response: GatewayResponse = {
    id: 'chatcmpl-bench',
    model: 'm',
    created: Math.floor(Date.now() / 1000),
    text: 'The parser now lives in its own module, and the tests follow it.',
    finishReason: 'stop',
    usage: { promptTokens: 48, completionTokens: 16 },
  };
  return { response, provider: 'p0', model: 'm', target: 'p0/m', storedAt: Date.now() };
}

export const cacheRows: MicroGroup = {
  title: 'Cache',
  rows: [
    { name: 'cache/get-hit-1k', input: '1,000 entries, key present', hooshNs: 62, budgetNs: HOT_PATH_BUDGET_NS },
    { name: 'cache/get-miss-1k', input: '1,000 entries, key absent', hooshNs: 25, budgetNs: HOT_PATH_BUDGET_NS },
    { name: 'cache/insert-below-capacity', input: 'a new key, far below the bounds', hooshNs: 189_000, budgetNs: HOT_PATH_BUDGET_NS },
    { name: 'cache/insert-evicting', input: 'a new key at 1,000 entries (the oldest evicted)', hooshNs: 4_000, budgetNs: HOT_PATH_BUDGET_NS },
    {
      name: 'cache/key-5-messages',
      input:
        '64-bit structural hash (the in-memory index; SHA-256 only on store/hit) of hoosh\'s 5 messages ("message 0".."message 4", user/assistant) + temperature, max_tokens: ' +
        `${KEYED_COPIES.toLocaleString('en-US')} JSON bodies parsed and translated by the OpenAI door, taken in turn. Their strings (10 characters or fewer) are the parser's ` +
        'interned ones, so the hasher\'s memo of turns by place finds each with two pointer comparisons, as for any client whose requests repeat short strings',
      hooshNs: 131,
      budgetNs: HOT_PATH_BUDGET_NS,
    },
    {
      name: 'cache/key-5-messages-unseen',
      input: `the same, but every copy's five contents are its own (9 characters, like hoosh's): each is read, as a request with new text is`,
      hooshNs: null,
      budgetNs: HOT_PATH_BUDGET_NS,
    },
    { name: 'cache/key-5-messages-digest', input: 'the same requests\' canonical text and SHA-256: confirms a hit, keys the file and Redis stores', hooshNs: null, budgetNs: HOT_PATH_BUDGET_NS },
  ],
  async open() {
    const value = entry();
    const cacheKeys = new CacheKeys();
    const keys = Array.from({ length: ENTRIES }, (_, i) => cacheKeys.key(request(5, i), 'p0/m').index);
    const full = new MemoryLru<CachedEntry>({ maxEntries: ENTRIES, maxBytes: 1 << 30 });
    const expiresAt = Date.now() + HOUR_MS;
    for (const key of keys) full.set(key, value, entryBytes(value, key.length), expiresAt);
    const missing = cacheKeys.key(request(5, -1), 'p0/m').index;
    // Fresh keys for the inserts, made before measuring: the rows time the insert, not the key.
    const fresh = Array.from({ length: 1 << 16 }, (_, i) => cacheKeys.key(request(5, ENTRIES + i), 'p0/m').index);
    const roomy = new MemoryLru<CachedEntry>({ maxEntries: 1 << 30, maxBytes: 1 << 40 });
    let next = 0;
    let hit = 0;
    const keyed = hooshKeyRequests(KEYED_COPIES, (_, turn) => `message ${turn}`);
    const unseen = hooshKeyRequests(KEYED_COPIES, (copy, turn) => `turn ${(copy * 5 + turn).toString(36).padStart(4, '0')}`);
    let nextKeyed = 0;
    return {
      bodies: {
        'cache/get-hit-1k': () => full.get(keys[hit++ % ENTRIES]!),
        'cache/get-miss-1k': () => full.get(missing),
        'cache/insert-below-capacity': () => {
          const key = fresh[next++ & 0xffff]!;
          // Each pass over the fresh keys starts from an empty layer again, so every set is an insert.
          if ((next & 0xffff) === 0) roomy.clear();
          return roomy.set(key, value, entryBytes(value, key.length), expiresAt);
        },
        'cache/insert-evicting': () => {
          const key = fresh[next++ & 0xffff]!;
          return full.set(key, value, entryBytes(value, key.length), expiresAt);
        },
        'cache/key-5-messages': () => cacheKeys.key(keyed[nextKeyed++ & (KEYED_COPIES - 1)]!, 'p0/m'),
        'cache/key-5-messages-unseen': () => cacheKeys.key(unseen[nextKeyed++ & (KEYED_COPIES - 1)]!, 'p0/m'),
        'cache/key-5-messages-digest': () => requestDigest(keyed[nextKeyed++ & (KEYED_COPIES - 1)]!, 'p0/m'),
      },
      close: () => {},
    };
  },
};
