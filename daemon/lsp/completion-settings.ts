import type { CompletionSettings } from '../../shared/lsp/protocol';

/** Until the editor says otherwise (its `initializationOptions`). */
export const DEFAULT_COMPLETION_SETTINGS: CompletionSettings = {
  enabled: true,
  disabledLanguages: [],
  debounceMinMs: 0,
  debounceMaxMs: 150,
  route: '',
  allowCloud: false,
};

/** The settings with what the editor sent applied; fields that are missing or of the wrong type keep their value. */
export function mergeCompletionSettings(current: CompletionSettings, sent: unknown): CompletionSettings {
  if (sent === null || typeof sent !== 'object') return current;
  const given = sent as Partial<Record<keyof CompletionSettings, unknown>>;
  const merged = { ...current };
  if (typeof given.enabled === 'boolean') merged.enabled = given.enabled;
  if (Array.isArray(given.disabledLanguages)) merged.disabledLanguages = given.disabledLanguages.filter((l): l is string => typeof l === 'string');
  if (typeof given.debounceMinMs === 'number') merged.debounceMinMs = given.debounceMinMs;
  if (typeof given.debounceMaxMs === 'number') merged.debounceMaxMs = given.debounceMaxMs;
  if (typeof given.route === 'string') merged.route = given.route;
  if (typeof given.allowCloud === 'boolean') merged.allowCloud = given.allowCloud;
  return merged;
}
