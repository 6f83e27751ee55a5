/** What a load loop needs: a clock, a way to send one request, and whether to stop. */
export interface LoopContext {
  now(): number;
  /** Sends one request scheduled at `scheduledMs` and records it; resolves when it ends. */
  send(scheduledMs: number): Promise<void>;
  stopped(): boolean;
  /** Resolves when stop is requested. */
  whenStopped: Promise<void>;
}
