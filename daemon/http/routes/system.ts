import type { FastifyPluginAsync } from 'fastify';
import type { DaemonStatus } from '../../../shared/admin';

/** `/health` (no token), `/metrics` (Prometheus) and `/v1/switchyard/status` (process figures). */
export const systemRoutes: FastifyPluginAsync = async (app) => {
  const startedAt = Date.now();

  app.get('/health', async () => ({ status: 'ok', version: app.switchyard.version }));

  app.get('/metrics', async (_request, reply) => {
    const { registry } = app.switchyard.metrics;
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });

  app.get('/v1/switchyard/status', async (): Promise<DaemonStatus> => {
    const memory = process.memoryUsage();
    const cpu = process.cpuUsage();
    const { counters, version } = app.switchyard;
    return {
      version,
      pid: process.pid,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      cpuUserMicros: cpu.user,
      cpuSystemMicros: cpu.system,
      // This request itself is in flight; report the others.
      inFlightRequests: Math.max(0, counters.inFlight - 1),
      requestsServed: counters.served,
    };
  });
};
