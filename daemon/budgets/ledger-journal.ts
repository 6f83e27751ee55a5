/**
 * The embedded ledger's append-only journal (mode 0600).
 *
 * Each line is spending in one window slot: `<budget> <slot start ms> <tokens> <nano-usd>`.
 * The commits of one turn of the event loop are summed per budget and slot and written as
 * one batch, closed by `#<line count> <md5 of the batch's lines>`. On open the file is
 * replayed batch by batch: a batch cut short at the end of the file (a crash during a write,
 * before any caller was told the commit was durable) is dropped; a batch whose checksum does
 * not match is reported and skipped, and the damaged file is kept beside the new one. The
 * journal is then compacted into one line per live slot, written to a temporary file,
 * fsync'd and renamed over the old one, so restarts stay fast however long it has run.
 */
import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, fdatasync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Compact again once the file has grown past this. */
const COMPACT_AFTER_BYTES = 16 * 1024 * 1024;

export interface LedgerJournalOptions {
  path: string;
  /** The budgets' names, by index: `append` takes the index, the file holds the name. */
  budgets: readonly string[];
  warn: (message: string) => void;
  fsyncIntervalMs: number;
  replay: (budget: string, slot: number, tokens: number, nanoUsd: number) => void;
  snapshot: () => Array<[string, number, number, number]>;
}

export class LedgerJournal {
  private fd: number;
  /**
   * Spending not yet written, summed by budget index and slot. A batch is written by one
   * write() and replayed whole or not at all, so writing its sums is the same as writing each
   * commit, and keeps the hot path free of formatting: one line per budget per batch.
   */
  private readonly pending: Array<Array<{ slot: number; tokens: number; nano: number }>>;
  private pendingLines = 0;
  private scheduled = false;
  private waiters: Array<() => void> = [];
  private bytesWritten = 0;
  private unsynced = false;
  private syncing = false;
  private readonly fsyncTimer: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: LedgerJournalOptions) {
    this.pending = options.budgets.map(() => []);
    mkdirSync(dirname(options.path), { recursive: true, mode: 0o700 });
    if (existsSync(options.path)) this.replayFile();
    this.fd = this.compact();
    this.fsyncTimer = setInterval(() => this.syncInBackground(), options.fsyncIntervalMs);
    this.fsyncTimer.unref();
  }

  append(budget: number, slot: number, tokens: number, nanoUsd: number): void {
    const sums = this.pending[budget]!;
    const last = sums[sums.length - 1];
    if (last !== undefined && last.slot === slot) {
      last.tokens += tokens;
      last.nano += nanoUsd;
    } else {
      sums.push({ slot, tokens, nano: nanoUsd });
    }
    this.pendingLines++;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.writeBatch());
    }
  }

  /** Resolves once every spend appended so far has been written to the file. */
  durable(): Promise<void> {
    if (this.pendingLines === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.writeBatch();
    this.closed = true;
    clearInterval(this.fsyncTimer);
    fsyncSync(this.fd);
    closeSync(this.fd);
  }

  private writeBatch(): void {
    this.scheduled = false;
    if (this.pendingLines === 0 || this.closed) return;
    let text = '';
    let lines = 0;
    this.pending.forEach((sums, budget) => {
      for (const sum of sums) {
        text += spendLine(this.options.budgets[budget]!, sum.slot, sum.tokens, sum.nano);
        lines++;
      }
      sums.length = 0;
    });
    this.pendingLines = 0;
    const bytes = Buffer.from(batchText(text, lines));
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(this.fd, bytes, offset);
    this.bytesWritten += bytes.length;
    this.unsynced = true;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
    if (this.bytesWritten > COMPACT_AFTER_BYTES) {
      closeSync(this.fd);
      this.fd = this.compact();
    }
  }

  private syncInBackground(): void {
    if (!this.unsynced || this.syncing || this.closed) return;
    this.unsynced = false;
    this.syncing = true;
    fdatasync(this.fd, () => {
      this.syncing = false;
    });
  }

  private replayFile(): void {
    const text = readFileSync(this.options.path, 'utf8');
    let batch: string[] = [];
    let batchStart = 0;
    let damaged = 0;
    let position = 0;
    while (position < text.length) {
      const end = text.indexOf('\n', position);
      if (end < 0) break; // a last line without its newline: cut short by a crash
      const line = text.slice(position, end);
      position = end + 1;
      if (!line.startsWith('#')) {
        batch.push(line);
        continue;
      }
      const [countText, sum] = line.slice(1).split(' ');
      const body = text.slice(batchStart, position - line.length - 1);
      if (Number(countText) === batch.length && md5(body) === sum && this.applyBatch(batch)) {
        // applied
      } else {
        damaged++;
      }
      batch = [];
      batchStart = position;
    }
    if (damaged > 0) {
      const keptAt = `${this.options.path}.damaged-${Date.now()}`;
      copyFileSync(this.options.path, keptAt);
      this.options.warn(`budget ledger ${this.options.path}: skipped ${damaged} damaged batch(es); the original file is kept at ${keptAt}`);
    }
  }

  /** Applies a batch only if every line of it parses: a batch counts whole or not at all. */
  private applyBatch(lines: string[]): boolean {
    const parsed: Array<[string, number, number, number]> = [];
    for (const line of lines) {
      const parts = line.split(' ');
      if (parts.length !== 4) return false;
      const [budget, slot, tokens, nano] = [parts[0]!, Number(parts[1]), Number(parts[2]), Number(parts[3])];
      if (!Number.isSafeInteger(slot) || !Number.isSafeInteger(tokens) || !Number.isSafeInteger(nano)) return false;
      parsed.push([budget, slot, tokens, nano]);
    }
    for (const [budget, slot, tokens, nano] of parsed) this.options.replay(budget, slot, tokens, nano);
    return true;
  }

  /** Rewrites the journal as one batch of live slots; returns the new file opened for appending. */
  private compact(): number {
    const lines = this.options.snapshot();
    const body = lines.map(([budget, slot, tokens, nano]) => spendLine(budget, slot, tokens, nano)).join('');
    const content = lines.length > 0 ? batchText(body, lines.length) : '';
    const temporary = `${this.options.path}.${process.pid}.tmp`;
    const fd = openSync(temporary, 'w', 0o600);
    try {
      if (content.length > 0) writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, this.options.path);
    try {
      const dir = openSync(dirname(this.options.path), 'r');
      fsyncSync(dir);
      closeSync(dir);
    } catch {
      // Some file systems cannot fsync a directory; the rename is still atomic.
    }
    this.bytesWritten = content.length;
    return openSync(this.options.path, 'a', 0o600);
  }
}

/** One journal line: spending in one window slot of one budget. */
function spendLine(budget: string, slot: number, tokens: number, nanoUsd: number): string {
  return `${budget} ${slot} ${tokens} ${nanoUsd}\n`;
}

/** A batch as written: its lines, closed by `#<line count> <md5 of the lines>`. */
function batchText(lines: string, count: number): string {
  return `${lines}#${count} ${md5(lines)}\n`;
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}
