/**
 * A 64-bit structural hash of a request: what the in-process cache layers index by.
 *
 * It walks the request itself instead of building its canonical text and hashing that (several
 * times cheaper), and allocates only the 4-character result (and a larger scratch buffer the first time a
 * string is longer than any before). Each string is hashed on its own and its two lanes mixed in
 * where it stands (string-lanes.ts, which remembers short strings: reading characters is most
 * of the cost). It follows the canonical text's rules (see cache-key.ts): every field except
 * the ignored ones, `undefined` equal to absent, stop sequences a set. Key order never matters
 * because each object's fields are hashed on their own and summed (addition commutes), instead
 * of being sorted.
 *
 * Two different requests can share an index (about 1 in 2^64 for two given requests, more often if
 * someone crafts them), so the index only finds a candidate: whoever would serve an answer for it
 * checks the SHA-256 digest of the canonical text first (CacheKey.digest).
 */
import { StringLanes } from './string-lanes';

// Two 32-bit multiply-rotate lanes; the multipliers are the odd 32-bit constants of xxHash32 and
// MurmurHash3, chosen for their bit spread, the seeds for nothing but being different.
const MULTIPLIER_A = 0x9e3779b1;
const MULTIPLIER_B = 0x85ebca77;
const SEED_A = 0x165667b1;
const SEED_B = 0x27d4eb2f;

/** Fields of GatewayRequest that do not change what the model produces. */
export const IGNORED_FIELDS: ReadonlySet<string> = new Set(['stream', 'keepAlive', 'model', 'user']);

// What each value is, in the low 3 bits of its first word: the encoding stays unambiguous, as
// the canonical text's type letters and length prefixes make it (TAG_STRING is 0).
const TAG_INT = 1;
const TAG_FLOAT = 2;
const TAG_NON_FINITE = 3;
const TAG_BOOLEAN = 4;
const TAG_NULL = 5;
const TAG_ARRAY = 6;
const TAG_OBJECT = 7;

/**
 * Field names are remembered by where they stand: which loop (the request's own fields, the
 * sampling parameters, objects in arrays such as chat turns, other objects) and their place in
 * the object, up to NAME_PLACES (a power of two; places wrap). Objects of one shape list their
 * names in one order, and property names are always internalized strings, so a known name
 * costs one pointer comparison and no character is read.
 */
const NAME_PLACES = 16;
const LOOP_REQUEST = 0;
const LOOP_PARAMS = 1;
const LOOP_ITEM = 2;
const LOOP_OBJECT = 3;
const NAME_SLOTS = 4 * NAME_PLACES;

