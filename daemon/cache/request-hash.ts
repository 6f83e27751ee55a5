/**
 * A 64-bit structural hash of a request: what the in-process cache layers index by.
 *
 * It walks the request itself instead of building its canonical text and hashing that (several
 * times cheaper), and allocates only the 4-character result (and a larger scratch buffer the
 * first time a string is longer than any before). Every value gets two 32-bit lanes of its own,
 * from the bottom up: a string's from its characters (string-lanes.ts, which remembers short
 * strings: reading characters is most of the cost), a number's, boolean's or null's from its
 * tag and bits, an array's from its length and its items' lanes in order, an object's from its
 * size and the sum of its fields' lanes, each field's lanes being its name's mixed with its
 * value's. Summing makes key order irrelevant (addition commutes) without sorting. The records
 * the doors build (request-records.ts: the request, its sampling parameters, its chat turns)
 * are read field by field, by name, instead of enumerated, to the same lanes; a chat turn's role
 * and content are remembered by its place, so a repeated turn costs two comparisons. It follows
 * the canonical text's rules (see cache-key.ts): every field except the ignored ones,
 * `undefined` equal to absent, stop sequences a set.
 *
 * Two different requests can share an index (about 1 in 2^64 for two given requests, more often if
 * someone crafts them), so the index only finds a candidate: whoever would serve an answer for it
 * checks the SHA-256 digest of the canonical text first (CacheKey.digest).
 */
import type { ChatMessage, GatewayRequest, SamplingParams } from '../../shared/gateway';
import { ChatTurn, RequestRecord, SamplingRecord } from '../core/request-records';
import { StringLanes } from './string-lanes';

// Two 32-bit multiply-rotate lanes; the multipliers are the odd 32-bit constants of xxHash32 and
// MurmurHash3, chosen for their bit spread, the seeds for nothing but being different.
const MULTIPLIER_A = 0x9e3779b1;
const MULTIPLIER_B = 0x85ebca77;
const SEED_A = 0x165667b1;
const SEED_B = 0x27d4eb2f;

/** Fields of GatewayRequest that do not change what the model produces. */
export const IGNORED_FIELDS: ReadonlySet<string> = new Set(['stream', 'keepAlive', 'model', 'user']);

// What each value is, in the low 3 bits of the first word of its lanes: the encoding stays
// unambiguous, as the canonical text's type letters and length prefixes make it (TAG_STRING is 0,
// in string-lanes.ts).
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
/**
 * Text fields of objects (a chat turn's role and content) are remembered whole, name and value
 * with the field's lanes, in the slot of the string's place (see `place`): the same field in the
 * same place costs two comparisons. Values up to FIELD_MAX_LENGTH characters are kept, so that
 * the memo never holds on to a long prompt.
 */
const FIELD_SLOTS = 256;
const FIELD_MAX_LENGTH = 1024;

/**
 * The fields of the records the doors build (request-records.ts) that the hasher reads by
 * name, by number: their names' lanes are kept in this order. Ignored fields are not listed.
 */
