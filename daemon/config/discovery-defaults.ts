import type { ProviderSettings } from '../core/provider';

/** Settings shared by every provider the daemon adds by itself. */
function base(name: string, kind: ProviderSettings['kind'], baseUrl: string, local: boolean): ProviderSettings {
  return {
    name,
    kind,
    baseUrl,
    models: [],
    local,
    prices: {},
    maxConnections: local ? 256 : 64,
    connectTimeoutMs: local ? 1_000 : 5_000,
    headersTimeoutMs: local ? 300_000 : 120_000,
    bodyTimeoutMs: 120_000,
    headers: {},
  };
}

/**
 * The local model servers Switchyard looks for when no config names them: the standard ports,
 * or the `[discovery] servers` the config lists instead.
 */
export function localDiscoveryCandidates(servers?: { name: string; kind: ProviderSettings['kind']; base_url: string }[]): ProviderSettings[] {
  if (servers !== undefined) return servers.map((server) => base(server.name, server.kind, server.base_url.replace(/\/+$/, ''), true));
  return [
    base('ollama', 'ollama', 'http://127.0.0.1:11434', true),
    base('llamacpp', 'llamacpp', 'http://127.0.0.1:8080', true),
    base('lmstudio', 'openai', 'http://127.0.0.1:1234/v1', true),
    base('vllm', 'openai', 'http://127.0.0.1:8000/v1', true),
  ];
}

/** OpenAI and Anthropic, enabled when their usual API key variables are set. */
export function cloudProvidersFromEnv(env: NodeJS.ProcessEnv): ProviderSettings[] {
  const providers: ProviderSettings[] = [];
  if (env.OPENAI_API_KEY) {
    providers.push({
      ...base('openai', 'openai', env.OPENAI_BASE_URL?.replace(/\/+$/, '') ?? 'https://api.openai.com/v1', false),
      apiKey: env.OPENAI_API_KEY,
      models: ['gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-4o', 'gpt-4o-mini', 'o4-mini'],
    });
  }
  if (env.ANTHROPIC_API_KEY) {
    providers.push({
      ...base('anthropic', 'anthropic', 'https://api.anthropic.com', false),
      apiKey: env.ANTHROPIC_API_KEY,
      models: ['claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-1'],
    });
  }
  return providers;
}
