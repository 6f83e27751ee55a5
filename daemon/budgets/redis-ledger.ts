/**
 * The team ledger on Redis: every daemon of a team reserves, commits and releases through
 * the same Lua scripts, so they share one ledger with no double spending. One round trip per
 * reserve and one per commit (or release).
 *
 * When Redis cannot be reached the ledger keeps working locally: limits are checked against
 * the last figures Redis gave plus what this daemon spent since, and the commits made in the
 * meantime are sent to Redis (each exactly once, by id) as soon as it is back.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { RedisClientType } from '@keyv/redis';
import { withRedisTimeout } from '../team/redis-client';
import { EmbeddedLedger, type EmbeddedHold } from './embedded-ledger';
import { BudgetTally } from './budget-tally';
import type { BudgetDefinition, BudgetFigures, BudgetRoom, Hold, Ledger, ReserveOutcome } from './ledger';
import { COMMIT_SCRIPT, FIGURES_SCRIPT, RELEASE_SCRIPT, RESERVE_SCRIPT } from './redis-ledger-scripts';
import { rollingReset, windowPosition } from './windows';

/** A reservation not committed or released within this long lapses (its daemon is presumed dead). */
const LEASE_MS = 10 * 60 * 1000;
/** How long a commit's marker is kept: a retried commit arriving later than this would count twice. */
const COMMIT_MARKER_SECONDS = 24 * 3600;
/** Slower than this counts as Redis being down. Generous: a false alarm means enforcing budgets locally for a while. */
const OP_TIMEOUT_MS = 2000;

interface Script {
  source: string;
  sha: string;
}

