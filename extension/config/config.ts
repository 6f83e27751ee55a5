/**
 * The extension's settings as typed getters over VS Code's configuration, as rust-analyzer's
 * client does it: one place knows every key, its default, its bounds and whether changing it
 * needs the daemon restarted (the daemon reads those only when it starts).
 */
import type { CompletionSettings } from '../../shared/lsp/protocol';

/** What Config reads; `vscode.WorkspaceConfiguration` for the `switchyard` section is one. */
export interface SettingsReader {
  get<T>(key: string): T | undefined;
}

export const SECTION = 'switchyard';

/** Keys (under `switchyard.`) the running daemon cannot pick up: a change offers a restart. */
export const RESTART_KEYS = ['daemon.configPath', 'daemon.stateDir', 'daemon.idleTimeoutMinutes', 'daemon.nodePath'] as const;

/** Keys sent to the daemon with `workspace/didChangeConfiguration` as they change. */
export const COMPLETION_KEYS = [
  'completion.enabled',
  'completion.disabledLanguages',
  'completion.debounceMinMs',
  'completion.debounceMaxMs',
  'completion.route',
  'allowCloud',
] as const;

export const DEBOUNCE_LIMIT_MS = 2_000;
export const DEFAULT_DEBOUNCE_MIN_MS = 10;
export const DEFAULT_DEBOUNCE_MAX_MS = 150;
export const DEFAULT_IDLE_TIMEOUT_MINUTES = 30;

export class Config {
  constructor(private readonly settings: SettingsReader) {}

  get completionEnabled(): boolean {
    return this.bool('completion.enabled', true);
  }

  get disabledLanguages(): string[] {
    const value = this.settings.get<unknown>('completion.disabledLanguages');
    if (!Array.isArray(value)) return [];
    return [...new Set(value.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim()))];
  }

  /** The debounce bounds, each within 0..2000 ms and ordered (a min above the max is swapped, not dropped). */
  get debounceBoundsMs(): { min: number; max: number } {
    const min = this.number('completion.debounceMinMs', DEFAULT_DEBOUNCE_MIN_MS, 0, DEBOUNCE_LIMIT_MS);
    const max = this.number('completion.debounceMaxMs', DEFAULT_DEBOUNCE_MAX_MS, 0, DEBOUNCE_LIMIT_MS);
    return min <= max ? { min, max } : { min: max, max: min };
  }

  get completionRoute(): string {
    return this.text('completion.route');
  }

  get allowCloud(): boolean {
    return this.bool('allowCloud', false);
  }

  /** Empty: the daemon's own rule (`$SWITCHYARD_CONFIG`, else none). */
  get daemonConfigPath(): string {
    return this.text('daemon.configPath');
  }

  /** Empty: the daemon's default state dir. */
  get daemonStateDir(): string {
    return this.text('daemon.stateDir');
  }

  /** 0 keeps the daemon running with no client. */
  get daemonIdleTimeoutMinutes(): number {
    return this.number('daemon.idleTimeoutMinutes', DEFAULT_IDLE_TIMEOUT_MINUTES, 0, 7 * 24 * 60);
  }

  /** Empty: VS Code's own runtime with ELECTRON_RUN_AS_NODE. */
  get daemonNodePath(): string {
    return this.text('daemon.nodePath');
  }

  completionEnabledFor(languageId: string): boolean {
    return this.completionEnabled && !this.disabledLanguages.includes(languageId);
  }

  /** What `initializationOptions` and `workspace/didChangeConfiguration` carry. */
  completionSettings(): CompletionSettings {
    const { min, max } = this.debounceBoundsMs;
    return {
      enabled: this.completionEnabled,
      disabledLanguages: this.disabledLanguages,
      debounceMinMs: min,
      debounceMaxMs: max,
      route: this.completionRoute,
      allowCloud: this.allowCloud,
    };
  }

  private bool(key: string, fallback: boolean): boolean {
    const value = this.settings.get<unknown>(key);
    return typeof value === 'boolean' ? value : fallback;
  }

  private text(key: string): string {
    const value = this.settings.get<unknown>(key);
    return typeof value === 'string' ? value.trim() : '';
  }

  private number(key: string, fallback: number, min: number, max: number): number {
    const value = this.settings.get<unknown>(key);
    if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
    return Math.min(max, Math.max(min, Math.round(value)));
  }
}

/** Which of the given full keys (`switchyard.x`) a configuration change touched. */
export function changedKeys(keys: readonly string[], affects: (fullKey: string) => boolean): string[] {
  return keys.filter((key) => affects(`${SECTION}.${key}`));
}
