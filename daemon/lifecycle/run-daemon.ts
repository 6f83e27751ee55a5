import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { DaemonStateFile } from '../../shared/admin';
import { loadConfigFile, type GatewayConfig } from '../config/load-config';
import { Gateway } from '../gateway/gateway';
import { createRouter } from './create-router';
import { openCacheAndBudgets } from './open-stores';
import { ProviderRegistry } from '../providers/provider-registry';
import { createLoggers } from '../observability/logger';
import { GatewayMetrics } from '../observability/metrics';
import { LogLevelControl } from '../observability/log-level';
import { registerHostGauges } from '../hardware/hardware-metrics';
import { systemProbes } from '../hardware/hardware-probes';
import { createProvider } from '../providers/create-provider';
import { buildApp } from '../http/app';
import { EditorBenchmarks } from '../bench-runner/editor-benchmarks';
import { InlineCompletionService } from '../completion/inline-completion-service';
import { LspDoor } from '../lsp/lsp-door';
import type { Router } from '../routing/router';
import type { BudgetService } from '../budgets/budget-service';
import { benchTargetFinder } from '../hardware/bench-target';
import { HardwareService } from '../hardware/hardware-service';
import { VERSION } from '../version';
import { discoverLocalProviders } from './discover-local';
import { LocalRediscovery } from './rediscover-local';
import { RuntimeApiKeys } from './runtime-api-keys';
import { findRunningDaemon } from './find-running-daemon';
import { ensureStateDir, removeStateFile, writeStateFile } from './state-file';
import { loadOrCreateToken } from './token-file';

export interface DaemonOptions {
  configPath?: string;
  stateDir: string;
  /** Overrides the config's port; 0 takes a free one. */
  port?: number;
  env?: NodeJS.ProcessEnv;
  /** Where log lines go (stderr by default; stdout carries only the ready line). */
  logDestination?: NodeJS.WritableStream;
}

export interface RunningDaemon {
  url: string;
  port: number;
  token: string;
  stateFile: string;
  config: GatewayConfig;
  app: FastifyInstance;
  /** The editor's door (LSP), beside the HTTP one. */
  lsp: LspDoor;
  logger: Logger;
  /** Drains requests in flight, closes the pools and removes the state file. Safe to call twice. */
  close(): Promise<void>;
}

