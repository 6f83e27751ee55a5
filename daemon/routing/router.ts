/**
 * The router: owns the live state routing decisions read (per provider+model statistics and
 * breakers, per provider health and its prober) and the compiled routes, and turns the model
 * or route a request names into a plan. One per daemon; `close()` stops the prober.
 */
import type { GatewayRequest } from '../../shared/gateway';
import { GatewayError } from '../core/errors';
import type { BudgetExclusions, Candidate, RequestContext, RoutePlan } from '../core/pipeline';
import type { ProviderRegistry } from '../providers/provider-registry';
import type { RouteConfig, RoutingConfig } from './routes-schema';
import { parseRoutingConfig } from './routes-schema';
import type { Provider } from '../core/provider';
import { CandidateStatsRegistry } from './candidate-stats';
import { CircuitBreaker } from './circuit-breaker';
import { CompiledRoute, type RouteSettings, type RoutingCandidate, type SelectionRequest } from './compiled-route';
import { resolveDeadlineMs } from './deadline';
import { HealthProber } from './health-prober';
import { rateLimitRetryAfterMs } from './retry-after';
import type { StrategyName } from './strategies';
import { newTally, type RouteTally } from './route-tally';

/** The subset of a pino logger the router uses. */
export interface RoutingLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  info?(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  isLevelEnabled?(level: string): boolean;
}

export interface RouterOptions {
  registry: ProviderRegistry;
  /** Defaults apply when absent (no routes; only models named directly). */
  config?: RoutingConfig;
  /** `alias → model`, `alias → provider/model`, or `alias → route`. */
  aliases?: Record<string, string>;
  log?: RoutingLogger;
  random?: () => number;
}

/** What the executor needs to carry out a plan made by this router. */
export interface RouteSelection {
  router: Router;
  route: CompiledRoute;
  /** Index in `route.candidates` of the strategy's first choice. */
  first: number;
  deadlineMs: number;
  /** Why spent budgets rule candidates out, by index in `route.candidates`; fallbacks honour it too. */
  excluded?: readonly (string | undefined)[];
}

export interface RouterPlan extends RoutePlan {
  selection: RouteSelection;
}

/**
 * A plan made by the router. `candidates` (the strategy's choice first, then the others in
 * configured order, less those a spent budget rules out) is built only if someone reads it: the executor picks fallbacks itself,
 * from health as it is at the time of the failure.
 */
class PlanOfRoute implements RouterPlan {
  readonly routeName: string | undefined;
  private ordered: Candidate[] | undefined;

  constructor(readonly selection: RouteSelection) {
    this.routeName = selection.route.name;
  }

  get candidates(): Candidate[] {
    if (this.ordered === undefined) {
      const { route, first, excluded } = this.selection;
      const ordered: Candidate[] = [route.candidates[first]!];
      for (let i = 0; i < route.candidates.length; i++) if (i !== first && excluded?.[i] === undefined) ordered.push(route.candidates[i]!);
      this.ordered = ordered;
    }
    return this.ordered;
  }
}

export function isRouterPlan(plan: RoutePlan): plan is RouterPlan {
  return (plan as Partial<RouterPlan>).selection !== undefined;
}

/** Implicit routes (models named directly) kept at most; names come from clients. */
const IMPLICIT_ROUTE_CACHE = 512;

export class Router {
  readonly stats = new CandidateStatsRegistry();
  readonly prober: HealthProber;
  readonly config: RoutingConfig;
  readonly log: RoutingLogger | undefined;
  readonly random: () => number;
  readonly registry: ProviderRegistry;
  private readonly aliases: Record<string, string>;
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly routes = new Map<string, CompiledRoute>();
  /** The registry's generation the named routes were compiled against (see `current`). */
  private compiledFor: number;
  /** Implicit routes by requested name (and pinned provider), with the provider list they were built from. */
  private readonly implicit = new Map<string, { basis: unknown; route: CompiledRoute }>();
  /** Routes restricted to one provider by `X-Switchyard-Provider`. */
  private readonly restricted = new Map<string, CompiledRoute>();
  /** Routes with a budget's fallback model in front, by route and by the fallback model's route. */
  private readonly fallbacks = new WeakMap<CompiledRoute, WeakMap<CompiledRoute, CompiledRoute>>();
  private readonly candidates = new Map<string, RoutingCandidate>();
  /** What happened to requests that named a model directly (all implicit routes together). */
  readonly directTally: RouteTally = newTally();

  constructor(options: RouterOptions) {
    this.registry = options.registry;
    this.config = options.config ?? parseRoutingConfig(undefined, undefined, []).config;
    this.aliases = options.aliases ?? {};
    this.log = options.log;
    this.random = options.random ?? Math.random;
    this.prober = new HealthProber(() => this.registry.all(), {
      ...this.config.probe,
      log: this.log ? (message, fields) => this.log?.debug(fields, message) : undefined,
    });
    for (const route of this.config.routes.values()) this.routes.set(route.name, this.compile(route));
    this.compiledFor = this.registry.generation;
  }

