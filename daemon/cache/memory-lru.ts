/**
 * The in-process layer every lookup tries first: bounded by entries and by bytes, least
 * recently used evicted first, each entry with an absolute expiry. A Map keeps insertion
 * order, so re-inserting on a hit is the whole LRU bookkeeping.
 */

export interface LruOptions<V> {
  maxEntries: number;
  maxBytes: number;
  /** Called for each entry pushed out by the bounds (not for expiry, delete or clear). */
  onEvict?: (key: string, value: V) => void;
}

interface Slot<V> {
  value: V;
  bytes: number;
  expiresAt: number;
}

export class MemoryLru<V> {
  private readonly slots = new Map<string, Slot<V>>();
  private totalBytes = 0;

  constructor(private readonly options: LruOptions<V>) {
    if (!(options.maxEntries >= 1) || !(options.maxBytes >= 1)) throw new RangeError('MemoryLru bounds must be at least 1');
  }

  get size(): number {
    return this.slots.size;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  /** The value, or undefined when absent or expired. A hit becomes the most recently used. */
  get(key: string, now = Date.now()): V | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined) return undefined;
    if (slot.expiresAt <= now) {
      this.remove(key, slot);
      return undefined;
    }
    this.slots.delete(key);
    this.slots.set(key, slot);
    return slot.value;
  }

  /** Adds or replaces. An entry larger than the whole byte bound is not kept (returns false). */
  set(key: string, value: V, bytes: number, expiresAt: number): boolean {
    const existing = this.slots.get(key);
    if (existing !== undefined) this.remove(key, existing);
    if (bytes > this.options.maxBytes) return false;
    this.slots.set(key, { value, bytes, expiresAt });
    this.totalBytes += bytes;
    this.evictOverBounds();
    return true;
  }

  delete(key: string): boolean {
    const slot = this.slots.get(key);
    if (slot === undefined) return false;
    this.remove(key, slot);
    return true;
  }

  /** Removes the entries the predicate selects; returns their values. */
  deleteWhere(predicate: (value: V, key: string) => boolean): V[] {
    const removed: V[] = [];
    for (const [key, slot] of this.slots) {
      if (predicate(slot.value, key)) {
        this.remove(key, slot);
        removed.push(slot.value);
      }
    }
    return removed;
  }

  /**
   * Moves an entry to another key, with its size and expiry, as the most recently used; a value
   * under `to` is replaced. The value, or undefined when `from` is absent or expired.
   */
  rename(from: string, to: string, now = Date.now()): V | undefined {
    const slot = this.slots.get(from);
    if (slot === undefined) return undefined;
    this.remove(from, slot);
    if (slot.expiresAt <= now) return undefined;
    const existing = this.slots.get(to);
    if (existing !== undefined) this.remove(to, existing);
    this.slots.set(to, slot);
    this.totalBytes += slot.bytes;
    return slot.value;
  }

  clear(): void {
    this.slots.clear();
    this.totalBytes = 0;
  }

  /** Entries from least to most recently used, expired ones skipped. */
  *entries(now = Date.now()): IterableIterator<[string, V, number]> {
    for (const [key, slot] of this.slots) if (slot.expiresAt > now) yield [key, slot.value, slot.expiresAt];
  }

  private remove(key: string, slot: Slot<V>): void {
    this.slots.delete(key);
    this.totalBytes -= slot.bytes;
  }

  private evictOverBounds(): void {
    while (this.slots.size > this.options.maxEntries || this.totalBytes > this.options.maxBytes) {
      const oldest = this.slots.keys().next();
      if (oldest.done === true) return;
      const slot = this.slots.get(oldest.value)!;
      this.remove(oldest.value, slot);
      this.options.onEvict?.(oldest.value, slot.value);
    }
  }
}