export class DaemonAlreadyRunning extends Error {
  constructor(readonly state: DaemonStateFile) {
    super(`a Switchyard daemon is already running for this user: pid ${state.pid} at ${state.url ?? `http://127.0.0.1:${state.port}`} (version ${state.version})`);
    this.name = 'DaemonAlreadyRunning';
  }
}

/** Starts the gateway: config, providers, HTTP door, state file. Throws ConfigError before anything serves. */
export async function startDaemon(options: DaemonOptions): Promise<RunningDaemon> {
  const env = options.env ?? process.env;
  const config = loadConfigFile(options.configPath, env);
  ensureStateDir(options.stateDir);
  const running = await findRunningDaemon(options.stateDir);
  if (running) throw new DaemonAlreadyRunning(running);

  const { logger, requestLines } = createLoggers(config.logLevel, options.logDestination);
  const logLevel = new LogLevelControl(logger);
  logLevel.follow(requestLines);
  for (const warning of config.warnings) logger.warn(warning);
  const registry = new ProviderRegistry(createProvider);
  // Until the app owns them, a failed start closes what was opened so far.
  const opened: { close(): Promise<void> }[] = [registry];
  try {
    const metrics = new GatewayMetrics({ processMetrics: true, isKnownModel: (model) => registry.knowsModel(model) || Object.hasOwn(config.aliases, model) });
    // Cache, budgets and team mode first: an invalid section is a ConfigError before any
    // local port is probed.
    const cacheAndBudgets = await openCacheAndBudgets({
      file: config.file,
      sourcePath: config.sourcePath,
      stateDir: options.stateDir,
      registry: metrics.registry,
      warn: (message) => logger.warn(message),
      env,
    });
    opened.push(cacheAndBudgets);
    for (const settings of config.providers) registry.add(settings);
    for (const settings of await discoverLocalProviders(config.discoveryCandidates, createProvider)) {
      logger.info({ provider: settings.name, baseUrl: settings.baseUrl }, 'found a local model server');
      registry.add(settings);
    }
    await registry.refreshModels(AbortSignal.timeout(3_000));

    const router = createRouter(config, registry, logger);
    opened.push(router);
    const gateway = new Gateway({ router, metrics, cache: cacheAndBudgets.cache, budgets: cacheAndBudgets.budgets });
    const completions = new InlineCompletionService({ gateway, registry, router, aliases: config.aliases, log: logger });
    opened.push(completions);
    const token = loadOrCreateToken(options.stateDir);
    const ollama = registry.all().find((provider) => provider.settings.kind === 'ollama' && provider.settings.local);
    const hardware = new HardwareService({
      stateDir: options.stateDir,
      settings: config.hardware,
      ollamaUrl: config.hardware.ollama_url ?? ollama?.settings.baseUrl,
      findBenchTarget: benchTargetFinder(registry),
      warn: (message) => logger.warn(message),
    });
    opened.push(hardware);
    registerHostGauges(metrics.registry, systemProbes());
    const app = await buildApp({
      services: { gateway, registry, metrics, logLevel, router, aliases: config.aliases, version: VERSION, counters: { inFlight: 0, served: 0 } },
      token,
      bodyLimitBytes: config.server.bodyLimitBytes,
      ollamaDoorWithoutToken: config.server.ollamaDoorWithoutToken,
      metricsWithoutToken: config.server.metricsWithoutToken,
      streamHeadersAfterMs: config.server.streamHeadersAfterMs,
      streamHeadersOnAccept: config.server.streamHeadersOnAccept,
      logger,
      requestLines,
      hardware,
    });
    opened.push(app);
    return await serve({ app, token, config, logger, logLevel, stateDir: options.stateDir, port: options.port, cacheAndBudgets, router, registry, budgets: cacheAndBudgets.budgets, completions, hardware });
  } catch (error) {
    for (const resource of opened.reverse()) await resource.close().catch(() => undefined);
    throw error;
  }
}

interface ServeOptions {
  app: FastifyInstance;
  token: string;
  config: GatewayConfig;
  logger: Logger;
  logLevel: LogLevelControl;
  stateDir: string;
  port?: number;
  cacheAndBudgets: { close(): Promise<void> };
  router: Router;
  registry: ProviderRegistry;
  budgets: BudgetService | undefined;
  completions: InlineCompletionService;
  hardware: HardwareService;
}

/** Listens (HTTP, then the editor's LSP door), writes the state file, and hands back the running daemon with its one close(). */
async function serve(options: ServeOptions): Promise<RunningDaemon> {
  const { app, token, config, logger, logLevel, stateDir, port: portOption, cacheAndBudgets, router, registry, budgets, completions, hardware } = options;
  const port = await listen(app, config.server.host, portOption ?? config.server.port, portOption === undefined);
  const host = config.server.host === '::1' ? '[::1]' : '127.0.0.1';
  const url = `http://${host}:${port}`;

  let lsp: LspDoor | undefined;
  const statusMayHaveChanged = () => lsp?.statusMayHaveChanged();
  const rediscovery = new LocalRediscovery({
    registry,
    candidates: config.discoveryCandidates,
    create: createProvider,
    intervalMs: config.rediscoveryIntervalMs,
    onFound: (names) => {
      if (names.length > 0) logger.info({ providers: names }, 'found a local model server');
      statusMayHaveChanged();
    },
  });
  lsp = await LspDoor.open(stateDir, {
    router,
    registry,
    aliases: config.aliases,
    budgets: () => budgets,
    completer: completions,
    apiKeys: new RuntimeApiKeys(registry, statusMayHaveChanged),
    hardware,
    benchmarks: new EditorBenchmarks({ registry, router, daemonUrl: url, token, stateDir }),
    log: logger,
    logLevel,
    token,
    daemon: { version: VERSION, pid: process.pid },
  });
  rediscovery.start();
  const door = lsp;
  const stateFile = writeStateFile(stateDir, { pid: process.pid, port, token, version: VERSION, url, startedAt: new Date().toISOString(), lsp: door.endpoint });
  logger.info({ url, lsp: door.endpoint, providers: registry.all().map((p) => p.settings.name) }, 'switchyard daemon serving');

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      removeStateFile(stateDir, process.pid);
      await rediscovery.close();
      await door.close();
      await completions.close();
      await app.close();
      await cacheAndBudgets.close();
      logger.flush(); // the request lines share its stream
    })();
    return closing;
  };
  return { url, port, token, stateFile, config, app, lsp: door, logger, close };
}

/**
 * Listens on loopback. When the port comes from the config (or the default) and is taken,
 * takes a free one, which the state file records; a port given on the command line is kept or fails.
 */
async function listen(app: FastifyInstance, host: string, port: number, fallBackToFreePort: boolean): Promise<number> {
  const bindHost = host === 'localhost' ? '127.0.0.1' : host;
  try {
    await app.listen({ host: bindHost, port });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !fallBackToFreePort) throw error;
    app.log.warn({ port }, 'the default port is taken; using a free one (see the state file)');
    await app.listen({ host: bindHost, port: 0 });
  }
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('the server has no TCP address');
  return address.port;
}
