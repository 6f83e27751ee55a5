/**
 * The `[routes.NAME]` and `[routing]` sections of the config file: their TypeBox schema and
 * the checks a schema cannot make (a provider that does not exist, an empty candidate list, a
 * weight that is not positive). Every problem names its key, e.g.
 * `routes.chat.candidates[1].weight: got 0, expected a positive number`, and the daemon does not
 * start until they are fixed.
 *
 * ```toml
 * [routing]
 * probe_interval_ms = 15000
 *
 * [routes.chat]
 * strategy = "local-first"
 * allow_cloud = true
 * candidates = [
 *   { provider = "ollama", model = "qwen2.5-coder:7b" },
 *   { provider = "openai", model = "gpt-4.1-mini" },
 * ]
 * ```
 */
import { Type, type Static } from '@sinclair/typebox';
import type { ProviderSettings } from '../core/provider';
import { DEFAULT_BREAKER_OPTIONS, type BreakerOptions } from './circuit-breaker';
import { DEFAULT_DEADLINES, type DeadlineDefaults } from './deadline';
import { DEFAULT_HEALTH_OPTIONS } from './health-prober';
import { DEFAULT_RETRY_OPTIONS, type RetryOptions } from './retry-policy';
import { STRATEGY_NAMES, type StrategyName } from './strategies';
import { ConfigError, describeValue } from '../core/config-error';
import { schemaProblems } from '../core/config-validate';

const RetriesEntry = Type.Object(
  {
    /** Extra attempts on the same candidate after a retryable failure, before moving to the next. */
    per_candidate: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })),
    /** Attempts across all candidates of one request. */
    max_attempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
    base_delay_ms: Type.Optional(Type.Integer({ minimum: 0 })),
    max_delay_ms: Type.Optional(Type.Integer({ minimum: 0 })),
    /** A `Retry-After` longer than this moves on to the next candidate instead of waiting. */
    max_retry_after_ms: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);

const CandidateEntry = Type.Object(
  {
    provider: Type.String({ minLength: 1 }),
    model: Type.String({ minLength: 1 }),
    /** Share of traffic under the `weighted` strategy; checked to be positive. */
    weight: Type.Optional(Type.Number()),
    /** Requests it serves at once, for `least-busy`; defaults to the provider's `capacity`, then `max_connections`. */
    capacity: Type.Optional(Type.Number()),
  },
  { additionalProperties: false },
);

