/**
 * The one factory the gateway core calls: an adapter for a configured provider, chosen by its
 * wire protocol. Each adapter owns its connection pool; `close()` it when the provider goes away.
 */
import { AnthropicProvider } from './anthropic-provider';
import { LlamaCppProvider } from './llamacpp-provider';
import { OllamaProvider } from './ollama-provider';
import { OpenAIProvider } from './openai-provider';
import type { Provider, ProviderSettings } from '../core/provider';

export function createProvider(settings: ProviderSettings): Provider {
  switch (settings.kind) {
    case 'openai':
      return new OpenAIProvider(settings);
    case 'ollama':
      return new OllamaProvider(settings);
    case 'anthropic':
      return new AnthropicProvider(settings);
    case 'llamacpp':
      return new LlamaCppProvider(settings);
    default: {
      const kind: never = settings.kind;
      throw new TypeError(`provider "${(settings as ProviderSettings).name}": unknown kind "${String(kind)}"`);
    }
  }
}
