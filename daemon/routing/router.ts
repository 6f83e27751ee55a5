/**
 * The router: owns the live state routing decisions read (per provider+model statistics and
 * breakers, per provider health and its prober) and the compiled routes, and turns the model
 * or route a request names into a plan. One per daemon; `close()` stops the prober.
 */
import type { GatewayRequest } from '../../shared/gateway';
import { GatewayError } from '../core/errors';
import type { Candidate, RequestContext, RoutePlan } from '../core/pipeline';
import type { ProviderRegistry } from '../providers/provider-registry';
import type { RouteConfig, RoutingConfig } from './routes-schema';
import { parseRoutingConfig } from './routes-schema';
import type { Provider } from '../providers/provider';
import { CandidateStatsRegistry } from './candidate-stats';
import { CircuitBreaker } from './circuit-breaker';
import { CompiledRoute, type RouteSettings, type RoutingCandidate, type SelectionRequest } from './compiled-route';
import { resolveDeadlineMs } from './deadline';
import { HealthProber } from './health-prober';
import type { StrategyName } from './strategies';
import { newTally, type RouteTally } from './route-tally';

/** The subset of a pino logger the router uses. */
export interface RoutingLogger {
  debug(fields: Record<string, unknown>, message: string): void;
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
  streamed: boolean;
}

export interface RouterPlan extends RoutePlan {
  selection: RouteSelection;
}

/**
 * A plan made by the router. `candidates` (the strategy's choice first, then the others in
 * configured order) is built only if someone reads it: the executor picks fallbacks itself,
 * from health as it is at the time of the failure.
 */
class PlanOfRoute implements RouterPlan {
  /** An own property, not a getter, so a plan spread into a new object (budgets' reroute) keeps it. */
  readonly routeName: string | undefined;
  private ordered: Candidate[] | undefined;

  constructor(readonly selection: RouteSelection) {
    this.routeName = selection.route.name;
  }

  get candidates(): Candidate[] {
    if (this.ordered === undefined) {
      const { route, first } = this.selection;
      const ordered: Candidate[] = [route.candidates[first]!];
      for (let i = 0; i < route.candidates.length; i++) if (i !== first) ordered.push(route.candidates[i]!);
      this.ordered = ordered;
    }
    return this.ordered;
  }
}

function isRoutingCandidate(candidate: Candidate): candidate is RoutingCandidate {
  return (candidate as Partial<RoutingCandidate>).breaker !== undefined && (candidate as Partial<RoutingCandidate>).stats !== undefined;
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
  /** Implicit routes by requested name (and pinned provider), with the provider list they were built from. */
  private readonly implicit = new Map<string, { basis: unknown; route: CompiledRoute }>();
  /** Routes restricted to one provider by `X-Switchyard-Provider`. */
  private readonly restricted = new Map<string, CompiledRoute>();
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
    return [...this.routes.keys()];
  }

  route(name: string): CompiledRoute | undefined {
    return this.routes.get(name);
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
   * The route a request resolves to (configured, or implicit for a model named directly) without
   * choosing a candidate: nothing in a strategy's state moves, so a cache lookup before the real
   * request does not skip a round-robin turn. Throws 404 for a name nothing serves, as `plan` does.
   */
  resolve(request: GatewayRequest, context: RequestContext): CompiledRoute {
    const route = this.resolveRoute(request, context);
    const pinned = context.directives.provider;
    return pinned !== undefined && route.name !== undefined ? this.restrictToProvider(route, pinned) : route;
  }

  /**
   * The plan for a request: which route (configured, or implicit for a model named directly),
   * and the strategy's first choice among the candidates that may take it now. Throws 404 for
   * a name nothing serves, and 503 listing why each candidate was skipped when none may.
   */
  plan(request: GatewayRequest, context: RequestContext): RouterPlan {
    let route = this.resolveRoute(request, context);
    const pinned = context.directives.provider;
    if (pinned !== undefined && route.name !== undefined) route = this.restrictToProvider(route, pinned);

    const deadlineMs = resolveDeadlineMs(request, context, route.settings.deadlineMs, this.config.deadlines);
    const selection = this.selectionRequest(request, context, deadlineMs);
    const first = route.selectFirst(selection);
    if (first < 0) throw this.nothingEligible(route, selection, request);

    if (this.debugEnabled()) {
      this.log?.debug(
        { requestId: context.requestId, route: route.name ?? null, strategy: route.strategyName, chosen: route.candidates[first]!.key, deadlineMs },
        'routing: candidate chosen',
      );
    }
    return new PlanOfRoute({ router: this, route, first, deadlineMs, streamed: request.stream });
  }

  /**
   * What to execute for a plan. A later stage may have replaced a plan's candidates (budgets
   * put a local model first when a cloud budget is spent, spreading the plan into a new
   * object); then the candidates it chose are tried in its order, under the route's settings.
   */
  selectionFor(plan: RouterPlan, request: GatewayRequest, context: RequestContext): RouteSelection {
    if (plan instanceof PlanOfRoute) return plan.selection;
    const { route, deadlineMs } = plan.selection;
    const candidates = plan.candidates.map((candidate) =>
      isRoutingCandidate(candidate) ? candidate : this.candidate(candidate.provider, candidate.model, 1, undefined),
    );
    const replanned = new CompiledRoute(route.name, 'priority', candidates, route.settings);
    const selection = this.selectionRequest(request, context, deadlineMs);
    const first = replanned.selectFirst(selection);
    if (first < 0) throw this.nothingEligible(replanned, selection, request);
    return { router: this, route: replanned, first, deadlineMs, streamed: request.stream };
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

  private resolveRoute(request: GatewayRequest, context: RequestContext): CompiledRoute {
    const requested = context.directives.route ?? request.model;
    const direct = this.routes.get(requested);
    if (direct !== undefined) return direct;
    const name = this.aliases[requested] ?? requested;
    const aliased = this.routes.get(name);
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

  private compile(route: RouteConfig): CompiledRoute {
    const candidates: RoutingCandidate[] = [];
    for (const entry of route.candidates) {
      const provider = this.registry.get(entry.provider);
      if (provider === undefined) {
        this.log?.warn({ route: route.name, provider: entry.provider }, 'routing: provider not available; candidate left out of the route');
        continue;
      }
      candidates.push(this.candidate(provider, entry.model, entry.weight, entry.capacity));
    }
    const settings: RouteSettings = { allowCloud: route.allowCloud, hedge: route.hedge, deadlineMs: route.deadlineMs, retries: route.retries, tally: newTally() };
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
      const retryAfterMs = Math.ceil(Math.min(...route.candidates.map((candidate) => candidate.stats.rateLimitedUntil)) - now);
      return new GatewayError('upstreamRateLimited', `Every candidate of ${what} is rate limited: ${list}`, { retryAfterMs, details: { tried: [], skipped } });
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
