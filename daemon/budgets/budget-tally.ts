/**
 * One budget's running figures in the embedded ledger: spending per window slot, what is
 * reserved, and the room left. The room is kept up to date on every reserve, commit, release
 * and window roll, so reading it is a field read; whether the window has moved is one
 * comparison against the cached end of the current slot.
 *
 * Slots are a fixed ring (one slot for a calendar window, one per rolling bucket), indexed by
 * integer, so the hot path never touches a Map.
 */
import type { BudgetDefinition, BudgetFigures, BudgetRoom } from './ledger';
import { bucketMs, ROLLING_BUCKETS, rollingReset, windowPosition } from './windows';

export class BudgetTally implements BudgetRoom {
  readonly definition: BudgetDefinition;
  private spentTokens = 0;
  private spentNanoUsd = 0;
  private reservedTokens = 0;
  private reservedNanoUsd = 0;
  // Numeric fields start as numbers where they are declared: a field declared bare starts as
  // undefined, and V8 then stores every later number in it as a new heap object.
  /** Limit minus spent minus reserved: Infinity without a limit, negative once overspent. */
  private roomTokens = 0;
  private roomNanoUsd = 0;
  private readonly enforced: boolean;
  /** Rolling bucket width in ms; 0 for a calendar window (one slot). */
  private readonly bucket: number = 0;
  private readonly slotStarts: Float64Array;
  private readonly slotTokens: Float64Array;
  private readonly slotNano: Float64Array;
  private current = 0;
  private slotStart = 0;
  private windowStart = 0;
  /** When `now` reaches this, the window has moved: roll it before reading or charging. */
  private slotEnd = Number.NEGATIVE_INFINITY;

  /** A tally standing for figures read elsewhere (the Redis ledger's answer), to ask it what a live one answers. */
  static fromFigures(definition: BudgetDefinition, figures: BudgetFigures, now: number): BudgetTally {
    const tally = new BudgetTally(definition, now);
    tally.spend(figures.spentTokens, figures.spentNanoUsd, now);
    tally.hold(figures.reservedTokens, figures.reservedNanoUsd);
    return tally;
  }

  constructor(definition: BudgetDefinition, now: number) {
    this.definition = definition;
    this.enforced = definition.action !== 'warn';
    this.roomTokens = definition.limitTokens ?? Number.POSITIVE_INFINITY;
    this.roomNanoUsd = definition.limitNanoUsd ?? Number.POSITIVE_INFINITY;
    this.bucket = bucketMs(definition.window);
    const slots = this.bucket === 0 ? 1 : ROLLING_BUCKETS;
    // An empty slot starts at -Infinity: older than any window, and holding nothing to expire.
    this.slotStarts = new Float64Array(slots).fill(Number.NEGATIVE_INFINITY);
    this.slotTokens = new Float64Array(slots);
    this.slotNano = new Float64Array(slots);
    this.roll(now);
  }

  /** Tokens that can still be reserved at `now`. */
  availableTokens(now: number): number {
    if (now >= this.slotEnd) this.roll(now);
    return this.roomTokens;
  }

  /** Nano-dollars that can still be reserved at `now`. */
  availableNanoUsd(now: number): number {
    if (now >= this.slotEnd) this.roll(now);
    return this.roomNanoUsd;
  }

  /**
   * Whether a charge fits: a `warn` budget is never enforced, a figure without a limit has
   * Infinity room, and a $0 charge (or a 0-token one) never fails a limit.
   */
  fits(tokens: number, nanoUsd: number, now: number): boolean {
    if (now >= this.slotEnd) this.roll(now);
    return !this.enforced || ((tokens <= 0 || tokens <= this.roomTokens) && (nanoUsd <= 0 || nanoUsd <= this.roomNanoUsd));
  }

  hold(tokens: number, nanoUsd: number): void {
    this.reservedTokens += tokens;
    this.reservedNanoUsd += nanoUsd;
    this.roomTokens -= tokens;
    this.roomNanoUsd -= nanoUsd;
  }

  unhold(tokens: number, nanoUsd: number): void {
    this.reservedTokens -= tokens;
    this.reservedNanoUsd -= nanoUsd;
    this.roomTokens += tokens;
    this.roomNanoUsd += nanoUsd;
  }

