import type { FastifyPluginAsync } from 'fastify';

/** `GET /v1/switchyard/budgets`: spent, reserved, limit and reset time of each budget, and where the ledger lives. */
export const budgetsAdminRoutes: FastifyPluginAsync = async (app) => {
  app.get('/v1/switchyard/budgets', async () => {
    const budgets = app.switchyard.gateway.budgets;
    return budgets === undefined ? { ledger: 'none', budgets: [] } : budgets.report();
  });
};
