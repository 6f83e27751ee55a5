import type { SimRequestRecord } from './contract';

interface AbortWaiter {
  predicate: (record: SimRequestRecord) => boolean;
  resolve: (record: SimRequestRecord) => void;
}

/**
 * What the simulator saw. Counters are always kept; the per-request list only while
 * `recording` is on, so a benchmark's memory stays flat.
 */
export class Recorder {
  recording = true;
  readonly requests: SimRequestRecord[] = [];
  received = 0;
  completed = 0;
  aborted = 0;
  faults = 0;
  /** Requests that arrived on a connection due to close (`closeAfterResponseMs`) and were never read. */
  refused = 0;
  open = 0;
  promptTokens = 0;
  completionTokens = 0;
  promptChars = 0;
  sharedPrefixChars = 0;
  /** The last prompt each model read, to measure how much of the next one it shares. */
  private readonly lastPrompts = new Map<string, string>();
  private nextId = 1;
  private waiters: AbortWaiter[] = [];

  /** Opens a record for a request that has been read; the caller fills in the rest. */
  begin(route: string, method: string, path: string, headers: SimRequestRecord['headers'], body: unknown): SimRequestRecord {
    const record: SimRequestRecord = {
      id: this.nextId++,
      route,
      method,
      path,
      headers,
      body,
      stream: false,
      receivedAt: Date.now(),
    };
    this.received++;
    this.open++;
    if (this.recording) this.requests.push(record);
    return record;
  }

  /** A generation request's prompt was read: how much of it repeats the start of the model's previous prompt. */
  notePrompt(record: SimRequestRecord, model: string, prompt: string): void {
    const previous = this.lastPrompts.get(model) ?? '';
    const shared = sharedPrefixLength(previous, prompt);
    if (!this.lastPrompts.has(model) && this.lastPrompts.size >= MAX_MODELS_TRACKED) this.lastPrompts.clear();
    this.lastPrompts.set(model, prompt);
    record.promptChars = prompt.length;
    record.sharedPrefixChars = shared;
    this.promptChars += prompt.length;
    this.sharedPrefixChars += shared;
  }

  /** The response went out in full (including error and fault responses). */
  finish(record: SimRequestRecord, status: number): void {
    if (record.finishedAt !== undefined || record.abortedAt !== undefined) return;
    record.finishedAt = Date.now();
    record.status = status;
    this.completed++;
    this.open--;
    if (record.usage) {
      this.promptTokens += record.usage.promptTokens;
      this.completionTokens += record.usage.completionTokens;
    }
  }

  /** The simulator cut the connection on purpose (a `reset` or `midstream` fault): not a client abort. */
  cut(record: SimRequestRecord, status: number | undefined): void {
    if (record.finishedAt !== undefined || record.abortedAt !== undefined) return;
    record.finishedAt = Date.now();
    record.status = status;
    this.open--;
  }

  /** The client went away before the response was complete. */
  abort(record: SimRequestRecord): void {
    if (record.finishedAt !== undefined || record.abortedAt !== undefined) return;
    record.abortedAt = Date.now();
    this.open--;
    this.aborted++;
    if (this.waiters.length === 0) return;
    const still: AbortWaiter[] = [];
    for (const waiter of this.waiters) {
      if (waiter.predicate(record)) waiter.resolve(record);
      else still.push(waiter);
    }
    this.waiters = still;
  }

  countFault(): void {
    this.faults++;
  }

  countRefused(): void {
    this.refused++;
  }

  waitForAbort(predicate: (record: SimRequestRecord) => boolean = () => true, timeoutMs = 5000): Promise<SimRequestRecord> {
    const seen = this.requests.find((record) => record.abortedAt !== undefined && predicate(record));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== entry);
        reject(new Error(`simulator: no matching client abort within ${timeoutMs} ms`));
      }, timeoutMs);
      const entry: AbortWaiter = {
        predicate,
        resolve: (record) => {
          clearTimeout(timer);
          resolve(record);
        },
      };
      this.waiters.push(entry);
    });
  }

  /** Forgets records and counters. Requests still open keep counting down against `open`. */
  reset(): void {
    this.requests.length = 0;
    this.received = 0;
    this.completed = 0;
    this.aborted = 0;
    this.faults = 0;
    this.refused = 0;
    this.promptTokens = 0;
    this.completionTokens = 0;
    this.promptChars = 0;
    this.sharedPrefixChars = 0;
    this.lastPrompts.clear();
  }
}

const MAX_MODELS_TRACKED = 256;

function sharedPrefixLength(a: string, b: string): number {
  const limit = Math.min(a.length, b.length);
  let i = 0;
  while (i < limit && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}