  /**
   * The named routes, compiled again if a provider was added since: a route can name a local
   * server that was not running when the daemon started (it is left out then, with a warning)
   * and that rediscovery adds later. One comparison per request otherwise. A route compiled
   * again keeps its tally; candidates keep their statistics and breakers (shared by key).
   */
  private current(): Map<string, CompiledRoute> {
    if (this.compiledFor !== this.registry.generation) {
      this.compiledFor = this.registry.generation;
      for (const config of this.config.routes.values()) {
        const before = this.routes.get(config.name);
        const route = this.compile(config, before?.settings.tally);
        if (before === undefined || route.candidates.length !== before.candidates.length) {
          this.routes.set(config.name, route);
          if (before !== undefined) this.log?.info?.({ route: config.name, candidates: route.candidates.map((c) => c.key) }, 'routing: route compiled again with a provider added since the start');
        }
      }
      // Built from the old routes.
      this.restricted.clear();
    }
    return this.routes;
  }

  /** Starts active health probes (when the interval is not 0). */
  start(): void {
    this.prober.start();
  }

  /** Stops the prober; safe to call twice. */
  async close(): Promise<void> {
    await this.prober.close();
  }

  debugEnabled(): boolean {
    return this.log !== undefined && (this.log.isLevelEnabled?.('debug') ?? true);
  }

  routeNames(): string[] {
    return [...this.current().keys()];
  }

  route(name: string): CompiledRoute | undefined {
    return this.current().get(name);
  }

  breaker(key: string): CircuitBreaker {
    let breaker = this.breakers.get(key);
    if (breaker === undefined) {
      breaker = new CircuitBreaker(this.config.breaker);
      this.breakers.set(key, breaker);
    }
    return breaker;
  }

  /** Every provider+model the router has state for (route candidates and models used directly). */
  allCandidates(): RoutingCandidate[] {
    return [...this.candidates.values()];
  }

  /**
   * The plan for a request: which route (configured, or implicit for a model named directly),
   * and the strategy's first choice among the candidates that may take it now. Throws 404 for
   * a name nothing serves, and 503 listing why each candidate was skipped when none may.
   */
  plan(request: GatewayRequest, context: RequestContext, excluded?: BudgetExclusions): RouterPlan {
    return this.select(this.resolve(request, context), request, context, excluded);
  }

  /**
   * The route a request names: `X-Switchyard-Route`, a configured route, an alias, or the
   * implicit route of a model named directly; restricted to one provider by
   * `X-Switchyard-Provider`. Throws 404 for a name nothing serves.
   */
  resolve(request: GatewayRequest, context: RequestContext): CompiledRoute {
    const route = this.resolveRoute(request, context);
    const pinned = context.directives.provider;
    return pinned !== undefined && route.name !== undefined ? this.restrictToProvider(route, pinned) : route;
  }

  /**
   * The strategy's first choice on `route` among the candidates that may take the request now.
   * Candidates a spent `fallback-local` budget rules out (`excluded`, asked of budgets once
   * before selection) are not eligible, and local candidates go first: the route's own, or
   * else those of the budget's `fallback_model`. Throws 503 (or 429) when no candidate may.
   */
  select(route: CompiledRoute, request: GatewayRequest, context: RequestContext, excluded?: BudgetExclusions): RouterPlan {
    const deadlineMs = resolveDeadlineMs(request, context, route.settings.deadlineMs, this.config.deadlines);
    const selection = this.selectionRequest(request, context, deadlineMs);
    if (excluded !== undefined && excluded.size > 0) {
      const narrowed = this.withExclusions(route, excluded);
      if (narrowed !== undefined) {
        route = narrowed.route;
        selection.excluded = narrowed.excluded;
      }
    }
    const first = route.selectFirst(selection);
    if (first < 0) throw this.nothingEligible(route, selection, request);

    if (this.debugEnabled()) {
      this.log?.debug(
        { requestId: context.requestId, route: route.name ?? null, strategy: route.strategyName, chosen: route.candidates[first]!.key, deadlineMs },
        'routing: candidate chosen',
      );
    }
    return new PlanOfRoute({ router: this, route, first, deadlineMs, excluded: selection.excluded });
  }