function script(source: string): Script {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

const SCRIPTS = {
  reserve: script(RESERVE_SCRIPT),
  commit: script(COMMIT_SCRIPT),
  release: script(RELEASE_SCRIPT),
  figures: script(FIGURES_SCRIPT),
};

export interface RedisLedgerOptions {
  client: RedisClientType;
  definitions: BudgetDefinition[];
  keyPrefix: string;
  warn: (message: string) => void;
  onDegraded?: () => void;
}

interface PendingCommit {
  id: string;
  budgets: readonly number[];
  tokens: number;
  nanoUsd: number;
  at: number;
}

/**
 * A reservation on the team ledger: its id in Redis, or the local fallback's hold when it was
 * taken while Redis was down (its commit or release then goes there too).
 */
class RedisHold implements Hold {
  readonly ok = true as const;
  private settled = false;

  constructor(
    private readonly ledger: RedisLedger,
    readonly id: string,
    readonly budgets: readonly number[],
    readonly local: EmbeddedHold | undefined,
  ) {}

  async commit(tokens: number, nanoUsd: number, now: number): Promise<void> {
    if (this.settled) return;
    this.settled = true;
    await this.ledger.commitHold(this, tokens, nanoUsd, now);
  }

  async release(): Promise<void> {
    if (this.settled) return;
    this.settled = true;
    await this.ledger.releaseHold(this);
  }
}

export class RedisLedger implements Ledger {
  readonly kind = 'redis' as const;
  private readonly keys: string[][];
  /** Every budget's keys in order, for the scripts that touch them all (release, figures). */
  private readonly allKeys: string[];
  private local?: EmbeddedLedger;
  private readonly pending: PendingCommit[] = [];
  private lastFigures?: BudgetFigures[];
  private readonly onReady = (): void => void this.recover();
  private recovering = false;
  private probeTimer?: NodeJS.Timeout;
  /** Keeps `lastFigures` fresh, so an outage starts from recent figures, not from zero. */
  private readonly refreshTimer: NodeJS.Timeout;
  private inFlight = new Set<Promise<unknown>>();

  constructor(private readonly options: RedisLedgerOptions) {
    this.keys = options.definitions.map((definition) => {
      const base = `${options.keyPrefix}:budget:{${definition.name}}`;
      return [`${base}:spent`, `${base}:held`, `${base}:leases`, `${base}:amounts`];
    });
    this.allKeys = this.keys.flat();
    options.client.on('ready', this.onReady);
    this.refreshTimer = setInterval(() => {
      if (this.local === undefined && options.client.isReady) void this.figures(Date.now()).catch(() => {});
    }, 5_000);
    this.refreshTimer.unref();
    if (options.client.isReady) void this.figures(Date.now()).catch(() => {});
  }

  state(): 'redis' | 'degraded' {
    return this.local === undefined ? 'redis' : 'degraded';
  }

  async reserve(budgets: readonly number[], tokens: number, nanoUsd: number, now: number): Promise<ReserveOutcome> {
    // Unique across daemons: the team's ledger holds every daemon's reservations.
    const id = randomUUID();
    if (budgets.length === 0) return new RedisHold(this, id, budgets, undefined);
    if (this.local === undefined) {
      try {
        const reply = (await this.run(SCRIPTS.reserve, this.keysOf(budgets), this.reserveArgs(id, budgets, tokens, nanoUsd, now))) as number[];
        if (reply[0] === 1) return new RedisHold(this, id, budgets, undefined);
        const budget = budgets[reply[1]!]!;
        return { ok: false, budget, figures: this.toFigures(budget, reply.slice(2), now) };
      } catch (error) {
        this.degrade(error, now);
      }
    }
    const outcome = this.local!.reserve(budgets, tokens, nanoUsd, now);
    return outcome.ok ? new RedisHold(this, id, budgets, outcome) : outcome;
  }

  /** Counts a hold's actual usage; called once per hold, by the hold. */
  async commitHold(hold: RedisHold, tokens: number, nanoUsd: number, now: number): Promise<void> {
    if (hold.local !== undefined && this.local !== undefined) {
      hold.local.commit(tokens, nanoUsd, now);
      this.pending.push({ id: hold.id, budgets: hold.budgets, tokens, nanoUsd, at: now });
      return;
    }
    if (hold.budgets.length === 0) return;
    try {
      await this.track(this.run(SCRIPTS.commit, this.commitKeys(hold.id, hold.budgets), this.commitArgs(hold.id, hold.budgets, tokens, nanoUsd, now)));
    } catch (error) {
      // Whether it counted is unknown: send it again later; the marker makes that safe.
      this.degrade(error, now);
      this.pending.push({ id: hold.id, budgets: hold.budgets, tokens, nanoUsd, at: now });
    }
  }

  /** Gives a hold's reservation back; called once per hold, by the hold. */
  async releaseHold(hold: RedisHold): Promise<void> {
    if (hold.local !== undefined) {
      hold.local.release();
      return;
    }
    try {
      await this.track(this.run(SCRIPTS.release, this.allKeys, [hold.id]));
    } catch {
      // The lease lapses on its own.
    }
  }

  async durable(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  async figures(now: number): Promise<BudgetFigures[]> {
    if (this.local === undefined) {
      try {
        const args = [String(now), ...this.options.definitions.map((definition) => String(windowPosition(definition.window, now).windowStart))];
        const reply = (await this.run(SCRIPTS.figures, this.allKeys, args)) as number[][];
        this.lastFigures = reply.map((row, index) => this.toFigures(index, row, now));
        return this.lastFigures;
      } catch (error) {
        this.degrade(error, now);
      }
    }
    return this.local!.figures(now);
  }

  async room(now: number): Promise<readonly BudgetRoom[]> {
    const figures = await this.figures(now);
    return this.local?.room() ?? figures.map((figure, index) => BudgetTally.fromFigures(this.options.definitions[index]!, figure, now));
  }

  async close(): Promise<void> {
    this.options.client.off('ready', this.onReady);
    clearInterval(this.probeTimer);
    clearInterval(this.refreshTimer);
    await this.durable();
  }

  private keysOf(budgets: readonly number[]): string[] {
    const keys: string[] = [];
    for (const budget of budgets) keys.push(...this.keys[budget]!);
    return keys;
  }

  private commitKeys(id: string, budgets: readonly number[]): string[] {
    return [...this.keysOf(budgets), `${this.options.keyPrefix}:budget:committed:${id}`];
  }

  private reserveArgs(id: string, budgets: readonly number[], tokens: number, nanoUsd: number, now: number): string[] {
    const args = [String(now), id, String(now + LEASE_MS)];
    for (const budget of budgets) {
      const definition = this.options.definitions[budget]!;
      args.push(
        String(windowPosition(definition.window, now).windowStart),
        String(definition.limitTokens ?? -1),
        String(definition.limitNanoUsd ?? -1),
        String(tokens),
        String(nanoUsd),
        definition.action === 'warn' ? '0' : '1',
      );
    }
    return args;
  }

  private commitArgs(id: string, budgets: readonly number[], tokens: number, nanoUsd: number, at: number): string[] {
    const args = [id, String(COMMIT_MARKER_SECONDS)];
    for (const budget of budgets) {
      const position = windowPosition(this.options.definitions[budget]!.window, at);
      args.push(String(position.slotStart), String(tokens), String(nanoUsd), String(Math.ceil(position.retentionMs / 1000)));
    }
    return args;
  }

  private toFigures(budget: number, row: number[], now: number): BudgetFigures {
    const definition = this.options.definitions[budget]!;
    const [spentTokens, spentNano, heldTokens, heldNano, oldest] = row.map(Number) as [number, number, number, number, number];
    const position = windowPosition(definition.window, now);
    const resetsAt = definition.window.kind === 'rolling' ? rollingReset(definition.window, oldest >= 0 ? oldest : undefined, now) : position.periodEnd;
    return { name: definition.name, spentTokens, spentNanoUsd: spentNano, reservedTokens: heldTokens, reservedNanoUsd: heldNano, resetsAt };
  }

  private async run(target: Script, keys: string[], args: string[]): Promise<unknown> {
    const client = this.options.client;
    if (!client.isReady) throw new Error('Redis is not connected');
    const call = async (): Promise<unknown> => {
      try {
        return await client.evalSha(target.sha, { keys, arguments: args });
      } catch (error) {
        if (!String((error as Error).message).includes('NOSCRIPT')) throw error;
        return client.eval(target.source, { keys, arguments: args });
      }
    };
    return withRedisTimeout(call(), OP_TIMEOUT_MS);
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    return promise.finally(() => this.inFlight.delete(promise));
  }

  private degrade(error: unknown, now: number): void {
    if (this.local !== undefined) return;
    this.local = new EmbeddedLedger({ definitions: this.options.definitions }, now);
    // Start from what Redis last said, so an outage does not hand out the whole budget again.
    this.lastFigures?.forEach((figures, index) => this.local!.seed(index, figures.spentTokens + figures.reservedTokens, figures.spentNanoUsd + figures.reservedNanoUsd, now));
    this.options.onDegraded?.();
    this.options.warn(`budgets: Redis unavailable (${(error as Error).message}); enforcing budgets locally until it returns`);
    // 'ready' covers a reconnect; a server that stalled without dropping the connection needs asking.
    this.probeTimer ??= setInterval(() => {
      if (this.options.client.isReady) void this.recover();
    }, 1000);
    this.probeTimer.unref();
  }

  /** Redis is back: send the commits made meanwhile, then use Redis again. */
  private async recover(): Promise<void> {
    if (this.local === undefined || this.recovering) return;
    this.recovering = true;
    try {
      while (this.pending.length > 0) {
        const next = this.pending[0]!;
        await this.run(SCRIPTS.commit, this.commitKeys(next.id, next.budgets), this.commitArgs(next.id, next.budgets, next.tokens, next.nanoUsd, next.at));
        this.pending.shift();
      }
      this.local = undefined;
      clearInterval(this.probeTimer);
      this.probeTimer = undefined;
      this.options.warn('budgets: Redis is back; the shared ledger is in use again');
    } catch {
      // Still down; the next 'ready' tries again.
    } finally {
      this.recovering = false;
    }
  }
}