  /** A reservation's commit in one pass: its estimate given back, the actual usage counted now; returns the slot it went to. */
  commit(heldTokens: number, heldNanoUsd: number, tokens: number, nanoUsd: number, now: number): number {
    if (now >= this.slotEnd) this.roll(now);
    const slot = this.current;
    this.slotTokens[slot]! += tokens;
    this.slotNano[slot]! += nanoUsd;
    this.reservedTokens -= heldTokens;
    this.reservedNanoUsd -= heldNanoUsd;
    this.spentTokens += tokens;
    this.spentNanoUsd += nanoUsd;
    this.roomTokens += heldTokens - tokens;
    this.roomNanoUsd += heldNanoUsd - nanoUsd;
    return this.slotStart;
  }

  /** Counts spending made now; returns the slot it went to. */
  spend(tokens: number, nanoUsd: number, now: number): number {
    if (now >= this.slotEnd) this.roll(now);
    const slot = this.current;
    this.slotTokens[slot]! += tokens;
    this.slotNano[slot]! += nanoUsd;
    this.count(tokens, nanoUsd);
    return this.slotStart;
  }

  /**
   * Counts spending recorded at a slot start (a journal line, or figures from Redis): nothing
   * when that slot has left the window. Spending dated after now (a clock set back since)
   * counts in the current slot.
   */
  spendAt(slot: number, tokens: number, nanoUsd: number, now: number): void {
    if (now >= this.slotEnd) this.roll(now);
    if (slot < this.windowStart) return;
    if (this.bucket === 0 || slot >= this.slotStart) {
      this.spend(tokens, nanoUsd, now);
      return;
    }
    const start = Math.floor(slot / this.bucket) * this.bucket;
    const index = this.indexOf(start);
    // Ring slots one window apart share an index; the older one has left the window.
    if (this.slotStarts[index] !== start) this.expire(index, start);
    this.slotTokens[index]! += tokens;
    this.slotNano[index]! += nanoUsd;
    this.count(tokens, nanoUsd);
  }

  figures(now: number): BudgetFigures {
    if (now >= this.slotEnd) this.roll(now);
    let resetsAt = this.slotEnd;
    if (this.definition.window.kind === 'rolling') {
      let oldest: number | undefined;
      for (let i = 0; i < this.slotStarts.length; i++) {
        const start = this.slotStarts[i]!;
        if ((this.slotTokens[i]! > 0 || this.slotNano[i]! > 0) && (oldest === undefined || start < oldest)) oldest = start;
      }
      resetsAt = rollingReset(this.definition.window, oldest, now);
    }
    return {
      name: this.definition.name,
      spentTokens: this.spentTokens,
      reservedTokens: this.reservedTokens,
      spentNanoUsd: this.spentNanoUsd,
      reservedNanoUsd: this.reservedNanoUsd,
      resetsAt,
    };
  }

  /** The slots with spending, as journal lines `[budget, slot start, tokens, nano-usd]`. */
  snapshot(lines: Array<[string, number, number, number]>): void {
    for (let i = 0; i < this.slotStarts.length; i++) {
      const tokens = this.slotTokens[i]!;
      const nano = this.slotNano[i]!;
      if (tokens !== 0 || nano !== 0) lines.push([this.definition.name, this.slotStarts[i]!, tokens, nano]);
    }
  }

  private count(tokens: number, nanoUsd: number): void {
    this.spentTokens += tokens;
    this.spentNanoUsd += nanoUsd;
    this.roomTokens -= tokens;
    this.roomNanoUsd -= nanoUsd;
  }

  /** The window moved on: slots that left it give their spending back, and the current slot is the one `now` is in. */
  private roll(now: number): void {
    const position = windowPosition(this.definition.window, now);
    this.windowStart = position.windowStart;
    this.slotStart = position.slotStart;
    this.slotEnd = position.periodEnd;
    for (let i = 0; i < this.slotStarts.length; i++) {
      if (this.slotStarts[i]! < position.windowStart) this.expire(i, Number.NEGATIVE_INFINITY);
    }
    this.current = this.indexOf(position.slotStart);
    if (this.slotStarts[this.current] !== position.slotStart) this.expire(this.current, position.slotStart);
  }

  /** Gives back what a slot holds and reuses it for the slot starting at `start`. */
  private expire(index: number, start: number): void {
    const tokens = this.slotTokens[index]!;
    const nano = this.slotNano[index]!;
    this.spentTokens -= tokens;
    this.spentNanoUsd -= nano;
    this.roomTokens += tokens;
    this.roomNanoUsd += nano;
    this.slotTokens[index] = 0;
    this.slotNano[index] = 0;
    this.slotStarts[index] = start;
  }

  private indexOf(start: number): number {
    return this.bucket === 0 ? 0 : Math.floor(start / this.bucket) % ROLLING_BUCKETS;
  }
}
