import { createHash } from 'node:crypto';
import type { ModelInfo } from '../../../shared/gateway';
import type { OllamaModelDetails, OllamaShowResponse, OllamaTag } from '../../../shared/protocol/ollama';

/**
 * Ollama's descriptions of models (`/api/tags`, `/api/show`, `/api/ps`) for the models the
 * gateway lists. A model an upstream Ollama listed keeps what that Ollama said (size, digest,
 * date, details). Any other model (a cloud model, a llama.cpp server's, a route or an alias)
 * has no files here: its size is 0, its details are empty strings, its date is when the daemon
 * started, and its digest is the SHA-256 of its name, so it is stable and never mistaken for
 * the digest of real weights.
 */

const EMPTY_DETAILS: OllamaModelDetails = { parent_model: '', format: '', family: '', families: null, parameter_size: '', quantization_level: '' };

function detailsOf(info: ModelInfo | undefined): OllamaModelDetails {
  const details = info?.facts?.details;
  if (details === undefined) return EMPTY_DETAILS;
  return {
    parent_model: details.parentModel,
    format: details.format,
    family: details.family,
    families: details.families,
    parameter_size: details.parameterSize,
    quantization_level: details.quantizationLevel,
  };
}

export function nameDigest(name: string): string {
  return createHash('sha256').update(`switchyard:${name}`).digest('hex');
}

/** One `/api/tags` entry for the name a client uses; `listedAt` stands in for a date no provider gave. */
export function tagOf(name: string, info: ModelInfo | undefined, listedAt: string): OllamaTag {
  const facts = info?.facts;
  return {
    name,
    model: name,
    modified_at: facts?.modifiedAt ?? listedAt,
    size: facts?.sizeBytes ?? 0,
    digest: facts?.digest ?? nameDigest(name),
    details: detailsOf(info),
  };
}

/**
 * `/api/show` for a model no Ollama describes: what the gateway knows of it. `capabilities`
 * names only what is known (`completion`, and `insert` for a fill-in-the-middle model); tools
 * and vision depend on the model behind, which does not say, so they are left out.
 */
export function showOf(info: ModelInfo | undefined, listedAt: string): OllamaShowResponse {
  const details = detailsOf(info);
  const architecture = details.family || 'unknown';
  const modelInfo: Record<string, unknown> = { 'general.architecture': architecture };
  if (info?.contextLength !== undefined) modelInfo[`${architecture}.context_length`] = info.contextLength;
  return {
    details,
    model_info: modelInfo,
    capabilities: info?.fim === true ? ['completion', 'insert'] : ['completion'],
    modified_at: info?.facts?.modifiedAt ?? listedAt,
  };
}
