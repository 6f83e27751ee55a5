/**
 * The embedded ledger: figures in memory, every commit appended to a journal file.
 *
 * Durability: commits made during one turn of the event loop are written together by one
 * write() (so a `kill -9` after `durable()` resolves loses nothing: the data is in the
 * kernel), and fsync'd in the background shortly after (so a power loss loses at most that
 * interval). Reservations are not journaled: after a crash or restart every open reservation
 * is simply gone, which is the same as releasing it. A commit is counted once: the hold is
 * settled by its first commit or release.
 *
 * Hot path: a reserve is one window check, one fit test and four additions per budget plus
 * the hold it returns; a commit gives the estimate back and adds the actual usage to the
 * current slot. No Map, no string, no other allocation.
 */
import { BudgetTally } from './budget-tally';
import type { BudgetDefinition, BudgetFigures, BudgetRoom, Hold, Ledger, Refusal } from './ledger';
import { LedgerJournal } from './ledger-journal';

export interface EmbeddedLedgerOptions {
  definitions: BudgetDefinition[];
  /** The journal file; without one the ledger is memory only (tests, benchmarks). */
  journalPath?: string;
  warn?: (message: string) => void;
  /** How often written commits are fsync'd. */
  fsyncIntervalMs?: number;
}

/** One reservation on the embedded ledger: what it holds, and whether it is settled yet. */
export class EmbeddedHold implements Hold {
  readonly ok = true as const;
  private settled = false;

  constructor(
    private readonly ledger: EmbeddedLedger,
    private readonly budgets: readonly number[],
    private readonly tokens: number,
    private readonly nanoUsd: number,
  ) {}

  commit(tokens: number, nanoUsd: number, now: number): void {
    if (this.settled) return;
    this.settled = true;
    this.ledger.commitHold(this.budgets, this.tokens, this.nanoUsd, tokens, nanoUsd, now);
  }

  release(): void {
    if (this.settled) return;
    this.settled = true;
    this.ledger.releaseHold(this.budgets, this.tokens, this.nanoUsd);
  }
}

export class EmbeddedLedger implements Ledger {
  readonly kind = 'embedded' as const;
  private readonly tallies: BudgetTally[];
  private readonly journal?: LedgerJournal;

  constructor(options: EmbeddedLedgerOptions, now = Date.now()) {
    this.tallies = options.definitions.map((definition) => new BudgetTally(definition, now));
    if (options.journalPath !== undefined) {
      const byName = new Map(this.tallies.map((tally) => [tally.definition.name, tally]));
      this.journal = new LedgerJournal({
        path: options.journalPath,
        budgets: options.definitions.map((definition) => definition.name),
        warn: options.warn ?? ((message) => process.emitWarning(message)),
        fsyncIntervalMs: options.fsyncIntervalMs ?? 200,
        // Replay: every journaled spend still inside its budget's window counts again.
        replay: (name, slot, tokens, nano) => byName.get(name)?.spendAt(slot, tokens, nano, now),
        // Compaction keeps one line per slot with spending.
        snapshot: () => {
          const lines: Array<[string, number, number, number]> = [];
          for (const tally of this.tallies) tally.snapshot(lines);
          return lines;
        },
      });
    }
  }

  reserve(budgets: readonly number[], tokens: number, nanoUsd: number, now: number): EmbeddedHold | Refusal {
    const tallies = this.tallies;
    for (let i = 0; i < budgets.length; i++) {
      const tally = tallies[budgets[i]!]!;
      if (!tally.fits(tokens, nanoUsd, now)) return { ok: false, budget: budgets[i]!, figures: tally.figures(now) };
    }
    for (let i = 0; i < budgets.length; i++) tallies[budgets[i]!]!.hold(tokens, nanoUsd);
    return new EmbeddedHold(this, budgets, tokens, nanoUsd);
  }

  /** Gives back what a hold reserved and counts the actual usage (journaled); called once per hold, by the hold. */
  commitHold(budgets: readonly number[], heldTokens: number, heldNanoUsd: number, tokens: number, nanoUsd: number, now: number): void {
    const tallies = this.tallies;
    const journal = this.journal;
    for (let i = 0; i < budgets.length; i++) {
      const budget = budgets[i]!;
      const slot = tallies[budget]!.commit(heldTokens, heldNanoUsd, tokens, nanoUsd, now);
      if (journal !== undefined) journal.append(budget, slot, tokens, nanoUsd);
    }
  }

  /** Gives back what a hold reserved; called once per hold, by the hold. */
  releaseHold(budgets: readonly number[], heldTokens: number, heldNanoUsd: number): void {
    const tallies = this.tallies;
    for (let i = 0; i < budgets.length; i++) tallies[budgets[i]!]!.unhold(heldTokens, heldNanoUsd);
  }

  /** Counts spending that happened elsewhere (the last figures Redis gave, when the Redis ledger falls back to this one). */
  seed(budget: number, tokens: number, nanoUsd: number, now: number): void {
    this.tallies[budget]!.spend(tokens, nanoUsd, now);
  }

  durable(): Promise<void> {
    return this.journal?.durable() ?? Promise.resolve();
  }

  figures(now: number): BudgetFigures[] {
    return this.tallies.map((tally) => tally.figures(now));
  }

  /** The live tallies: each checks its own window when read. */
  room(): readonly BudgetRoom[] {
    return this.tallies;
  }

  state(): 'embedded' {
    return 'embedded';
  }

  async close(): Promise<void> {
    await this.journal?.close();
  }
}
