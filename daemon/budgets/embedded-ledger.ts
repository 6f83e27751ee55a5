/**
 * The embedded ledger: figures in memory, every commit appended to a journal file.
 *
 * Durability: commits made during one turn of the event loop are written together by one
 * write() (so a `kill -9` after `durable()` resolves loses nothing: the data is in the
 * kernel), and fsync'd in the background shortly after (so a power loss loses at most that
 * interval). Reservations are not journaled: after a crash or restart every open reservation
 * is simply gone, which is the same as releasing it. A commit is counted once: the
 * reservation id is consumed by the first commit or release.
 */
import { fits, type BudgetDefinition, type BudgetFigures, type Charge, type Ledger, type ReserveOutcome } from './ledger';
import { LedgerJournal } from './ledger-journal';
import { rollingReset, windowPosition } from './windows';

interface BudgetState {
  definition: BudgetDefinition;
  /** Spending by slot start (one slot for a calendar window, up to 60 for a rolling one). */
  slots: Map<number, { tokens: number; nano: number }>;
  /** Named as in BudgetFigures, so `fits` reads the state directly. */
  spentTokens: number;
  spentNanoUsd: number;
  reservedTokens: number;
  reservedNanoUsd: number;
  windowStart: number;
  slotStart: number;
  /** When `now` reaches this, the window has moved: recompute and drop old slots. */
  nextCheck: number;
}

export interface EmbeddedLedgerOptions {
  definitions: BudgetDefinition[];
  /** The journal file; without one the ledger is memory only (tests, benchmarks). */
  journalPath?: string;
  warn?: (message: string) => void;
  /** How often written commits are fsync'd. */
  fsyncIntervalMs?: number;
}

export class EmbeddedLedger implements Ledger {
  readonly kind = 'embedded' as const;
  private readonly states: BudgetState[];
  private readonly reservations = new Map<string, readonly Charge[]>();
  private readonly journal?: LedgerJournal;

  constructor(options: EmbeddedLedgerOptions, now = Date.now()) {
    this.states = options.definitions.map((definition) => {
      const position = windowPosition(definition.window, now);
      return {
        definition,
        slots: new Map(),
        spentTokens: 0,
        spentNanoUsd: 0,
        reservedTokens: 0,
        reservedNanoUsd: 0,
        windowStart: position.windowStart,
        slotStart: position.slotStart,
        nextCheck: position.periodEnd,
      };
    });
    if (options.journalPath !== undefined) {
      const byName = new Map(this.states.map((state, index) => [state.definition.name, index]));
      this.journal = new LedgerJournal({
        path: options.journalPath,
        warn: options.warn ?? ((message) => process.emitWarning(message)),
        fsyncIntervalMs: options.fsyncIntervalMs ?? 200,
        // Replay: every journaled spend still inside its budget's window counts again.
        replay: (name, slot, tokens, nano) => {
          const index = byName.get(name);
          if (index === undefined) return;
          const state = this.states[index]!;
          if (slot >= state.windowStart) this.addSpend(state, slot, tokens, nano);
        },
        // Compaction keeps one line per live slot.
        snapshot: () => this.snapshotLines(),
      });
    }
  }

  reserve(id: string, charges: readonly Charge[], now: number): ReserveOutcome {
    for (let i = 0; i < charges.length; i++) {
      const charge = charges[i]!;
      const state = this.states[charge.budget]!;
      if (now >= state.nextCheck) this.advance(state, now);
      if (!fits(state.definition, state, charge)) return { ok: false, budget: charge.budget, figures: this.figuresOf(state, now) };
    }
    for (let i = 0; i < charges.length; i++) {
      const charge = charges[i]!;
      const state = this.states[charge.budget]!;
      state.reservedTokens += charge.tokens;
      state.reservedNanoUsd += charge.nanoUsd;
    }
    this.reservations.set(id, charges);
    return { ok: true };
  }

  commit(id: string, actual: readonly Charge[], now: number): void {
    const reserved = this.reservations.get(id);
    if (reserved === undefined) return;
    this.reservations.delete(id);
    this.unreserve(reserved);
    for (let i = 0; i < actual.length; i++) {
      const charge = actual[i]!;
      const state = this.states[charge.budget]!;
      if (now >= state.nextCheck) this.advance(state, now);
      this.addSpend(state, state.slotStart, charge.tokens, charge.nanoUsd);
      this.journal?.append(state.definition.name, state.slotStart, charge.tokens, charge.nanoUsd);
    }
  }

  release(id: string): void {
    const reserved = this.reservations.get(id);
    if (reserved === undefined) return;
    this.reservations.delete(id);
    this.unreserve(reserved);
  }

  /** Counts spending that happened elsewhere (the last figures Redis gave, when the Redis ledger falls back to this one). */
  seed(budget: number, tokens: number, nanoUsd: number, now: number): void {
    const state = this.states[budget]!;
    if (now >= state.nextCheck) this.advance(state, now);
    this.addSpend(state, state.slotStart, tokens, nanoUsd);
  }

  durable(): Promise<void> {
    return this.journal?.durable() ?? Promise.resolve();
  }

  figures(now: number): BudgetFigures[] {
    return this.states.map((state) => {
      if (now >= state.nextCheck) this.advance(state, now);
      return this.figuresOf(state, now);
    });
  }

  state(): 'embedded' {
    return 'embedded';
  }

  get openReservations(): number {
    return this.reservations.size;
  }

  async close(): Promise<void> {
    await this.journal?.close();
  }

  private unreserve(charges: readonly Charge[]): void {
    for (let i = 0; i < charges.length; i++) {
      const charge = charges[i]!;
      const state = this.states[charge.budget]!;
      state.reservedTokens -= charge.tokens;
      state.reservedNanoUsd -= charge.nanoUsd;
    }
  }

  private addSpend(state: BudgetState, slot: number, tokens: number, nano: number): void {
    const existing = state.slots.get(slot);
    if (existing === undefined) state.slots.set(slot, { tokens, nano });
    else {
      existing.tokens += tokens;
      existing.nano += nano;
    }
    state.spentTokens += tokens;
    state.spentNanoUsd += nano;
  }

  /** The window moved on: drop slots that left it. */
  private advance(state: BudgetState, now: number): void {
    const position = windowPosition(state.definition.window, now);
    state.windowStart = position.windowStart;
    state.slotStart = position.slotStart;
    state.nextCheck = position.periodEnd;
    for (const [slot, spend] of state.slots) {
      if (slot >= position.windowStart) continue;
      state.slots.delete(slot);
      state.spentTokens -= spend.tokens;
      state.spentNanoUsd -= spend.nano;
    }
  }

  private figuresOf(state: BudgetState, now: number): BudgetFigures {
    let resetsAt = state.nextCheck;
    if (state.definition.window.kind === 'rolling') {
      let oldest: number | undefined;
      for (const [slot, spend] of state.slots) if ((spend.tokens > 0 || spend.nano > 0) && (oldest === undefined || slot < oldest)) oldest = slot;
      resetsAt = rollingReset(state.definition.window, oldest, now);
    }
    return {
      name: state.definition.name,
      spentTokens: state.spentTokens,
      reservedTokens: state.reservedTokens,
      spentNanoUsd: state.spentNanoUsd,
      reservedNanoUsd: state.reservedNanoUsd,
      resetsAt,
    };
  }

  private snapshotLines(): Array<[string, number, number, number]> {
    const lines: Array<[string, number, number, number]> = [];
    for (const state of this.states) {
      for (const [slot, spend] of state.slots) lines.push([state.definition.name, slot, spend.tokens, spend.nano]);
    }
    return lines;
  }
}
