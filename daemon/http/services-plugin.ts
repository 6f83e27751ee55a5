import fp from 'fastify-plugin';
import type { Gateway } from '../gateway/gateway';
import type { ProviderRegistry } from '../providers/provider-registry';
import type { GatewayMetrics } from '../observability/metrics';
import type { LogLevelControl } from '../observability/log-level';
import type { Router } from '../routing/router';
import { doorOfUrl } from './door-of-url';
import { endStatus } from './request-log';

/** The services the routes call. The app owns them: closing the app stops the router's probes and closes the providers' pools. */
export interface GatewayServices {
  gateway: Gateway;
  registry: ProviderRegistry;
  metrics: GatewayMetrics;
  /** Where the log level changes at run time (the admin route; the editor's command through the LSP door). */
  logLevel: LogLevelControl;
  /** Routes, health and breakers. */
  router: Router;
  aliases: Record<string, string>;
  version: string;
  /** Counters for `/v1/switchyard/status`. */
  counters: { inFlight: number; served: number };
}

declare module 'fastify' {
  interface FastifyInstance {
    switchyard: GatewayServices;
  }
}

export const servicesPlugin = fp<{ services: GatewayServices }>(
  async (app, { services }) => {
    app.decorate('switchyard', services);
    // Callback hooks, not async ones: no promise per request.
    app.addHook('onRequest', (request, reply, done) => {
      services.counters.inFlight++;
      // Counted out when the response closes, not in `onResponse`: Fastify runs that hook only
      // for a response that finished, and a client that leaves mid-stream would otherwise stay
      // in flight for good, and the daemon would never go idle. Such a request is counted in
      // the requests metric here too: with the status sent, or 499 if it left before any.
      const response = reply.raw;
      response.once('close', () => {
        services.counters.inFlight--;
        if (!response.writableFinished) services.metrics.countRequest(doorOfUrl(request.routeOptions.url ?? request.url), endStatus(reply));
      });
      done();
    });
    app.addHook('onResponse', (request, reply, done) => {
      services.counters.served++;
      services.metrics.countRequest(doorOfUrl(request.routeOptions.url ?? request.url), reply.statusCode);
      done();
    });
    app.addHook('onClose', async () => {
      await services.router.close();
      await services.registry.close();
    });
  },
  { name: 'switchyard-services' },
);
