/**
 * How a completion is put to one candidate, decided per candidate (a route may mix a local
 * llama.cpp server with a cloud chat model, and a fallback moves between them):
 * - `native`: the server fills in the middle itself. Ollama `/api/generate` with `suffix` (the
 *   model's template places the parts), llama.cpp `/infill` with `input_extra`, an
 *   OpenAI-compatible `/v1/completions` with `suffix` for a FIM model of unknown family;
 * - `tokens`: a raw prompt in the model family's FIM tokens on an OpenAI-compatible
 *   `/v1/completions` (vLLM and LM Studio pass it to the model as it is);
 * - `chat`: an instruction to a chat model.
 *
 * The editor's request keeps its neutral form (prefix as `prompt`, `suffix`, snippets as
 * `extraContext`) through routing and the cache, so a cached answer and the typed-ahead layer
 * serve whichever candidate produced them; `adaptForCandidate` rewrites it for the wire only.
 */
import type { GatewayRequest, ProviderKind } from '../../shared/gateway';
import type { Candidate } from '../core/pipeline';
import { guessFim } from '../providers/model-hints';
import { chatFallbackMessages } from './chat-fallback';
import { commentedContext, fimFamilyOf, renderFimPrompt, type FimFamily } from './fim-templates';

const MAX_STOP_SEQUENCES = 4;

export type PromptStyle = { kind: 'native' } | { kind: 'tokens'; family: FimFamily } | { kind: 'chat' };

export interface CandidateFacts {
  providerKind: ProviderKind;
  /** The provider's base URL (api.openai.com's completions endpoint takes no FIM model). */
  baseUrl: string;
  model: string;
}

export function promptStyleFor(facts: CandidateFacts): PromptStyle {
  const family = fimFamilyOf(facts.model);
  switch (facts.providerKind) {
    case 'ollama':
      return family !== undefined || guessFim(facts.model) ? { kind: 'native' } : { kind: 'chat' };
    case 'llamacpp':
      // llama-server builds the FIM prompt from the tokens in its model's metadata, and says so when it has none.
      return { kind: 'native' };
    case 'openai':
      if (family !== undefined) return { kind: 'tokens', family };
      if (guessFim(facts.model) && !facts.baseUrl.startsWith('https://api.openai.com')) return { kind: 'native' };
      return { kind: 'chat' };
    case 'anthropic':
      return { kind: 'chat' };
  }
}

export function candidateFacts(candidate: Candidate): CandidateFacts {
  const settings = candidate.provider.settings;
  return { providerKind: settings.kind, baseUrl: settings.baseUrl, model: candidate.model };
}

/** What the request does not carry but the prompt needs. */
export interface PromptMeta {
  filename: string;
  languageId: string;
  multiline: boolean;
}

/** The request as `style` puts it on the wire. */
export function adaptForStyle(request: GatewayRequest, style: PromptStyle, meta: PromptMeta, providerKind: ProviderKind): GatewayRequest {
  const prefix = request.prompt ?? '';
  const suffix = request.suffix ?? '';
  const snippets = request.extraContext ?? [];
  if (style.kind === 'tokens') {
    const rendered = renderFimPrompt(style.family, { prefix, suffix, snippets, filename: meta.filename, languageId: meta.languageId });
    // OpenAI's API takes at most four stop sequences (and the simulator holds us to it); the
    // family's list is ordered by importance, and servers stop at the end-of-text token anyway.
    const stop = [...(request.params.stop ?? []), ...rendered.stop].slice(0, MAX_STOP_SEQUENCES);
    return { ...request, prompt: rendered.prompt, suffix: undefined, extraContext: undefined, params: { ...request.params, stop } };
  }
  if (style.kind === 'chat') {
    // A chat reply often opens with a fence line: a newline stop would end it before any code.
    const { stop: _lineStops, ...params } = request.params;
    return {
      ...request,
      kind: 'chat',
      messages: chatFallbackMessages({ prefix, suffix, snippets, filename: meta.filename, languageId: meta.languageId, multiline: meta.multiline }),
      prompt: undefined,
      suffix: undefined,
      extraContext: undefined,
      params,
    };
  }
  // Native: llama.cpp takes the snippets as `input_extra`; Ollama has no field for them, so they go before the prefix.
  if (providerKind === 'ollama' && snippets.length > 0) {
    return { ...request, prompt: commentedContext({ snippets, filename: meta.filename, languageId: meta.languageId }) + prefix, extraContext: undefined };
  }
  return request;
}

/** The `RequestContext.adaptRequest` of one editor completion. */
export function completionAdapter(meta: PromptMeta): (request: GatewayRequest, candidate: Candidate) => GatewayRequest {
  return (request, candidate) => {
    const facts = candidateFacts(candidate);
    return adaptForStyle(request, promptStyleFor(facts), meta, facts.providerKind);
  };
}