const KNOWN_FIELDS = [
  'role', 'content',
  'kind', 'messages', 'params', 'prompt', 'suffix', 'system', 'raw', 'extraContext', 'tools', 'tool_choice', 'response_format',
  'temperature', 'top_p', 'top_k', 'min_p', 'max_tokens', 'seed', 'stop', 'presence_penalty', 'frequency_penalty', 'repeat_penalty', 'reasoning_effort',
] as const;
const F_ROLE = 0;
const F_CONTENT = 1;
const F_KIND = 2;
const F_MESSAGES = 3;
const F_PARAMS = 4;
/** The request's other fields, prompt to response_format, in this order (see `otherRequestFields`). */
const F_PROMPT = 5;
const F_TEMPERATURE = 13;
const F_TOP_P = 14;
const F_TOP_K = 15;
const F_MIN_P = 16;
const F_MAX_TOKENS = 17;
const F_SEED = 18;
const F_STOP = 19;
const F_PRESENCE_PENALTY = 20;
const F_FREQUENCY_PENALTY = 21;
const F_REPEAT_PENALTY = 22;
const F_REASONING_EFFORT = 23;
// A field added to a record's type must be read by the hasher: these fail to compile until it is
// listed (in KNOWN_FIELDS, or for a turn among the fields `turnLanes` sends down the general path).
type KnownField = (typeof KNOWN_FIELDS)[number];
const turnFieldsKnown: keyof ChatMessage extends 'role' | 'content' | 'name' | 'tool_calls' | 'tool_call_id' ? true : false = true;
const requestFieldsKnown: Exclude<keyof GatewayRequest, 'model' | 'stream' | 'keepAlive'> extends KnownField ? true : false = true;
const samplingFieldsKnown: keyof SamplingParams extends KnownField ? true : false = true;
void [turnFieldsKnown, requestFieldsKnown, samplingFieldsKnown];
/** Every integer's lanes start from these: its tag's. */
const INT_HEAD_A = stepA(SEED_A, TAG_INT);
const INT_HEAD_B = stepB(SEED_B, TAG_INT);

