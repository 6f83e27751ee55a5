import type { GatewayConfig } from '../config/load-config';
import { parseRoutingConfig } from '../routing/routes-schema';
import type { ProviderRegistry } from '../providers/provider-registry';
import { Router, type RoutingLogger } from '../routing/router';

/**
 * Builds the daemon's router from the config's `[routes.*]` and `[routing]` sections, checked
 * against the configured providers (a ConfigError naming the key stops startup), and starts
 * its health probes. The caller owns it and closes it with the app.
 */
export function createRouter(config: GatewayConfig, registry: ProviderRegistry, log: RoutingLogger): Router {
  const file = config.file as { routes?: unknown; routing?: unknown };
  const known = [...config.providers, ...config.discoveryCandidates];
  const { config: routing, warnings } = parseRoutingConfig(file.routes, file.routing, known, config.sourcePath);
  for (const warning of warnings) log.warn({ key: warning.split(':')[0] }, warning);
  const router = new Router({ registry, config: routing, aliases: config.aliases, log });
  router.start();
  return router;
}
