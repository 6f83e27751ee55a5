import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { isAbortError } from '../core/errors';
import { errorBodyForUrl, RequestError, toGatewayError } from './error-shapes';
import { installSecurity } from './security';
import { installRequestLog, requestIdOf } from './request-log';
import { lazyChildLogger } from './lazy-request-logger';
import { doorOfUrl } from './door-of-url';
import { servicesPlugin, type GatewayServices } from './services-plugin';
import { openAIRoutes } from './routes/openai';
import { ollamaRoutes } from './routes/ollama';
import { ollamaModelRoutes } from './routes/ollama-models';
import { systemRoutes } from './routes/system';
import { switchyardProvidersRoutes } from './routes/switchyard-providers';
import { cacheAdminRoutes } from './routes/cache-admin';
import { budgetsAdminRoutes } from './routes/budgets-admin';
import { logLevelRoutes } from './routes/log-level-admin';
import type { Logger } from 'pino';
import { hardwareRoutes } from './routes/hardware';
import type { HardwareService } from '../hardware/hardware-service';

export interface AppOptions {
  services: GatewayServices;
  token: string;
  bodyLimitBytes: number;
  ollamaDoorWithoutToken: boolean;
  /** Lets a loopback caller read `/metrics` without the token. Off unless the config turns it on. */
  metricsWithoutToken?: boolean;
  /** See `early-stream.ts`. */
  streamHeadersAfterMs: number;
  /** See `OpenAIRoutesOptions`. */
  streamHeadersOnAccept: boolean;
  logger: FastifyBaseLogger;
  /** The logger of the one line per request (see `request-log.ts`). */
  requestLines: Logger;
  /** Hardware detection and model recommendations; the app owns it and closes it. */
  hardware?: HardwareService;
}

/**
 * Builds the HTTP front door: security hooks, the OpenAI and Ollama doors, system routes,
 * one error handler and one 404 handler. No CORS headers are ever sent.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger,
    // Fastify's own two lines per request are off: `request-log.ts` writes one line, with the gateway's facts.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: requestIdOf,
    childLoggerFactory: lazyChildLogger,
    bodyLimit: options.bodyLimitBytes,
    // Idle keep-alive sockets are closed on shutdown; requests in flight finish first.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // `verbose` puts the offending value in a validation error, so the message can name it.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false, verbose: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Draining: requests in flight finish, and each keep-alive connection is closed as soon as
  // its response is done, instead of lingering for the keep-alive timeout.
  app.addHook('preClose', async () => {
    const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
    sweep.unref();
    app.server.once('close', () => clearInterval(sweep));
  });

  // Fastify's server logger is a child of ours, made now: it must follow level changes too.
  options.services.logLevel.follow(app.log as unknown as Logger);
  installRequestLog(app, options.requestLines);
  installSecurity(app, { token: options.token, ollamaDoorWithoutToken: options.ollamaDoorWithoutToken, metricsWithoutToken: options.metricsWithoutToken });
  await app.register(servicesPlugin, { services: options.services });

  app.setErrorHandler(async (error, request, reply) => {
    if (isAbortError(error) && reply.raw.destroyed) return;
    const gatewayError = toGatewayError(error);
    options.services.metrics.requestErrors.labels(doorOfUrl(request.url), gatewayError.code).inc();
    if (gatewayError.code === 'internal') request.log.error({ err: error, url: request.url }, 'request failed');
    else request.log.debug({ code: gatewayError.code, url: request.url }, gatewayError.message);
    if (gatewayError.retryAfterMs !== undefined) reply.header('retry-after', String(Math.ceil(gatewayError.retryAfterMs / 1000)));
    reply.status(gatewayError.status);
    return errorBodyForUrl(request.url, gatewayError);
  });

  app.setNotFoundHandler(async (request, reply) => {
    const error = new RequestError('unknown_url', `No route ${request.method} ${request.url.split('?')[0]}.`, { status: 404 });
    options.services.metrics.requestErrors.labels(doorOfUrl(request.url), error.code).inc();
    reply.status(404);
    return errorBodyForUrl(request.url, error);
  });

  await app.register(systemRoutes);
  await app.register(openAIRoutes, { streamHeadersAfterMs: options.streamHeadersAfterMs, streamHeadersOnAccept: options.streamHeadersOnAccept });
  await app.register(ollamaRoutes, { streamHeadersAfterMs: options.streamHeadersAfterMs });
  await app.register(ollamaModelRoutes);
  await app.register(switchyardProvidersRoutes);
  await app.register(cacheAdminRoutes);
  await app.register(budgetsAdminRoutes);
  await app.register(logLevelRoutes);
  if (options.hardware) await app.register(hardwareRoutes, { hardware: options.hardware });
  return app;
}
