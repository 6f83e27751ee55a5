/**
 * The route completions use when the user named none (`switchyard.completion.route` empty):
 * 1. a route or alias called `completion`, when the config has one: the user's own choice;
 * 2. else the best model the providers list, as `provider/model`: local before cloud (cloud
 *    only when the editor allows it), fill-in-the-middle capable before chat-only, a known
 *    FIM family before an unknown one (Qwen2.5-Coder, DeepSeek-Coder, StarCoder2, CodeLlama,
 *    the order of their published FIM results), a small model (1-8B parameters, quick enough
 *    for ghost text) before a large or unsized one, then configuration order. A provider
 *    known to be down is passed over.
 * Undefined when nothing can serve: the editor shows that no model is available.
 */
import { fimFamilyOf, type FimFamily } from './fim-templates';

export const COMPLETION_ROUTE = 'completion';

export interface ListedModel {
  provider: string;
  id: string;
  local: boolean;
  /** The listing's (or the name's) word on fill-in-the-middle. */
  fim?: boolean;
  down: boolean;
}

export interface RouteCatalog {
  routeNames: readonly string[];
  aliases: Readonly<Record<string, string>>;
  /** In configuration order. */
  models: readonly ListedModel[];
}

const FAMILY_RANK: Record<FimFamily, number> = { qwen: 0, deepseek: 1, starcoder: 2, codellama: 3 };

export function defaultCompletionRoute(catalog: RouteCatalog, allowCloud: boolean): string | undefined {
  if (catalog.routeNames.includes(COMPLETION_ROUTE) || catalog.aliases[COMPLETION_ROUTE] !== undefined) return COMPLETION_ROUTE;
  let best: { model: ListedModel; score: number[] } | undefined;
  for (const model of catalog.models) {
    if (model.down || (!model.local && !allowCloud)) continue;
    const score = scoreOf(model);
    if (best === undefined || lexicallyLess(score, best.score)) best = { model, score };
  }
  return best === undefined ? undefined : `${best.model.provider}/${best.model.id}`;
}

/** Lower is better, compared element by element. */
function scoreOf(model: ListedModel): number[] {
  const family = fimFamilyOf(model.id);
  const fim = family !== undefined || model.fim === true;
  const size = parameterBillions(model.id);
  const sizeRank = size === undefined ? 1 : size >= 1 && size <= 8 ? 0 : 2;
  return [model.local ? 0 : 1, fim ? 0 : 1, family !== undefined ? FAMILY_RANK[family] : 4, sizeRank, size ?? 0];
}

function lexicallyLess(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

/** `qwen2.5-coder:1.5b`, `Qwen2.5-Coder-7B-Instruct`, `starcoder2-3b-q8_0.gguf` → 1.5, 7, 3. */
export function parameterBillions(model: string): number | undefined {
  const match = /(?:^|[^a-z0-9.])(\d+(?:\.\d+)?)b(?![a-z])/i.exec(model);
  return match === null ? undefined : Number(match[1]);
}
