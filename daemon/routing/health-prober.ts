/**
 * Active health: every `intervalMs` each provider is probed with `Provider.probe`, which each
 * adapter implements on its provider's documented listing route (Ollama `/api/tags`,
 * OpenAI-compatible `/v1/models`, ...). A provider that fails `failuresToDown` probes in a row is
 * marked down and its candidates are skipped; the next successful probe, or a successful
 * request, marks it up again. Probes never overlap per provider, the timer is unref'd (it never
 * keeps the daemon alive), and `close()` stops the timer and aborts probes in flight.
 */
import { isGatewayError } from '../core/errors';
import type { Provider } from '../core/provider';

export type HealthStatus = 'unknown' | 'up' | 'down';

export interface ProviderHealth {
  status: HealthStatus;
  consecutiveFailures: number;
  /** `Date.now()` of the last probe that finished. */
  lastProbeAt?: number;
  lastProbeMs?: number;
  /** Why the last probe failed (a message, never a credential). */
  lastError?: string;
}

export interface HealthProberOptions {
  /** 0 disables active probing. */
  intervalMs: number;
  timeoutMs: number;
  failuresToDown: number;
  /** Debug-level log of state changes. */
  log?: (message: string, fields: Record<string, unknown>) => void;
}

export const DEFAULT_HEALTH_OPTIONS: HealthProberOptions = { intervalMs: 15_000, timeoutMs: 2_000, failuresToDown: 2 };

export class HealthProber {
  private readonly health = new Map<string, ProviderHealth>();
  private readonly probing = new Map<string, AbortController>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    /** Read at every round, so providers added later (discovery) are probed too. */
    private readonly providers: () => readonly Provider[],
    private readonly options: HealthProberOptions = DEFAULT_HEALTH_OPTIONS,
  ) {}

  /** The live health record of a provider, created on first use; routing candidates hold it to read it without a lookup. */
  ref(providerName: string): ProviderHealth {
    let health = this.health.get(providerName);
    if (health === undefined) {
      health = { status: 'unknown', consecutiveFailures: 0 };
      this.health.set(providerName, health);
    }
    return health;
  }

  /** Probes every provider now, then on the interval. Does nothing when the interval is 0. */
  start(): void {
    if (this.closed || this.timer !== undefined || this.options.intervalMs <= 0) return;
    void this.probeAll();
    this.timer = setInterval(() => void this.probeAll(), this.options.intervalMs);
    this.timer.unref();
  }

  /** Probes every provider once (skipping any whose previous probe is still running). */
  async probeAll(): Promise<void> {
    await Promise.all(this.providers().map((provider) => this.probe(provider)));
  }

  async probe(provider: Provider): Promise<void> {
    const name = provider.settings.name;
    if (this.closed || this.probing.has(name)) return;
    const controller = new AbortController();
    this.probing.set(name, controller);
    const timeout = setTimeout(() => controller.abort(new Error(`probe timed out after ${this.options.timeoutMs} ms`)), this.options.timeoutMs);
    const startedAt = performance.now();
    try {
      await provider.probe(controller.signal);
      if (!this.closed) this.markUp(name, performance.now() - startedAt);
    } catch (error) {
      if (this.closed) return;
      // A 429 on the listing route says the provider is there and answering; requests back off on their own 429s.
      if (isGatewayError(error) && error.code === 'upstreamRateLimited') this.markUp(name, performance.now() - startedAt);
      else this.markProbeFailed(name, controller.signal.aborted ? String((controller.signal.reason as Error)?.message ?? 'aborted') : errorMessage(error));
    } finally {
      clearTimeout(timeout);
      this.probing.delete(name);
    }
  }

  /** Whether the provider's candidates should be skipped. Unknown counts as usable. */
  isDown(providerName: string): boolean {
    return this.health.get(providerName)?.status === 'down';
  }

  get(providerName: string): ProviderHealth {
    return this.ref(providerName);
  }

  /** Passive health: a request to the provider just succeeded. */
  recordTrafficSuccess(providerName: string): void {
    const health = this.ref(providerName);
    if (health.status !== 'up') {
      if (health.status === 'down') this.options.log?.('provider up (traffic)', { provider: providerName });
      health.status = 'up';
      health.consecutiveFailures = 0;
    }
  }

  /** Stops probing and aborts probes in flight; safe to call twice. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    for (const controller of this.probing.values()) controller.abort(new Error('health prober closed'));
    this.probing.clear();
  }

  private markUp(name: string, probeMs: number): void {
    const health = this.ref(name);
    if (health.status === 'down') this.options.log?.('provider up (probe)', { provider: name, probeMs });
    health.status = 'up';
    health.consecutiveFailures = 0;
    health.lastProbeAt = Date.now();
    health.lastProbeMs = probeMs;
    health.lastError = undefined;
  }

  private markProbeFailed(name: string, reason: string): void {
    const health = this.ref(name);
    health.consecutiveFailures++;
    health.lastProbeAt = Date.now();
    health.lastError = reason;
    if (health.consecutiveFailures >= this.options.failuresToDown && health.status !== 'down') {
      health.status = 'down';
      this.options.log?.('provider down (probe)', { provider: name, reason });
    }
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
