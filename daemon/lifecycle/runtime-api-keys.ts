import { cloudProvidersFromEnv } from '../config/discovery-defaults';
import { GatewayError } from '../core/errors';
import type { ProviderRegistry } from '../providers/provider-registry';

/** The variable each built-in cloud provider reads its key from, for `cloudProvidersFromEnv`. */
const BUILT_IN_KEY_VARIABLES: Record<string, string> = { openai: 'OPENAI_API_KEY', anthropic: 'ANTHROPIC_API_KEY' };

/**
 * API keys handed over while the daemon runs (the editor's SecretStorage), held in memory only:
 * a configured provider uses the key from its next request on; `openai` or `anthropic`, when not
 * configured, is added with the key, as if its environment variable had been set.
 */
export class RuntimeApiKeys {
  constructor(
    private readonly registry: ProviderRegistry,
    private readonly onProvidersChanged: () => void,
  ) {}

  async set(providerName: string, apiKey: string): Promise<void> {
    const key = apiKey.trim() === '' ? undefined : apiKey.trim();
    const existing = this.registry.get(providerName);
    if (existing !== undefined) {
      if (existing.useApiKey === undefined) throw new GatewayError('unsupported', `Provider "${providerName}" does not take an API key.`);
      existing.useApiKey(key);
    } else {
      const variable = BUILT_IN_KEY_VARIABLES[providerName];
      if (variable === undefined) {
        throw new GatewayError('unknownModel', `No provider named "${providerName}"; configured: ${this.registry.all().map((p) => p.settings.name).join(', ') || 'none'}.`);
      }
      if (key === undefined) return;
      for (const settings of cloudProvidersFromEnv({ [variable]: key })) this.registry.add(settings);
      await this.registry.refreshModels(AbortSignal.timeout(3_000));
    }
    this.onProvidersChanged();
  }
}