/** MurmurHash3's finalizer: every input bit reaches every output bit. */
function avalanche(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * One per cache: it keeps its running lanes, scratch space and a memo of field names, so
 * hashing allocates nothing. Not re-entrant (nothing in a hash calls back out).
 */
export class RequestHasher {
  private a = SEED_A;
  private b = SEED_B;
  private readonly float = new Float64Array(1);
  private readonly floatWords = new Int32Array(this.float.buffer);
  /** Strings on their own, short ones remembered. */
  private readonly strings: StringLanes;
  /** How many string values this hash has met: a string's place in the strings' memo. */
  private place = 0;
  /** Field names by loop and place (see NAME_PLACES): each with its lanes, and whether a request ignores the field. */
  private readonly names: string[] = new Array<string>(NAME_SLOTS).fill('');
  private readonly nameLanes = new Int32Array(NAME_SLOTS * 2);
  private readonly nameIgnored = new Uint8Array(NAME_SLOTS);

  /** `bulkStringLength`: where long strings start (a test sets it to 0 to check both ways give one hash). */
  constructor(bulkStringLength?: number) {
    this.strings = new StringLanes(bulkStringLength);
    // Slots hold '' until used, with its lanes, so every comparison is string to string.
    this.strings.read('');
    for (let slot = 0; slot < NAME_SLOTS; slot++) {
      this.nameLanes[slot * 2] = this.strings.a;
      this.nameLanes[slot * 2 + 1] = this.strings.b;
      this.nameIgnored[slot] = IGNORED_FIELDS.has('') ? 1 : 0;
    }
  }

  /** The request's index for a resolved target: 64 bits as 4 UTF-16 code units (a Map key, never written anywhere). */
  hash(request: object, target: string): string {
    this.a = SEED_A;
    this.b = SEED_B;
    this.place = 0;
    this.string(target);
    this.requestFields(request as Record<string, unknown>);
    const a = avalanche(this.a ^ Math.imul(this.b, MULTIPLIER_A));
    const b = avalanche(this.b ^ a);
    return String.fromCharCode(a & 0xffff, a >>> 16, b & 0xffff, b >>> 16);
  }

  private word(w: number): void {
    const a = Math.imul(this.a ^ w, MULTIPLIER_A);
    const b = Math.imul(this.b ^ w, MULTIPLIER_B);
    // Multiplication only carries low bits upwards; the rotations bring high bits back down.
    this.a = (a << 13) | (a >>> 19);
    this.b = (b << 17) | (b >>> 15);
  }

  /** Three words at once: a set's tag and size, then its summed lanes. */
  private fold(head: number, sumA: number, sumB: number): void {
    let a = this.a;
    let b = this.b;
    a = Math.imul(a ^ head, MULTIPLIER_A);
    b = Math.imul(b ^ head, MULTIPLIER_B);
    a = (a << 13) | (a >>> 19);
    b = (b << 17) | (b >>> 15);
    a = Math.imul(a ^ sumA, MULTIPLIER_A);
    b = Math.imul(b ^ sumA, MULTIPLIER_B);
    a = (a << 13) | (a >>> 19);
    b = (b << 17) | (b >>> 15);
    a = Math.imul(a ^ sumB, MULTIPLIER_A);
    b = Math.imul(b ^ sumB, MULTIPLIER_B);
    this.a = (a << 13) | (a >>> 19);
    this.b = (b << 17) | (b >>> 15);
  }

  /** A string: its own lanes, one into each running lane. */
  private string(s: string): void {
    const strings = this.strings;
    strings.of(s, this.place++);
    const a = Math.imul(this.a ^ strings.a, MULTIPLIER_A);
    const b = Math.imul(this.b ^ strings.b, MULTIPLIER_B);
    this.a = (a << 13) | (a >>> 19);
    this.b = (b << 17) | (b >>> 15);
  }

  private value(value: unknown): void {
    switch (typeof value) {
      case 'string':
        this.string(value);
        return;
      case 'number':
        this.number(value);
        return;
      case 'boolean':
        this.word(value ? 8 + TAG_BOOLEAN : TAG_BOOLEAN);
        return;
      case 'object':
        if (value === null) this.word(TAG_NULL);
        else if (Array.isArray(value)) this.array(value);
        else this.object(value as Record<string, unknown>, LOOP_OBJECT);
        return;
      default:
        // As in the canonical text: what JSON cannot carry counts as null.
        this.word(TAG_NULL);
    }
  }

  /** -0 is 0 (the int path takes both), and every non-finite number is one value, as in the canonical text. */
  private number(value: number): void {
    if ((value | 0) === value) {
      this.word(TAG_INT);
      this.word(value);
    } else if (Number.isFinite(value)) {
      this.float[0] = value;
      this.word(TAG_FLOAT);
      this.word(this.floatWords[0]!);
      this.word(this.floatWords[1]!);
    } else {
      this.word(TAG_NON_FINITE);
    }
  }

  private array(items: unknown[]): void {
    this.word(items.length * 8 + TAG_ARRAY);
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      // Chat turns are plain objects: straight to `object`, past the type switch.
      if (typeof item === 'object' && item !== null && !Array.isArray(item)) this.object(item as Record<string, unknown>, LOOP_ITEM);
      else if (item === undefined) this.word(TAG_NULL);
      else this.value(item);
    }
  }

  /** An object's fields, in any order: each (name, value) is hashed from the seed, and the lanes summed. */
  private object(record: Record<string, unknown>, loop: number): void {
    const outerA = this.a;
    const outerB = this.b;
    let sumA = 0;
    let sumB = 0;
    let fields = 0;
    let place = 0;
    for (const key in record) {
      const item = record[key];
      if (item === undefined) continue;
      const slot = this.nameSlot(key, loop, place++);
      this.a = this.nameLanes[slot * 2]!;
      this.b = this.nameLanes[slot * 2 + 1]!;
      // Most fields are text: skip the type switch for them.
      if (typeof item === 'string') this.string(item);
      else this.value(item);
      sumA = (sumA + this.a) | 0;
      sumB = (sumB + this.b) | 0;
      fields++;
    }
    this.a = outerA;
    this.b = outerB;
    this.fold(fields * 8 + TAG_OBJECT, sumA, sumB);
  }

  /**
   * The request's own fields, as `object` does, less the ignored ones, and with `params` whose
   * `stop` is a set. Apart from `object`, so each loop sees objects of one shape.
   */
  private requestFields(request: Record<string, unknown>): void {
    const outerA = this.a;
    const outerB = this.b;
    let sumA = 0;
    let sumB = 0;
    let fields = 0;
    let place = 0;
    for (const key in request) {
      const item = request[key];
      if (item === undefined) continue;
      const slot = this.nameSlot(key, LOOP_REQUEST, place++);
      if (this.nameIgnored[slot] === 1) continue;
      this.a = this.nameLanes[slot * 2]!;
      this.b = this.nameLanes[slot * 2 + 1]!;
      if (key === 'params' && isRecord(item)) this.params(item);
      else this.value(item);
      sumA = (sumA + this.a) | 0;
      sumB = (sumB + this.b) | 0;
      fields++;
    }
    this.a = outerA;
    this.b = outerB;
    this.fold(fields * 8 + TAG_OBJECT, sumA, sumB);
  }

  /** The sampling parameters: an object whose `stop` is a set. */
  private params(params: Record<string, unknown>): void {
    const outerA = this.a;
    const outerB = this.b;
    let sumA = 0;
    let sumB = 0;
    let fields = 0;
    let place = 0;
    for (const key in params) {
      const item = params[key];
      if (item === undefined) continue;
      const slot = this.nameSlot(key, LOOP_PARAMS, place++);
      this.a = this.nameLanes[slot * 2]!;
      this.b = this.nameLanes[slot * 2 + 1]!;
      if (key === 'stop' && Array.isArray(item)) {
        if (!this.stopSet(item)) continue;
      } else {
        this.value(item);
      }
      sumA = (sumA + this.a) | 0;
      sumB = (sumB + this.b) | 0;
      fields++;
    }
    this.a = outerA;
    this.b = outerB;
    this.fold(fields * 8 + TAG_OBJECT, sumA, sumB);
  }

  /**
   * Stop sequences as a set: the distinct ones hashed on their own and summed, so order and
   * duplicates do not count. False for an empty list, which counts as no list.
   */
  private stopSet(stops: unknown[]): boolean {
    const fieldA = this.a;
    const fieldB = this.b;
    let sumA = 0;
    let sumB = 0;
    let distinct = 0;
    for (let i = 0; i < stops.length; i++) {
      const stop = stops[i];
      if (isEarlierDuplicate(stops, i, stop)) continue;
      this.a = SEED_A;
      this.b = SEED_B;
      this.value(stop);
      sumA = (sumA + avalanche(this.a)) | 0;
      sumB = (sumB + avalanche(this.b)) | 0;
      distinct++;
    }
    if (distinct === 0) return false;
    this.a = fieldA;
    this.b = fieldB;
    this.fold(distinct * 8 + TAG_ARRAY, sumA, sumB);
    return true;
  }

  /** The slot holding `name` at a loop's place, filled first if another name held it. */
  private nameSlot(name: string, loop: number, place: number): number {
    const slot = loop * NAME_PLACES + (place & (NAME_PLACES - 1));
    if (this.names[slot] === name) return slot;
    this.strings.read(name);
    this.names[slot] = name;
    this.nameLanes[slot * 2] = this.strings.a;
    this.nameLanes[slot * 2 + 1] = this.strings.b;
    this.nameIgnored[slot] = IGNORED_FIELDS.has(name) ? 1 : 0;
    return slot;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Providers take a handful of stop sequences (OpenAI at most 4): a scan beats building a Set. */
function isEarlierDuplicate(items: unknown[], index: number, item: unknown): boolean {
  for (let j = 0; j < index; j++) if (items[j] === item || (item !== item && items[j] !== items[j])) return true;
  return false;
}