/** MurmurHash3's finalizer: every input bit reaches every output bit. */
function avalanche(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * One step of lane A: multiply, then rotate (multiplication only carries low bits upwards; the
 * rotation brings high bits back down). The hot loops below write these steps out instead of
 * calling: whether the compiler inlines a call varies from run to run, and a call that is not
 * inlined boxes its 32-bit arguments, which made the same hash take twice as long in some runs.
 */
function stepA(a: number, w: number): number {
  const m = Math.imul(a ^ w, MULTIPLIER_A);
  return (m << 13) | (m >>> 19);
}

function stepB(b: number, w: number): number {
  const m = Math.imul(b ^ w, MULTIPLIER_B);
  return (m << 17) | (m >>> 15);
}

/**
 * One per cache: it keeps its scratch space and its memos of strings and field names, so
 * hashing allocates nothing. Not re-entrant (nothing in a hash calls back out).
 *
 * Every `…Lanes` method writes the value's two lanes into `out` (raw 32-bit integers: passed
 * or returned between functions that are not inlined, numbers outside the small-integer range
 * would be boxed), and the caller reads them at once.
 */
export class RequestHasher {
  private readonly out = new Int32Array(2);
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
  /** Text fields by place (see FIELD_SLOTS): name, value, and the field's lanes. */
  private readonly fieldNames: string[] = new Array<string>(FIELD_SLOTS).fill('');
  private readonly fieldValues: string[] = new Array<string>(FIELD_SLOTS).fill('');
  private readonly fieldLanes = new Int32Array(FIELD_SLOTS * 2);
  /** The lanes of KNOWN_FIELDS' names. */
  private readonly knownNames = new Int32Array(KNOWN_FIELDS.length * 2);
  /** Chat turns of role and text content only, by place: the two strings and the turn's lanes. */
  private readonly turnRoles: string[] = new Array<string>(FIELD_SLOTS).fill('');
  private readonly turnContents: string[] = new Array<string>(FIELD_SLOTS).fill('');
  private readonly turnLanesByPlace = new Int32Array(FIELD_SLOTS * 2);

  /** `bulkStringLength`: where long strings start (a test sets it to 0 to check both ways give one hash). */
  constructor(bulkStringLength?: number) {
    this.strings = new StringLanes(this.out, bulkStringLength);
    // Slots hold '' until used, with its lanes, so every comparison is string to string.
    this.strings.read('');
    for (let slot = 0; slot < NAME_SLOTS; slot++) {
      this.nameLanes[slot * 2] = this.out[0]!;
      this.nameLanes[slot * 2 + 1] = this.out[1]!;
      this.nameIgnored[slot] = IGNORED_FIELDS.has('') ? 1 : 0;
    }
    for (let field = 0; field < FIELD_SLOTS; field++) this.rememberField(field, '', '', LOOP_OBJECT, 0);
    for (let known = 0; known < KNOWN_FIELDS.length; known++) {
      this.strings.read(KNOWN_FIELDS[known]!);
      this.knownNames[known * 2] = this.out[0]!;
      this.knownNames[known * 2 + 1] = this.out[1]!;
    }
    for (let slot = 0; slot < FIELD_SLOTS; slot++) this.rememberTurn(slot, '', '');
  }

  /** The request's index for a resolved target: 64 bits as 4 UTF-16 code units (a Map key, never written anywhere). */
  hash(request: object, target: string): string {
    const out = this.out;
    this.place = 0;
    this.strings.of(target, this.place++);
    const targetA = out[0]!;
    const targetB = out[1]!;
    if (request instanceof RequestRecord) this.knownRequestLanes(request);
    else this.recordLanes(request as Record<string, unknown>, LOOP_REQUEST);
    let a = Math.imul(targetA ^ out[0]!, MULTIPLIER_A);
    let b = Math.imul(targetB ^ out[1]!, MULTIPLIER_B);
    a = (a << 13) | (a >>> 19);
    b = (b << 17) | (b >>> 15);
    a = avalanche(a ^ Math.imul(b, MULTIPLIER_A));
    b = avalanche(b ^ a);
    return String.fromCharCode(a & 0xffff, a >>> 16, b & 0xffff, b >>> 16);
  }

  /** The lanes of a value that is its tag alone, or its tag and one word. */
  private tagLanes(tag: number): void {
    this.out[0] = stepA(SEED_A, tag);
    this.out[1] = stepB(SEED_B, tag);
  }

  /** Tests one type at a time: each `typeof x === '…'` compiles to a type check, where a `switch` on `typeof` calls a builtin. */
  private valueLanes(value: unknown): void {
    if (typeof value === 'string') this.strings.of(value, this.place++);
    else if (typeof value === 'number') this.numberLanes(value);
    else if (typeof value === 'object') {
      if (value === null) this.tagLanes(TAG_NULL);
      else if (Array.isArray(value)) this.arrayLanes(value);
      else this.objectLanes(value as Record<string, unknown>, LOOP_OBJECT);
    } else if (typeof value === 'boolean') this.tagLanes(value ? 8 + TAG_BOOLEAN : TAG_BOOLEAN);
    // As in the canonical text: what JSON cannot carry counts as null.
    else this.tagLanes(TAG_NULL);
  }

  /** -0 is 0 (the int path takes both), and every non-finite number is one value, as in the canonical text. */
  private numberLanes(value: number): void {
    const out = this.out;
    if ((value | 0) === value) {
      out[0] = stepA(INT_HEAD_A, value);
      out[1] = stepB(INT_HEAD_B, value);
    } else if (Number.isFinite(value)) {
      this.float[0] = value;
      const low = this.floatWords[0]!;
      const high = this.floatWords[1]!;
      out[0] = stepA(stepA(stepA(SEED_A, TAG_FLOAT), low), high);
      out[1] = stepB(stepB(stepB(SEED_B, TAG_FLOAT), low), high);
    } else {
      this.tagLanes(TAG_NON_FINITE);
    }
  }

  /** Items in order: the length first, then each item's lanes. */
  private arrayLanes(items: unknown[]): void {
    const out = this.out;
    let a = stepA(SEED_A, items.length * 8 + TAG_ARRAY);
    let b = stepB(SEED_B, items.length * 8 + TAG_ARRAY);
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      // Chat turns: read by name when a door built them, else straight to `objectLanes`, past the type switch.
      if (item instanceof ChatTurn) this.turnLanes(item);
      else if (typeof item === 'object' && item !== null && !Array.isArray(item)) this.objectLanes(item as Record<string, unknown>, LOOP_ITEM);
      else if (item === undefined) this.tagLanes(TAG_NULL);
      else this.valueLanes(item);
      a = Math.imul(a ^ out[0]!, MULTIPLIER_A);
      b = Math.imul(b ^ out[1]!, MULTIPLIER_B);
      a = (a << 13) | (a >>> 19);
      b = (b << 17) | (b >>> 15);
    }
    out[0] = a;
    out[1] = b;
  }

  /** An object's fields, in any order: each field's lanes (its name's mixed with its value's), summed. */
  private objectLanes(record: Record<string, unknown>, loop: number): void {
    const out = this.out;
    const fieldLanes = this.fieldLanes;
    let sumA = 0;
    let sumB = 0;
    let fields = 0;
    for (const key in record) {
      const item = record[key];
      if (item === undefined) continue;
      let a: number;
      let b: number;
      if (typeof item === 'string' && item.length <= FIELD_MAX_LENGTH) {
        const field = this.place++ & (FIELD_SLOTS - 1);
        if (this.fieldNames[field] !== key || this.fieldValues[field] !== item) this.rememberField(field, key, item, loop, fields);
        a = fieldLanes[field * 2]!;
        b = fieldLanes[field * 2 + 1]!;
      } else {
        // Read before the value: a nested object of the same loop can take the slot over.
        const slot = this.nameSlot(key, loop, fields);
        const nameA = this.nameLanes[slot * 2]!;
        const nameB = this.nameLanes[slot * 2 + 1]!;
        if (typeof item === 'string') this.strings.of(item, this.place++);
        else this.valueLanes(item);
        a = Math.imul(nameA ^ out[0]!, MULTIPLIER_A);
        b = Math.imul(nameB ^ out[1]!, MULTIPLIER_B);
        a = (a << 13) | (a >>> 19);
        b = (b << 17) | (b >>> 15);
      }
      sumA = (sumA + a) | 0;
      sumB = (sumB + b) | 0;
      fields++;
    }
    out[0] = sumA;
    out[1] = sumB;
    this.closeSet(fields * 8 + TAG_OBJECT);
  }

  /**
   * A request a door built (RequestRecord), read field by field: the lanes `recordLanes` gives
   * the same request as a plain object, without enumerating it. The known records' methods
   * keep their sums in local variables and each field in `out` (see `knownField`): calls
   * between them pass no 32-bit number that could be boxed.
   */
  private knownRequestLanes(request: RequestRecord): void {
    const out = this.out;
    let sumA = 0;
    let sumB = 0;
    let fields = 0;
    const kind = request.kind;
    if (kind !== undefined) {
      if (typeof kind === 'string') this.stringField(F_KIND, kind);
      else this.knownField(F_KIND, kind);
      sumA = (sumA + out[0]!) | 0;
      sumB = (sumB + out[1]!) | 0;
      fields++;
    }
    const messages = request.messages;
    if (messages !== undefined) {
      if (Array.isArray(messages)) this.arrayLanes(messages);
      else this.valueLanes(messages);
      this.nameField(F_MESSAGES);
      sumA = (sumA + out[0]!) | 0;
      sumB = (sumB + out[1]!) | 0;
      fields++;
    }
    const params = request.params;
    if (params !== undefined) {
      if (params instanceof SamplingRecord) this.knownSamplingLanes(params);
      else if (isRecord(params)) this.recordLanes(params as Record<string, unknown>, LOOP_PARAMS);
      else this.valueLanes(params);
      this.nameField(F_PARAMS);
      sumA = (sumA + out[0]!) | 0;
      sumB = (sumB + out[1]!) | 0;
      fields++;
    }
    // The other fields apart, so that this stays small enough for the compiler to inline its calls.
    if (
      request.prompt !== undefined ||
      request.suffix !== undefined ||
      request.system !== undefined ||
      request.raw !== undefined ||
      request.extraContext !== undefined ||
      request.tools !== undefined ||
      request.tool_choice !== undefined ||
      request.response_format !== undefined
    ) {
      fields += this.otherRequestFields(request);
      sumA = (sumA + out[0]!) | 0;
      sumB = (sumB + out[1]!) | 0;
    }
    out[0] = sumA;
    out[1] = sumB;
    this.closeSet(fields * 8 + TAG_OBJECT);
  }

  /** `knownRequestLanes`' fields other than the kind, turns and parameters (rare in a chat): their summed lanes in `out`, and how many there are. */
  private otherRequestFields(request: RequestRecord): number {
    const out = this.out;
    const values = [request.prompt, request.suffix, request.system, request.raw, request.extraContext, request.tools, request.tool_choice, request.response_format];
    let sumA = 0;
    let sumB = 0;
    let fields = 0;
    for (let i = 0; i < values.length; i++) {
      if (values[i] === undefined) continue;
      this.knownField(F_PROMPT + i, values[i]);
      sumA = (sumA + out[0]!) | 0;
      sumB = (sumB + out[1]!) | 0;
      fields++;
    }
    out[0] = sumA;
    out[1] = sumB;
    return fields;
  }

  /**
   * Sampling parameters a door built (SamplingRecord), read field by field, as `recordLanes`
   * reads them (stop sequences a set). Written out field by field with the sums in local
   * variables, as `knownRequestLanes` is: the same reading through one helper per field adding
   * into a shared two-word sum (a typed array) took the key row from 125 to 185 ns, and a loop
   * over the fields with a switch about doubled it.
   */
  private knownSamplingLanes(params: SamplingRecord): void {
    const out = this.out;
    let sumA = 0;
    let sumB = 0;
    let fields = 0;
    const temperature = params.temperature;
    if (temperature !== undefined && this.numberField(F_TEMPERATURE, temperature)) {
      sumA = (sumA + out[0]!) | 0;
      sumB = (sumB + out[1]!) | 0;
      fields++;
    }
    const topP = params.top_p;
    if (topP !== undefined && this.numberField(F_TOP_P, topP)) {
      sumA = (sumA + out[0]!) | 0;
      sumB = (sumB + out[1]!) | 0;
      fields++;
    }
    const topK = params.top_k;
    if (topK !== undefined && this.numberField(F_TOP_K, topK)) {
      sumA = (sumA + out[0]!) | 0;
      sumB = (sumB + out[1]!) | 0;
      fields++;
    }
    const minP = params.min_p;
    if (minP !== undefined && this.numberField(F_MIN_P, minP)) {
      sumA = (sumA + out[0]!) | 0;
      sumB = (sumB + out[1]!) | 0;
      fields++;
    }
    const maxTokens = params.max_tokens;
    if (maxTokens !== undefined && this.numberField(F_MAX_TOKENS, maxTokens)) {
      sumA = (sumA + out[0]!) | 0;
      sumB = (sumB + out[1]!) | 0;
      fields++;
    }
    const seed = params.seed;
    if (seed !== undefined && this.numberField(F_SEED, seed)) {
      sumA = (sumA + out[0]!) | 0;
      sumB = (sumB + out[1]!) | 0;
      fields++;
    }
    const stop = params.stop;
    // An empty list of stop sequences counts as none.
    if (stop !== undefined && (Array.isArray(stop) ? this.stopSetLanes(stop) && this.nameField(F_STOP) : this.knownField(F_STOP, stop))) {
      sumA = (sumA + out[0]!) | 0;
      sumB = (sumB + out[1]!) | 0;
      fields++;
    }
    const presencePenalty = params.presence_penalty;
    if (presencePenalty !== undefined && this.numberField(F_PRESENCE_PENALTY, presencePenalty)) {
      sumA = (sumA + out[0]!) | 0;
      sumB = (sumB + out[1]!) | 0;
      fields++;
    }
    const frequencyPenalty = params.frequency_penalty;
    if (frequencyPenalty !== undefined && this.numberField(F_FREQUENCY_PENALTY, frequencyPenalty)) {
      sumA = (sumA + out[0]!) | 0;
      sumB = (sumB + out[1]!) | 0;
      fields++;
    }
    const repeatPenalty = params.repeat_penalty;
    if (repeatPenalty !== undefined && this.numberField(F_REPEAT_PENALTY, repeatPenalty)) {
      sumA = (sumA + out[0]!) | 0;
      sumB = (sumB + out[1]!) | 0;
      fields++;
    }
    const reasoningEffort = params.reasoning_effort;
    if (reasoningEffort !== undefined && this.knownField(F_REASONING_EFFORT, reasoningEffort)) {
      sumA = (sumA + out[0]!) | 0;
      sumB = (sumB + out[1]!) | 0;
      fields++;
    }
    out[0] = sumA;
    out[1] = sumB;
    this.closeSet(fields * 8 + TAG_OBJECT);
  }

  /**
   * A chat turn a door built (ChatTurn). One of a role and text content only (most turns) is
   * remembered with its lanes by the turn's place, as `objectLanes` remembers text fields: a
   * repeated turn costs two comparisons. Any other turn (tool calls, a name, content parts or
   * none, a long text) takes the general path, to the same lanes.
   */
  private turnLanes(turn: ChatTurn): void {
    const role = turn.role;
    const content = turn.content;
    if (
      typeof role !== 'string' ||
      typeof content !== 'string' ||
      content.length > FIELD_MAX_LENGTH ||
      turn.name !== undefined ||
      turn.tool_calls !== undefined ||
      turn.tool_call_id !== undefined
    ) {
      this.objectLanes(turn as unknown as Record<string, unknown>, LOOP_ITEM);
      return;
    }
    const slot = this.place++ & (FIELD_SLOTS - 1);
    if (this.turnRoles[slot] !== role || this.turnContents[slot] !== content) this.rememberTurn(slot, role, content);
    this.out[0] = this.turnLanesByPlace[slot * 2]!;
    this.out[1] = this.turnLanesByPlace[slot * 2 + 1]!;
  }

  /** A turn of a role and text content: its lanes (an object of those two fields), kept in its slot with the two strings. */
  private rememberTurn(slot: number, role: string, content: string): void {
    const out = this.out;
    this.strings.of(role, this.place++);
    this.nameField(F_ROLE);
    const roleA = out[0]!;
    const roleB = out[1]!;
    this.strings.of(content, this.place++);
    this.nameField(F_CONTENT);
    out[0] = (roleA + out[0]!) | 0;
    out[1] = (roleB + out[1]!) | 0;
    this.closeSet(2 * 8 + TAG_OBJECT);
    this.turnLanesByPlace[slot * 2] = out[0]!;
    this.turnLanesByPlace[slot * 2 + 1] = out[1]!;
    this.turnRoles[slot] = role;
    this.turnContents[slot] = content;
  }

  /** A known field's lanes into `out`: its name's (KNOWN_FIELDS) mixed with its value's, as `objectLanes` mixes any field. True, to be used in a condition. */
  private knownField(name: number, value: unknown): true {
    if (typeof value === 'string') this.strings.of(value, this.place++);
    else this.valueLanes(value);
    return this.nameField(name);
  }

  /**
   * `knownField` for a field that is a number in every valid request (the sampling parameters;
   * an integer, such as a token limit or a temperature of 0, without a call), and for one that
   * is text. Each sees one type where `knownField` sees every type: with the sampling numbers
   * going through `knownField` too, the key row took 125–140 ns in most processes and about
   * 220 ns in some; with these, 109–129 ns in the processes that were fast.
   */
  private numberField(name: number, value: unknown): true {
    if (typeof value !== 'number' || (value | 0) !== value) return this.knownField(name, value);
    this.out[0] = stepA(INT_HEAD_A, value);
    this.out[1] = stepB(INT_HEAD_B, value);
    return this.nameField(name);
  }

  private stringField(name: number, value: string): true {
    this.strings.of(value, this.place++);
    return this.nameField(name);
  }

  /**
   * Mixes the known field's name (KNOWN_FIELDS) into the value's lanes in `out`. The mix is
   * `stepA`/`stepB` written out: calling them here took the key row from 121–127 to 137–144 ns
   * (six processes each, alternating), as the calls were not inlined.
   */
  private nameField(name: number): true {
    const out = this.out;
    const a = Math.imul(this.knownNames[name * 2]! ^ out[0]!, MULTIPLIER_A);
    const b = Math.imul(this.knownNames[name * 2 + 1]! ^ out[1]!, MULTIPLIER_B);
    out[0] = (a << 13) | (a >>> 19);
    out[1] = (b << 17) | (b >>> 15);
    return true;
  }

  /** A text field's lanes, remembered in its slot: its name's mixed with its value's, as `objectLanes` mixes any field. */
  private rememberField(field: number, key: string, item: string, loop: number, place: number): void {
    const slot = this.nameSlot(key, loop, place);
    this.strings.read(item);
    this.fieldNames[field] = key;
    this.fieldValues[field] = item;
    this.fieldLanes[field * 2] = stepA(this.nameLanes[slot * 2]!, this.out[0]!);
    this.fieldLanes[field * 2 + 1] = stepB(this.nameLanes[slot * 2 + 1]!, this.out[1]!);
  }

  /**
   * The request's own fields (less the ignored ones, and with `params` through here again) or
   * the sampling parameters (whose `stop` is a set), as `objectLanes` does. Apart from
   * `objectLanes`, so its loop sees objects of the few shapes requests have.
   */
  private recordLanes(record: Record<string, unknown>, loop: typeof LOOP_REQUEST | typeof LOOP_PARAMS): void {
    const out = this.out;
    const nameLanes = this.nameLanes;
    let sumA = 0;
    let sumB = 0;
    let fields = 0;
    let place = 0;
    for (const key in record) {
      const item = record[key];
      if (item === undefined) continue;
      const slot = this.nameSlot(key, loop, place++);
      const nameA = nameLanes[slot * 2]!;
      const nameB = nameLanes[slot * 2 + 1]!;
      if (loop === LOOP_REQUEST) {
        if (this.nameIgnored[slot] === 1) continue;
        if (key === 'params' && isRecord(item)) this.recordLanes(item, LOOP_PARAMS);
        else this.valueLanes(item);
      } else if (key === 'stop' && Array.isArray(item)) {
        if (!this.stopSetLanes(item)) continue;
      } else {
        this.valueLanes(item);
      }
      let a = Math.imul(nameA ^ out[0]!, MULTIPLIER_A);
      let b = Math.imul(nameB ^ out[1]!, MULTIPLIER_B);
      a = (a << 13) | (a >>> 19);
      b = (b << 17) | (b >>> 15);
      sumA = (sumA + a) | 0;
      sumB = (sumB + b) | 0;
      fields++;
    }
    out[0] = sumA;
    out[1] = sumB;
    this.closeSet(fields * 8 + TAG_OBJECT);
  }

  /**
   * Stop sequences as a set: the distinct ones' lanes, each through the finalizer, summed, so
   * order and duplicates do not count. False for an empty list, which counts as no list.
   */
  private stopSetLanes(stops: unknown[]): boolean {
    const out = this.out;
    let sumA = 0;
    let sumB = 0;
    let distinct = 0;
    for (let i = 0; i < stops.length; i++) {
      const stop = stops[i];
      if (isEarlierDuplicate(stops, i, stop)) continue;
      this.valueLanes(stop);
      sumA = (sumA + avalanche(out[0]!)) | 0;
      sumB = (sumB + avalanche(out[1]!)) | 0;
      distinct++;
    }
    if (distinct === 0) return false;
    out[0] = sumA;
    out[1] = sumB;
    this.closeSet(distinct * 8 + TAG_ARRAY);
    return true;
  }

  /**
   * A set's lanes (an object's fields, the stop sequences): its tag and size, then its summed
   * lanes, which the caller leaves in `out` (where a call that is not inlined cannot box them).
   */
  private closeSet(head: number): void {
    const out = this.out;
    out[0] = stepA(stepA(SEED_A, head), out[0]!);
    out[1] = stepB(stepB(SEED_B, head), out[1]!);
  }

  /** The slot holding `name` at a loop's place, filled first if another name held it. */
  private nameSlot(name: string, loop: number, place: number): number {
    const slot = loop * NAME_PLACES + (place & (NAME_PLACES - 1));
    if (this.names[slot] === name) return slot;
    this.strings.read(name);
    this.names[slot] = name;
    this.nameLanes[slot * 2] = this.out[0]!;
    this.nameLanes[slot * 2 + 1] = this.out[1]!;
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
