import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LogLevelState, SetLogLevel } from '../../../shared/protocol/log-level';

/** `GET /v1/switchyard/log-level`, and `PUT` with `{ "level": "debug" }` to change it while the daemon runs. */
export const logLevelRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { logLevel } = app.switchyard;
  app.get('/v1/switchyard/log-level', { schema: { response: { 200: LogLevelState } } }, async () => ({ level: logLevel.level }));
  app.put('/v1/switchyard/log-level', { schema: { body: SetLogLevel, response: { 200: LogLevelState } } }, async (request) => logLevel.set(request.body.level));
};
