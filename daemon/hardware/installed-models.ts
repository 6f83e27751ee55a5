/**
 * Models already in a reachable Ollama (`GET /api/tags`), matched to catalog entries:
 * `qwen2.5-coder:7b` matches itself, `qwen2.5-coder:7b-instruct-q8_0` (a variant of the same
 * size), and `qwen2.5-coder` / `:latest` only when the catalog tag is the library's default.
 */
import { request } from 'undici';

export async function listOllamaModels(baseUrl: string, signal: AbortSignal): Promise<{ reachable: boolean; installed: string[] }> {
  try {
    const response = await request(`${baseUrl.replace(/\/+$/, '')}/api/tags`, { signal: AbortSignal.any([signal, AbortSignal.timeout(1_500)]) });
    if (response.statusCode !== 200) {
      await response.body.dump();
      return { reachable: false, installed: [] };
    }
    const body = (await response.body.json()) as { models?: { name?: string; model?: string }[] };
    const names = (body.models ?? []).map((model) => model.name ?? model.model ?? '').filter(Boolean);
    return { reachable: true, installed: names };
  } catch (error) {
    signal.throwIfAborted();
    void error; // Not running, or not Ollama: nothing is installed as far as we can tell.
    return { reachable: false, installed: [] };
  }
}

export function matchInstalled(catalogTag: string, installed: string[]): string | undefined {
  const [family, size] = catalogTag.split(':') as [string, string | undefined];
  return installed.find((name) => {
    const [base, tag = 'latest'] = name.split(':') as [string, string | undefined];
    if (base !== family) return false;
    return tag === size || (size !== undefined && tag.startsWith(`${size}-`));
  });
}
