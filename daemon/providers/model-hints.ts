/**
 * What a model listing does not say but routing wants to know, guessed from the model's name.
 * Listing routes (`/v1/models`, `/api/tags`) do not report fill-in-the-middle support, so a
 * model counts as FIM-capable when its name belongs to a family trained with FIM tokens.
 * The configuration can always say otherwise; this is only the default.
 */

const FIM_FAMILIES = [
  'coder', // qwen2.5-coder, deepseek-coder, yi-coder, opencoder
  'codellama',
  'code-llama',
  'codegemma',
  'starcoder',
  'codestral',
  'stable-code',
  'codeqwen',
  'granite-code',
  'granite3-code',
  'codeshell',
  'refact',
  'santacoder',
  'fim',
];

export function guessFim(modelId: string): boolean {
  const name = modelId.toLowerCase();
  for (const family of FIM_FAMILIES) {
    if (name.includes(family)) return true;
  }
  return false;
}

/** A context length from the fields OpenAI-compatible servers add to their model objects, if any. */
export function contextLengthOf(model: Record<string, unknown>): number | undefined {
  // vLLM: max_model_len; OpenRouter: context_length; llama.cpp: meta.n_ctx_train (or n_ctx).
  const direct = model.max_model_len ?? model.context_length;
  if (typeof direct === 'number' && direct > 0) return direct;
  const meta = model.meta;
  if (meta !== null && typeof meta === 'object') {
    const fromMeta = (meta as Record<string, unknown>).n_ctx ?? (meta as Record<string, unknown>).n_ctx_train;
    if (typeof fromMeta === 'number' && fromMeta > 0) return fromMeta;
  }
  return undefined;
}
