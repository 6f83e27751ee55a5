/**
 * What one row of the micro suite is: a named hot path, the input it runs on, hoosh's
 * published median for the same row (the seed document's matrix), and the per-request
 * budget it must stay under. Rows come in groups; a group opens what its rows share (a
 * router, a cache, a daemon and a simulator) only when one of its rows is selected.
 */

/** The seed's per-request budgets: each hot path below 1 ms, the gateway's whole overhead below 5 ms. */
export const HOT_PATH_BUDGET_NS = 1_000_000;
export const END_TO_END_BUDGET_NS = 5_000_000;

export interface RowSpec {
  /** Unique across the suite; what `--filter` matches. */
  name: string;
  input: string;
  /** hoosh's median in ns, or null where the seed gives no single figure. */
  hooshNs: number | null;
  /** The per-request budget in ns, or null for a one-off (detection at startup). */
  budgetNs: number | null;
  /**
   * The row that makes the same request without the gateway: the budget then applies to the
   * difference (the gateway's overhead), as the seed's end-to-end budget does, not to the
   * provider's own time.
   */
  overheadOf?: string;
  /** One sample is one batch of this many requests (concurrency rows): the table also shows the time per request. */
  requestsPerSample?: number;
  /** Slow one-off work: a handful of samples instead of mitata's default sampling time. */
  oneOff?: boolean;
  /**
   * What a sample's time is. `cpu` (the default, for work done in this process): the process's
   * own CPU time, so that another process holding the core does not count on a shared machine.
   * `wall`: elapsed time, for requests that wait on other processes (daemon, simulator, probes).
   */
  clock?: 'cpu' | 'wall';
}

/** The function a row measures: synchronous for in-process hot paths, a promise for HTTP rows. */
export type RowBody = () => unknown;

export interface OpenGroup {
  bodies: Record<string, RowBody>;
  close(): Promise<void> | void;
}

export interface MicroGroup {
  title: string;
  rows: RowSpec[];
  /** Builds what the rows share. A feature that does not exist yet throws here, and its rows fail. */
  open(): Promise<OpenGroup>;
}

/** A reasonable user request: short chat turns, as an editor's chat sends them. */
export function chatMessages(count: number): Array<{ role: 'system' | 'user' | 'assistant'; content: string }> {
  const turns: Array<{ role: 'system' | 'user' | 'assistant'; content: string }> = [{ role: 'system', content: 'You are a concise coding assistant.' }];
  for (let i = 1; i < count; i++) {
    turns.push(i % 2 === 1 ? { role: 'user', content: `Explain step ${i} of the refactoring in one sentence.` } : { role: 'assistant', content: `Step ${i - 1} moves the parser into its own module.` });
  }
  return turns.slice(0, count);
}
