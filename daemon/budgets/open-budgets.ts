import { join } from 'node:path';
import type { Registry } from 'prom-client';
import type { RedisClientType } from '@keyv/redis';
import { registerBudgetMetrics } from './budget-metrics';
import { BudgetService } from './budget-service';
import { EmbeddedLedger } from './embedded-ledger';
import type { BudgetDefinition } from './ledger';
import { RedisLedger } from './redis-ledger';

export interface OpenBudgetsOptions {
  definitions: BudgetDefinition[];
  stateDir: string;
  /** The team connection's client: budgets then live in Redis, shared by every daemon. */
  redis?: RedisClientType;
  keyPrefix: string;
  registry: Registry;
  warn: (message: string) => void;
}

/** The budget service over the embedded journal (`<state dir>/budget-ledger.journal`) or Redis. Undefined when no budget is configured. */
export function openBudgets(options: OpenBudgetsOptions): BudgetService | undefined {
  if (options.definitions.length === 0) return undefined;
  const ledger =
    options.redis !== undefined
      ? new RedisLedger({ client: options.redis, definitions: options.definitions, keyPrefix: options.keyPrefix, warn: options.warn })
      : new EmbeddedLedger({ definitions: options.definitions, journalPath: join(options.stateDir, 'budget-ledger.journal'), warn: options.warn });
  const service = new BudgetService({ definitions: options.definitions, ledger, warn: options.warn });
  const { rejected } = registerBudgetMetrics(options.registry, service);
  service.onRejected = (budget) => rejected.labels(budget).inc();
  return service;
}