  /**
   * The route and per-candidate exclusion reasons once budgets ruled candidates out. With no
   * local candidate left on the route, the local candidates of the budget's `fallback_model`
   * go in front, under the route's own name and settings. When nothing at all would be left,
   * the exclusions are dropped: the reservation then refuses with the budget's 429, which
   * names the budget, its figures and when it resets.
   */
  private withExclusions(route: CompiledRoute, excluded: BudgetExclusions): { route: CompiledRoute; excluded: (string | undefined)[] } | undefined {
    let reasons = route.candidates.map((candidate) => excluded.get(candidate.key)?.reason);
    if (!route.candidates.some((candidate, i) => candidate.local && reasons[i] === undefined)) {
      const fallback = this.fallbackRoute(route, excluded);
      if (fallback !== undefined) {
        reasons = [...new Array<undefined>(fallback.candidates.length - route.candidates.length), ...reasons];
        route = fallback;
      }
    }
    if (reasons.every((reason) => reason !== undefined)) return undefined;
    return { route, excluded: reasons };
  }

  /** The route with the local candidates of the first `fallback_model` that has any in front of its own. */
  private fallbackRoute(route: CompiledRoute, excluded: BudgetExclusions): CompiledRoute | undefined {
    for (const exclusion of excluded.values()) {
      if (exclusion.fallbackModel === undefined) continue;
      let target: CompiledRoute;
      try {
        target = this.resolveRoute({ model: exclusion.fallbackModel }, { directives: {} });
      } catch {
        continue; // a fallback_model nothing serves: the next budget's, or no reroute
      }
      const local = target.candidates.filter((candidate) => candidate.local);
      if (local.length === 0) continue;
      let byTarget = this.fallbacks.get(route);
      if (byTarget === undefined) this.fallbacks.set(route, (byTarget = new WeakMap()));
      let combined = byTarget.get(target);
      if (combined === undefined) {
        combined = new CompiledRoute(route.name, 'priority', [...local, ...route.candidates], route.settings);
        byTarget.set(target, combined);
      }
      return combined;
    }
    return undefined;
  }

  /** What selection reads about this request, as of now. */
  private selectionRequest(request: GatewayRequest, context: RequestContext, deadlineMs: number): SelectionRequest {
    const now = performance.now();
    return {
      streamed: request.stream,
      now,
      exploreAfterMs: this.config.exploreAfterMs,
      remainingMs: deadlineMs - (now - context.receivedAt),
      localOnly: context.directives.localOnly === true,
    };
  }

  private resolveRoute(request: Pick<GatewayRequest, 'model'>, context: { directives: RequestContext['directives'] }): CompiledRoute {
    const requested = context.directives.route ?? request.model;
    const routes = this.current();
    const direct = routes.get(requested);
    if (direct !== undefined) return direct;
    const name = this.aliases[requested] ?? requested;
    const aliased = routes.get(name);
    if (aliased !== undefined) return aliased;
    return this.implicitRoute(name, requested, context.directives.provider, context.directives.route !== undefined);
  }

  /**
   * The route of a model named directly: `provider/model`, a model one or more providers serve
   * (in configuration order; cloud ones only when no local provider serves it, so nothing
   * silently falls back to the cloud), or any model on a provider pinned by header.
   */
  private implicitRoute(name: string, requested: string, pinned: string | undefined, fromRouteHeader: boolean): CompiledRoute {
    const cacheKey = pinned === undefined ? name : `${pinned}\u0000${name}`;
    const slash = name.indexOf('/');
    const prefixed = slash > 0 ? this.registry.get(name.slice(0, slash)) : undefined;
    let providers: readonly Provider[];
    let model = name;
    let basis: unknown;
    if (prefixed !== undefined && (pinned === undefined || pinned === prefixed.settings.name)) {
      providers = [prefixed];
      model = name.slice(slash + 1);
      basis = prefixed;
    } else if (pinned !== undefined) {
      const provider = this.registry.get(pinned);
      if (provider === undefined) throw new GatewayError('unknownModel', `No provider named "${pinned}" (from X-Switchyard-Provider).`, { param: 'model' });
      providers = [provider];
      basis = provider;
    } else {
      providers = this.registry.providersFor(name);
      basis = providers;
      if (providers.length === 0) {
        const what = fromRouteHeader ? `No route or model is named "${requested}" (from X-Switchyard-Route).` : `The model "${requested}" does not exist or no configured provider serves it.`;
        throw new GatewayError('unknownModel', `${what} GET /v1/models lists the models you can use; GET /v1/switchyard/providers lists the routes.`, { param: 'model' });
      }
    }
    const cached = this.implicit.get(cacheKey);
    if (cached !== undefined && cached.basis === basis) return cached.route;
    const anyLocal = providers.some((provider) => provider.settings.local);
    const route = new CompiledRoute(
      undefined,
      'priority',
      providers.map((provider) => this.candidate(provider, model, 1, undefined)),
      { allowCloud: !anyLocal, retries: this.config.retries, tally: this.directTally },
    );
    if (this.implicit.size >= IMPLICIT_ROUTE_CACHE) this.implicit.clear();
    this.implicit.set(cacheKey, { basis, route });
    return route;
  }

