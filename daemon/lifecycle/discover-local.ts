import type { Provider, ProviderSettings } from '../core/provider';

/**
 * Probes the standard ports of local model servers and returns the settings of those that
 * answer. Each probe is short: an absent server refuses the connection at once.
 */
export async function discoverLocalProviders(
  candidates: ProviderSettings[],
  create: (settings: ProviderSettings) => Provider,
  timeoutMs = 800,
): Promise<ProviderSettings[]> {
  const found = await Promise.all(
    candidates.map(async (settings) => {
      const provider = create(settings);
      try {
        await provider.probe(AbortSignal.timeout(timeoutMs));
        return settings;
      } catch {
        return undefined;
      } finally {
        await provider.close();
      }
    }),
  );
  return found.filter((settings): settings is ProviderSettings => settings !== undefined);
}
