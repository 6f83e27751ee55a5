/**
 * The 64-bit hash of one string on its own (two 32-bit lanes, from fixed seeds), for the
 * request hash (request-hash.ts) to mix in where the string stands.
 *
 * Reading characters is most of a request's hash: `charCodeAt` costs about 1.5 ns each where
 * this was measured, whatever is done with them. Two things keep that down:
 * - Short strings are remembered with their lanes in a direct-mapped memo, compared with
 *   `===`. The slot is chosen by where the string stands in the request (the caller's place
 *   number) and its length, not by its characters, so finding it reads none. V8's JSON parser
 *   internalizes string values of up to 10 characters (roles, short contents, enum-like
 *   parameters), so those are the same string object in every request that carries them, and
 *   requests of one client have the same shape, so the same place: the comparison is then a
 *   pointer comparison. A string equal to the remembered one but not the same object is
 *   compared natively, still cheaper than reading it here; another string is a miss, read and
 *   remembered in its place. The memo only skips work: what it gives is what reading the
 *   string gives (the string is compared whole, never a sample of it). Objects' text fields
 *   are remembered the same way by request-hash.ts, with their names; this memo serves the
 *   other strings (the target, a request's own text fields, strings in arrays).
 * - From BULK_STRING_LENGTH on, a string is copied out natively and read a word at a time.
 */
import { endianness } from 'node:os';

// The request hash's lanes (request-hash.ts), with their own seeds. Constants are not imported
// from there: under tsx an imported binding is a getter call on every use.
const MULTIPLIER_A = 0x9e3779b1;
const MULTIPLIER_B = 0x85ebca77;
const SEED_A = 0x3c6ef372;
const SEED_B = 0x61c88647;
/** A string's first word: its length and this tag (the request hash's type tags are 3 bits). */
const TAG_STRING = 0;

/**
 * The longest string remembered, and the bits its length takes in a slot number. Internalized
 * strings (up to 10 characters from JSON, and literals) are where the memo pays most; up to
 * this length, a string equal to a remembered one (a resolved target, a repeated short turn)
 * is still compared faster than read.
 */
const LENGTH_BITS = 5;
const MEMO_MAX_LENGTH = (1 << LENGTH_BITS) - 1;
/** Strings remembered: for each of 32 places (place numbers wrap), one per length. */
const MEMO_SLOTS = 1024;
/**
 * From this length on, a string is copied out natively and read a word at a time: the copy's
 * fixed cost is then repaid (about 96 characters where measured; at 1,024, 40% cheaper). The
 * words are read in the machine's byte order, so a big-endian machine reads every string by
 * character instead.
 */
const BULK_STRING_LENGTH = endianness() === 'LE' ? 96 : Number.POSITIVE_INFINITY;

export class StringLanes {
  /** Slots hold '' until used (with the lanes of ''), so every comparison is string to string. */
  private readonly memoStrings: string[] = new Array<string>(MEMO_SLOTS).fill('');
  private readonly memoLanes = new Int32Array(MEMO_SLOTS * 2);
  /** UTF-16 code units of a long string, read as 32-bit words (two characters each, as charCodeAt pairs them). */
  private bulk = Buffer.alloc(1024);
  private bulkWords = new Int32Array(this.bulk.buffer, this.bulk.byteOffset, this.bulk.length >> 2);
  private readonly bulkStringLength: number;

  /**
   * `out`: where each string's two lanes are written (raw 32-bit integers: returned or passed
   * to a function that is not inlined, one outside the small-integer range would be boxed).
   * `bulkStringLength`: where long strings start (a test sets it to 0 to check both ways give one hash).
   */
  constructor(
    private readonly out: Int32Array,
    bulkStringLength = BULK_STRING_LENGTH,
  ) {
    this.bulkStringLength = endianness() === 'LE' ? bulkStringLength : Number.POSITIVE_INFINITY;
    this.read('');
    for (let slot = 0; slot < MEMO_SLOTS; slot++) {
      this.memoLanes[slot * 2] = out[0]!;
      this.memoLanes[slot * 2 + 1] = out[1]!;
    }
  }

  /** Writes the lanes of `s`, remembered at `place` (any number the caller keeps steady for a string's position) if it is short. */
  of(s: string, place: number): void {
    const length = s.length;
    if (length > MEMO_MAX_LENGTH) {
      this.read(s);
      return;
    }
    const slot = ((place << LENGTH_BITS) | length) & (MEMO_SLOTS - 1);
    const out = this.out;
    if (this.memoStrings[slot] === s) {
      out[0] = this.memoLanes[slot * 2]!;
      out[1] = this.memoLanes[slot * 2 + 1]!;
      return;
    }
    this.read(s);
    this.memoStrings[slot] = s;
    this.memoLanes[slot * 2] = out[0]!;
    this.memoLanes[slot * 2 + 1] = out[1]!;
  }

  /** Writes the lanes of `s`, read whole. */
  read(s: string): void {
    if (s.length >= this.bulkStringLength) this.readBulk(s);
    else this.readChars(s);
  }

  /** The lanes of `s`, read a character pair at a time. */
  private readChars(s: string): void {
    const length = s.length;
    let a = Math.imul(SEED_A ^ (length * 8 + TAG_STRING), MULTIPLIER_A);
    let b = Math.imul(SEED_B ^ (length * 8 + TAG_STRING), MULTIPLIER_B);
    a = (a << 13) | (a >>> 19);
    b = (b << 17) | (b >>> 15);
    let i = 0;
    for (; i + 1 < length; i += 2) {
      const w = s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16);
      a = Math.imul(a ^ w, MULTIPLIER_A);
      b = Math.imul(b ^ w, MULTIPLIER_B);
      // Multiplication only carries low bits upwards; the rotations bring high bits back down.
      a = (a << 13) | (a >>> 19);
      b = (b << 17) | (b >>> 15);
    }
    if (i < length) {
      const w = s.charCodeAt(i);
      a = Math.imul(a ^ w, MULTIPLIER_A);
      b = Math.imul(b ^ w, MULTIPLIER_B);
      a = (a << 13) | (a >>> 19);
      b = (b << 17) | (b >>> 15);
    }
    this.out[0] = a;
    this.out[1] = b;
  }

  /** The same words as `read`, from a native copy of the UTF-16 code units (little-endian, as the words are read). */
  private readBulk(s: string): void {
    const length = s.length;
    if (length * 2 + 4 > this.bulk.length) {
      this.bulk = Buffer.alloc(2 ** Math.ceil(Math.log2(length * 2 + 4)));
      this.bulkWords = new Int32Array(this.bulk.buffer, this.bulk.byteOffset, this.bulk.length >> 2);
    }
    // The zero after an odd last character makes its word equal to charCodeAt's lone last word.
    this.bulk.writeUInt32LE(0, (length >> 1) * 4);
    this.bulk.write(s, 0, 'utf16le');
    const words = this.bulkWords;
    const count = (length + 1) >> 1;
    let a = Math.imul(SEED_A ^ (length * 8 + TAG_STRING), MULTIPLIER_A);
    let b = Math.imul(SEED_B ^ (length * 8 + TAG_STRING), MULTIPLIER_B);
    a = (a << 13) | (a >>> 19);
    b = (b << 17) | (b >>> 15);
    for (let k = 0; k < count; k++) {
      const w = words[k]!;
      a = Math.imul(a ^ w, MULTIPLIER_A);
      b = Math.imul(b ^ w, MULTIPLIER_B);
      a = (a << 13) | (a >>> 19);
      b = (b << 17) | (b >>> 15);
    }
    this.out[0] = a;
    this.out[1] = b;
  }
}