  private restrictToProvider(route: CompiledRoute, provider: string): CompiledRoute {
    const key = `${route.name}\u0000${provider}`;
    let restricted = this.restricted.get(key);
    if (restricted === undefined) {
      const candidates = route.candidates.filter((candidate) => candidate.provider.settings.name === provider);
      if (candidates.length === 0) {
        throw new GatewayError('unknownModel', `The route "${route.name}" has no candidate on provider "${provider}" (from X-Switchyard-Provider).`, {
          param: 'model',
        });
      }
      restricted = new CompiledRoute(route.name, route.strategyName, candidates, route.settings);
      this.restricted.set(key, restricted);
    }
    return restricted;
  }

  /** `tally`: the route's counts so far, when it is compiled again. Warns of candidates left out only the first time. */
  private compile(route: RouteConfig, tally?: RouteTally): CompiledRoute {
    const candidates: RoutingCandidate[] = [];
    for (const entry of route.candidates) {
      const provider = this.registry.get(entry.provider);
      if (provider === undefined) {
        if (tally === undefined) this.log?.warn({ route: route.name, provider: entry.provider }, 'routing: provider not available; candidate left out of the route');
        continue;
      }
      candidates.push(this.candidate(provider, entry.model, entry.weight, entry.capacity));
    }
    const settings: RouteSettings = { allowCloud: route.allowCloud, hedge: route.hedge, deadlineMs: route.deadlineMs, retries: route.retries, tally: tally ?? newTally() };
    return new CompiledRoute(route.name, route.strategy as StrategyName, candidates, settings);
  }

  /** A candidate bound to the shared state of its provider+model (a route's weight and capacity are its own). */
  candidate(provider: Provider, model: string, weight: number, capacity: number | undefined): RoutingCandidate {
    const key = `${provider.settings.name}/${model}`;
    const settings = provider.settings;
    const price = settings.prices[model];
    const candidate: RoutingCandidate = {
      provider,
      model,
      key,
      stats: this.stats.get(key),
      breaker: this.breaker(key),
      health: this.prober.ref(settings.name),
      weight,
      capacity: capacity ?? settings.capacity ?? settings.maxConnections,
      local: settings.local,
      // Local models cost nothing; a cloud model with no price sorts last but stays usable.
      pricePerMTok: settings.local ? 0 : price !== undefined ? price.input + price.output : Number.MAX_VALUE,
    };
    if (!this.candidates.has(key)) this.candidates.set(key, candidate);
    return candidate;
  }

  private nothingEligible(route: CompiledRoute, selection: SelectionRequest, request: GatewayRequest): GatewayError {
    const skipped = route.candidates.map((candidate, index) => ({
      provider: candidate.provider.settings.name,
      model: candidate.model,
      reason: route.whySkipped(index, selection) ?? 'not eligible',
    }));
    const what = route.name !== undefined ? `route "${route.name}"` : `model "${request.model}"`;
    const list = skipped.map((s) => `${s.provider}/${s.model}: ${s.reason}`).join('; ');
    const now = selection.now;
    if (route.candidates.length > 0 && route.candidates.every((candidate) => candidate.stats.rateLimitedUntil > now)) {
      // Every candidate asked us to back off: the caller gets a 429 saying when to come back.
      return new GatewayError('upstreamRateLimited', `Every candidate of ${what} is rate limited: ${list}`, { retryAfterMs: rateLimitRetryAfterMs(route.candidates, now), details: { tried: [], skipped } });
    }
    if (route.candidates.length === 0) {
      return new GatewayError('noCandidates', `No provider of ${what} is available (its providers were not found at startup).`, { details: { tried: [], skipped } });
    }
    // When every candidate is only waiting (an open breaker's cooldown, a 429's back-off), say when the first comes back.
    let backAt = Number.NEGATIVE_INFINITY;
    for (const candidate of route.candidates) {
      const waitUntil = Math.max(candidate.stats.rateLimitedUntil, candidate.breaker.state(now) === 'open' ? candidate.breaker.reopensAt() : 0);
      if (waitUntil <= now) {
        backAt = Number.NEGATIVE_INFINITY; // out for a reason that has no end time (down, cloud, deadline)
        break;
      }
      backAt = backAt === Number.NEGATIVE_INFINITY ? waitUntil : Math.min(backAt, waitUntil);
    }
    const retryAfterMs = backAt > now ? Math.ceil(backAt - now) : undefined;
    return new GatewayError('noCandidates', `No candidate of ${what} can take the request now: ${list}`, { retryAfterMs, details: { tried: [], skipped } });
  }
}
