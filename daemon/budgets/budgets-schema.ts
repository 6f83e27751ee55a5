/**
 * The `[[budgets]]` entries of the config file (snake_case, as written in TOML):
 *
 *   [[budgets]]
 *   name = "cloud-daily"
 *   scope = "provider"            # "all" | "provider" | "model" | "pool"
 *   providers = ["openai"]        # scope = "provider"
 *   models = ["openai/gpt-4o"]    # scope = "model": "provider/model" or a model name
 *   routes = ["chat"]             # scope = "pool": routes whose requests count
 *   window = "day"                # "day" | "month" (UTC) | "rolling"
 *   hours = 6                     # window = "rolling"
 *   limit_tokens = 2000000        # a token limit, a USD limit, or both
 *   limit_usd = 5.0
 *   action = "block"              # "block" | "fallback-local" | "warn"
 *   fallback_model = "ollama/qwen2.5-coder:7b"   # fallback-local, when the route has no local candidate
 */
import { Type, type Static } from '@sinclair/typebox';
import type { BudgetDefinition, BudgetScope } from './ledger';
import { usdToNano } from './prices';
import type { BudgetWindow } from './windows';
import { ConfigError } from '../core/config-error';
import { schemaProblems } from '../core/config-validate';

const Names = Type.Array(Type.String({ minLength: 1 }), { minItems: 1 });

export const BudgetEntry = Type.Object(
  {
    name: Type.String({ minLength: 1, pattern: '^[A-Za-z0-9_.-]+$' }),
    scope: Type.Union([Type.Literal('all'), Type.Literal('provider'), Type.Literal('model'), Type.Literal('pool')]),
    providers: Type.Optional(Names),
    models: Type.Optional(Names),
    routes: Type.Optional(Names),
    window: Type.Union([Type.Literal('day'), Type.Literal('month'), Type.Literal('rolling')]),
    hours: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 24 * 366 })),
    limit_tokens: Type.Optional(Type.Integer({ minimum: 0 })),
    limit_usd: Type.Optional(Type.Number({ minimum: 0 })),
    action: Type.Optional(Type.Union([Type.Literal('block'), Type.Literal('fallback-local'), Type.Literal('warn')])),
    fallback_model: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);
export type BudgetEntry = Static<typeof BudgetEntry>;

/** Validates `[[budgets]]` and resolves it; throws a ConfigError naming each bad key. */
export function resolveBudgets(value: unknown, sourcePath?: string): BudgetDefinition[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ConfigError([`budgets: got ${typeof value}, expected [[budgets]] entries`], sourcePath);
  const problems: string[] = [];
  const names = new Set<string>();
  const definitions: BudgetDefinition[] = [];
  value.forEach((raw: unknown, index) => {
    const key = `budgets[${index}]`;
    const shapeProblems = schemaProblems(BudgetEntry, raw, key);
    if (shapeProblems.length > 0) {
      problems.push(...shapeProblems);
      return;
    }
    const entry = raw as BudgetEntry;
    const before = problems.length;
    if (names.has(entry.name)) problems.push(`${key}.name: got "${entry.name}", expected a name not used by another budget`);
    names.add(entry.name);
    const listFor = { provider: 'providers', model: 'models', pool: 'routes' } as const;
    if (entry.scope !== 'all' && entry[listFor[entry.scope]] === undefined) {
      problems.push(`${key}.${listFor[entry.scope]}: got nothing, expected a list of names for scope = "${entry.scope}"`);
    }
    for (const list of ['providers', 'models', 'routes'] as const) {
      if (entry[list] !== undefined && (entry.scope === 'all' || listFor[entry.scope] !== list)) {
        problems.push(`${key}.${list}: got ${JSON.stringify(entry[list])}, expected no ${list} with scope = "${entry.scope}"`);
      }
    }
    if (entry.window === 'rolling' && entry.hours === undefined) problems.push(`${key}.hours: got nothing, expected a number of hours for window = "rolling"`);
    if (entry.window !== 'rolling' && entry.hours !== undefined) problems.push(`${key}.hours: got ${entry.hours}, expected no hours with window = "${entry.window}"`);
    if (entry.limit_tokens === undefined && entry.limit_usd === undefined) problems.push(`${key}: got no limit, expected limit_tokens, limit_usd or both`);
    const action = entry.action ?? 'block';
    if (entry.fallback_model !== undefined && action !== 'fallback-local') {
      problems.push(`${key}.fallback_model: got "${entry.fallback_model}", expected it only with action = "fallback-local"`);
    }
    if (problems.length > before) return;

    const scope: BudgetScope =
      entry.scope === 'all'
        ? { kind: 'all' }
        : entry.scope === 'provider'
          ? { kind: 'provider', providers: entry.providers! }
          : entry.scope === 'model'
            ? { kind: 'model', models: entry.models! }
            : { kind: 'pool', routes: entry.routes! };
    const window: BudgetWindow = entry.window === 'rolling' ? { kind: 'rolling', hours: entry.hours! } : { kind: entry.window };
    definitions.push({
      name: entry.name,
      scope,
      window,
      ...(entry.limit_tokens !== undefined ? { limitTokens: entry.limit_tokens } : {}),
      ...(entry.limit_usd !== undefined ? { limitNanoUsd: usdToNano(entry.limit_usd) } : {}),
      action,
      ...(entry.fallback_model !== undefined ? { fallbackModel: entry.fallback_model } : {}),
    });
  });
  if (problems.length > 0) throw new ConfigError(problems, sourcePath);
  return definitions;
}
