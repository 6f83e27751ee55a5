import fp from 'fastify-plugin';
import type { Gateway } from '../gateway/gateway';
import type { ProviderRegistry } from '../providers/provider-registry';
import type { GatewayMetrics } from '../observability/metrics';
import type { Router } from '../routing/router';
import { doorOfUrl } from './door-of-url';

/** The services the routes call. The app owns them: closing the app stops the router's probes and closes the providers' pools. */
export interface GatewayServices {
  gateway: Gateway;
  registry: ProviderRegistry;
  metrics: GatewayMetrics;
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
    app.addHook('onRequest', async () => {
      services.counters.inFlight++;
    });
    app.addHook('onResponse', async (request, reply) => {
      services.counters.inFlight--;
      services.counters.served++;
      services.metrics.requestsTotal.labels(doorOfUrl(request.routeOptions.url ?? request.url), String(reply.statusCode)).inc();
    });
    app.addHook('onClose', async () => {
      await services.router.close();
      await services.registry.close();
    });
  },
  { name: 'switchyard-services' },
);
