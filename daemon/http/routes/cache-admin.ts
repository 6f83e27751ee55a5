import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';

const InvalidateQuery = Type.Object({ model: Type.Optional(Type.String({ minLength: 1 })) }, { additionalProperties: false });

/**
 * `GET /v1/switchyard/cache`: size, bounds and which store serves (embedded, redis, or
 * degraded while Redis is down). `DELETE /v1/switchyard/cache[?model=M]`: invalidates
 * everything, or what `M` (a model, `provider/model` or route) produced.
 */
export const cacheAdminRoutes: FastifyPluginAsync = async (app) => {
  app.get('/v1/switchyard/cache', async () => {
    const cache = app.switchyard.gateway.cache;
    return cache === undefined ? { enabled: false } : cache.status();
  });

  app.delete<{ Querystring: { model?: string } }>('/v1/switchyard/cache', { schema: { querystring: InvalidateQuery } }, async (request) => {
    const cache = app.switchyard.gateway.cache;
    if (cache === undefined) return { enabled: false, deleted: 0 };
    const model = request.query.model;
    return { deleted: await cache.invalidate(model), ...(model !== undefined ? { model } : {}) };
  });
};