const HedgeEntry = Type.Object(
  {
    /** Hedge after this long without a first token, instead of the first candidate's recent p95. */
    after_ms: Type.Optional(Type.Integer({ minimum: 1 })),
    /** Before this many samples the p95 is not trusted and `fallback_ms` is used. */
    min_samples: Type.Optional(Type.Integer({ minimum: 1 })),
    /** The hedge delay while there are too few samples for a p95. */
    fallback_ms: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);

export const RouteEntry = Type.Object(
  {
    strategy: Type.Optional(Type.Union(STRATEGY_NAMES.map((name) => Type.Literal(name)))),
    candidates: Type.Array(CandidateEntry),
    /** Without it, cloud candidates of this route are never used. */
    allow_cloud: Type.Optional(Type.Boolean()),
    /** `true`, or a table of hedge settings. */
    hedge: Type.Optional(Type.Union([Type.Boolean(), HedgeEntry])),
    deadline_ms: Type.Optional(Type.Integer({ minimum: 1 })),
    retries: Type.Optional(RetriesEntry),
  },
  { additionalProperties: false },
);
export type RouteEntry = Static<typeof RouteEntry>;

export const RoutingSection = Type.Object(
  {
    /** Active health probes; 0 turns them off. */
    probe_interval_ms: Type.Optional(Type.Integer({ minimum: 0 })),
    probe_timeout_ms: Type.Optional(Type.Integer({ minimum: 1 })),
    /** Failed probes in a row before a provider is marked down. */
    probe_failures_to_down: Type.Optional(Type.Integer({ minimum: 1 })),
    /** A latency figure older than this is re-measured by lowest-latency routing. */
    explore_after_ms: Type.Optional(Type.Integer({ minimum: 0 })),
    breaker: Type.Optional(
      Type.Object(
        {
          failure_threshold: Type.Optional(Type.Integer({ minimum: 1 })),
          error_rate_threshold: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
          minimum_requests: Type.Optional(Type.Integer({ minimum: 1 })),
          window: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
          cooldown_ms: Type.Optional(Type.Integer({ minimum: 0 })),
        },
        { additionalProperties: false },
      ),
    ),
    deadlines: Type.Optional(
      Type.Object(
        {
          chat_ms: Type.Optional(Type.Integer({ minimum: 1 })),
          completion_ms: Type.Optional(Type.Integer({ minimum: 1 })),
          inline_completion_ms: Type.Optional(Type.Integer({ minimum: 1 })),
        },
        { additionalProperties: false },
      ),
    ),
    /** Defaults for every route (and for requests that name a model directly). */
    retries: Type.Optional(RetriesEntry),
  },
  { additionalProperties: false },
);
export type RoutingSection = Static<typeof RoutingSection>;

export interface RouteCandidateConfig {
  provider: string;
  model: string;
  weight: number;
  capacity?: number;
}

export interface HedgeConfig {
  afterMs?: number;
  minSamples: number;
  fallbackMs: number;
}

export interface RouteConfig {
  name: string;
  strategy: StrategyName;
  candidates: RouteCandidateConfig[];
  allowCloud: boolean;
  hedge?: HedgeConfig;
  deadlineMs?: number;
  retries: RetryOptions;
}

export interface RoutingConfig {
  routes: Map<string, RouteConfig>;
  probe: { intervalMs: number; timeoutMs: number; failuresToDown: number };
  exploreAfterMs: number;
  breaker: BreakerOptions;
  deadlines: DeadlineDefaults;
  /** For requests that name a model directly, and the base of each route's own. */
  retries: RetryOptions;
}

/** What the routing checks need to know of each provider. */
export type KnownProvider = Pick<ProviderSettings, 'name' | 'local' | 'models'>;

export const DEFAULT_HEDGE = { minSamples: 10, fallbackMs: 300 } as const;

/**
 * Validates `[routes.*]` and `[routing]` against the schema and against the providers, and
 * returns the resolved settings plus warnings (e.g. a cloud candidate on a route that does not
 * allow cloud). Throws a ConfigError listing every problem.
 */
export function parseRoutingConfig(
  routesSection: unknown,
  routingSection: unknown,
  providers: readonly KnownProvider[],
  sourcePath?: string,
): { config: RoutingConfig; warnings: string[] } {
  const problems: string[] = [];
  const warnings: string[] = [];
  const routing: RoutingSection = {};
  if (routingSection !== undefined) {
    const found = schemaProblems(RoutingSection, routingSection, 'routing');
    if (found.length > 0) problems.push(...found);
    else Object.assign(routing, routingSection);
  }
  const retries = resolveRetries(routing.retries, DEFAULT_RETRY_OPTIONS);
  const config: RoutingConfig = {
    routes: new Map(),
    probe: {
      intervalMs: routing.probe_interval_ms ?? DEFAULT_HEALTH_OPTIONS.intervalMs,
      timeoutMs: routing.probe_timeout_ms ?? DEFAULT_HEALTH_OPTIONS.timeoutMs,
      failuresToDown: routing.probe_failures_to_down ?? DEFAULT_HEALTH_OPTIONS.failuresToDown,
    },
    exploreAfterMs: routing.explore_after_ms ?? 30_000,
    breaker: {
      failureThreshold: routing.breaker?.failure_threshold ?? DEFAULT_BREAKER_OPTIONS.failureThreshold,
      errorRateThreshold: routing.breaker?.error_rate_threshold ?? DEFAULT_BREAKER_OPTIONS.errorRateThreshold,
      minimumRequests: routing.breaker?.minimum_requests ?? DEFAULT_BREAKER_OPTIONS.minimumRequests,
      windowSize: routing.breaker?.window ?? DEFAULT_BREAKER_OPTIONS.windowSize,
      cooldownMs: routing.breaker?.cooldown_ms ?? DEFAULT_BREAKER_OPTIONS.cooldownMs,
    },
    deadlines: {
      chatMs: routing.deadlines?.chat_ms ?? DEFAULT_DEADLINES.chatMs,
      completionMs: routing.deadlines?.completion_ms ?? DEFAULT_DEADLINES.completionMs,
      inlineCompletionMs: routing.deadlines?.inline_completion_ms ?? DEFAULT_DEADLINES.inlineCompletionMs,
    },
    retries,
  };
  if (config.breaker.minimumRequests > config.breaker.windowSize) {
    problems.push(`routing.breaker.minimum_requests: got ${config.breaker.minimumRequests}, expected at most routing.breaker.window (${config.breaker.windowSize})`);
  }

  if (routesSection !== undefined) {
    if (typeof routesSection !== 'object' || routesSection === null || Array.isArray(routesSection)) {
      problems.push(`routes: got ${describeValue(routesSection)}, expected a table of routes ([routes.NAME])`);
    } else {
      const byName = new Map(providers.map((provider) => [provider.name, provider]));
      for (const [name, entry] of Object.entries(routesSection)) {
        const route = checkRoute(name, entry, byName, retries, problems, warnings);
        if (route !== undefined) config.routes.set(name, route);
      }
    }
  }
  if (problems.length > 0) throw new ConfigError(problems, sourcePath);
  return { config, warnings };
}

function checkRoute(
  name: string,
  entry: unknown,
  providers: ReadonlyMap<string, KnownProvider>,
  baseRetries: RetryOptions,
  problems: string[],
  warnings: string[],
): RouteConfig | undefined {
  const key = `routes.${name}`;
  const before = problems.length;
  if (name.includes('/')) problems.push(`${key}: a route name cannot contain "/" (that form means provider/model)`);
  const schema = schemaProblems(RouteEntry, entry, key);
  if (schema.length > 0) {
    problems.push(...schema);
    return undefined;
  }
  const route = entry as RouteEntry;
  const strategy = route.strategy ?? 'priority';
  if (route.candidates.length === 0) problems.push(`${key}.candidates: got [], expected at least one { provider, model } candidate`);
  const allowCloud = route.allow_cloud ?? false;
  const candidates: RouteCandidateConfig[] = [];
  route.candidates.forEach((candidate, index) => {
    const candidateKey = `${key}.candidates[${index}]`;
    const provider = providers.get(candidate.provider);
    if (provider === undefined) {
      const known = [...providers.keys()].map((n) => JSON.stringify(n)).join(', ');
      problems.push(`${candidateKey}.provider: got "${candidate.provider}", expected a configured provider${known ? ` (${known})` : ' (none is configured)'}`);
    } else {
      if (provider.models.length > 0 && !provider.models.includes(candidate.model)) {
        problems.push(`${candidateKey}.model: got "${candidate.model}", expected a model provider "${provider.name}" lists (${provider.models.map((m) => JSON.stringify(m)).join(', ')})`);
      }
      if (!provider.local && !allowCloud) {
        warnings.push(`${candidateKey}: "${candidate.provider}" is a cloud provider and ${key}.allow_cloud is not true, so this candidate is never used`);
      }
    }
    if (candidate.weight !== undefined && !(candidate.weight > 0 && Number.isFinite(candidate.weight))) {
      problems.push(`${candidateKey}.weight: got ${describeValue(candidate.weight)}, expected a positive number`);
    }
    if (candidate.capacity !== undefined && !(candidate.capacity > 0 && Number.isFinite(candidate.capacity))) {
      problems.push(`${candidateKey}.capacity: got ${describeValue(candidate.capacity)}, expected a positive number`);
    }
    candidates.push({ provider: candidate.provider, model: candidate.model, weight: candidate.weight ?? 1, capacity: candidate.capacity });
  });
  const seen = new Set<string>();
  candidates.forEach((candidate, index) => {
    const id = `${candidate.provider}/${candidate.model}`;
    if (seen.has(id)) problems.push(`${key}.candidates[${index}]: "${id}" is listed twice`);
    seen.add(id);
  });
  let hedge: HedgeConfig | undefined;
  if (route.hedge !== undefined && route.hedge !== false) {
    const settings = route.hedge === true ? {} : route.hedge;
    hedge = {
      afterMs: settings.after_ms,
      minSamples: settings.min_samples ?? DEFAULT_HEDGE.minSamples,
      fallbackMs: settings.fallback_ms ?? DEFAULT_HEDGE.fallbackMs,
    };
    if (candidates.length < 2) warnings.push(`${key}.hedge: the route has one candidate, so there is nothing to hedge to`);
  }
  if (problems.length > before) return undefined;
  return {
    name,
    strategy,
    candidates,
    allowCloud,
    hedge,
    deadlineMs: route.deadline_ms,
    retries: resolveRetries(route.retries, baseRetries),
  };
}

function resolveRetries(entry: Static<typeof RetriesEntry> | undefined, base: RetryOptions): RetryOptions {
  return {
    retriesPerCandidate: entry?.per_candidate ?? base.retriesPerCandidate,
    maxAttempts: entry?.max_attempts ?? base.maxAttempts,
    baseDelayMs: entry?.base_delay_ms ?? base.baseDelayMs,
    maxDelayMs: entry?.max_delay_ms ?? base.maxDelayMs,
    maxRetryAfterMs: entry?.max_retry_after_ms ?? base.maxRetryAfterMs,
  };
}
