/**
 * When the connection to the daemon drops, the extension reconnects (starting a new daemon
 * if the old one died) after a short delay, and gives up only when the daemon keeps dying:
 * more than `maxLosses` lost connections within `windowMs`. Pure, so the limits are tested.
 */
export interface ReconnectPolicyOptions {
  maxLosses: number;
  windowMs: number;
  /** Delays before the attempts of one reconnection, ms; their count is the attempts made. */
  attemptDelaysMs: readonly number[];
}

export const DEFAULT_RECONNECT_POLICY: ReconnectPolicyOptions = {
  maxLosses: 5,
  windowMs: 3 * 60_000,
  attemptDelaysMs: [0, 300, 1_000, 2_000, 4_000],
};

export class ReconnectPolicy {
  private readonly losses: number[] = [];

  constructor(
    private readonly options: ReconnectPolicyOptions = DEFAULT_RECONNECT_POLICY,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a lost connection; false when the daemon has died too often to keep trying. */
  connectionLost(): boolean {
    const t = this.now();
    this.losses.push(t);
    while (this.losses.length && t - this.losses[0]! > this.options.windowMs) this.losses.shift();
    return this.losses.length <= this.options.maxLosses;
  }

  /** After the user asks for a restart, the count starts again. */
  reset(): void {
    this.losses.length = 0;
  }

  get attemptDelaysMs(): readonly number[] {
    return this.options.attemptDelaysMs;
  }
}
