/**
 * Provider API keys in VS Code's SecretStorage (the OS keychain), sent to the daemon over the
 * LSP connection after every connect and held there in memory only: never in settings, files
 * or logs. The names of the providers that have a key are not secret and sit in global state.
 */
import type * as vscode from 'vscode';

const SECRET_PREFIX = 'switchyard.apiKey.';
const NAMES_KEY = 'switchyard.apiKeyProviders';

export class ApiKeys {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
  ) {}

  providers(): string[] {
    return this.state.get<string[]>(NAMES_KEY, []);
  }

  /** An empty key forgets the provider's key. */
  async set(provider: string, apiKey: string): Promise<void> {
    const names = new Set(this.providers());
    if (apiKey) {
      await this.secrets.store(SECRET_PREFIX + provider, apiKey);
      names.add(provider);
    } else {
      await this.secrets.delete(SECRET_PREFIX + provider);
      names.delete(provider);
    }
    await this.state.update(NAMES_KEY, [...names].sort());
  }

  async all(): Promise<{ provider: string; apiKey: string }[]> {
    const out: { provider: string; apiKey: string }[] = [];
    for (const provider of this.providers()) {
      const apiKey = await this.secrets.get(SECRET_PREFIX + provider);
      if (apiKey) out.push({ provider, apiKey });
    }
    return out;
  }
}
