import { readFileSync } from 'node:fs';
import { parse as parseToml, TomlError } from 'smol-toml';
import type { ProviderSettings } from '../core/provider';
import { isLoopbackUrl } from '../core/loopback';
import { ConfigError } from '../core/config-error';
import { ConfigFile, DEFAULT_PORT, type ProviderEntry } from './schema';
import { cloudProvidersFromEnv, localDiscoveryCandidates } from './discovery-defaults';
import { schemaProblems } from '../core/config-validate';
import { resolveHardwareSettings, type HardwareSection } from '../hardware/hardware-schema';

/** How long a streamed request waits for its first token before its headers go out anyway. */
export const DEFAULT_STREAM_HEADERS_AFTER_MS = 2_000;

export interface ServerSettings {
  port: number;
  host: string;
  bodyLimitBytes: number;
  ollamaDoorWithoutToken: boolean;
  metricsWithoutToken: boolean;
  streamHeadersAfterMs: number;
  streamHeadersOnAccept: boolean;
  idleExitMinutes: number;
}

/** The configuration after validation, with defaults applied and keys resolved from the environment. */
export interface GatewayConfig {
  server: ServerSettings;
  logLevel: string;
  /** Providers from the file and, when enabled, cloud providers from API keys in the environment. */
  providers: ProviderSettings[];
  /** Local servers to look for on their standard ports; added when they answer (at startup, then while no model is available). */
  discoveryCandidates: ProviderSettings[];
  /** How often to look for them again while no model is available, ms (0: never). */
  rediscoveryIntervalMs: number;
  aliases: Record<string, string>;
  /** `[hardware]`: overrides for detected figures. */
  hardware: HardwareSection;
  /** The validated file, for sections whose owners parse them (routes, cache, budgets). */
  file: ConfigFile;
  sourcePath?: string;
  /** What works but deserves a line in the log (a provider whose key variable is unset). */
  warnings: string[];
}

export function loadConfigFile(path: string | undefined, env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  if (path === undefined) return resolveConfig({}, env);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([`cannot read the file: ${(error as Error).message}`], path);
  }
  return parseConfigText(text, env, path);
}

export function parseConfigText(text: string, env: NodeJS.ProcessEnv = process.env, sourcePath?: string): GatewayConfig {
  let parsed: unknown;
  try {
    parsed = parseToml(text);
  } catch (error) {
    const where = error instanceof TomlError ? ` (line ${error.line}, column ${error.column})` : '';
    throw new ConfigError([`not valid TOML${where}: ${(error as Error).message.split('\n')[0]}`], sourcePath);
  }
  const problems = schemaProblems(ConfigFile, parsed);
  if (problems.length > 0) throw new ConfigError(problems, sourcePath);
  return resolveConfig(parsed as ConfigFile, env, sourcePath);
}

export function resolveConfig(file: ConfigFile, env: NodeJS.ProcessEnv, sourcePath?: string): GatewayConfig {
  const problems: string[] = [];
  const warnings: string[] = [];
  const providers = (file.providers ?? []).map((entry, index) => toProviderSettings(entry, `providers[${index}]`, env, warnings));
  const names = new Set<string>();
  providers.forEach((provider, index) => {
    if (names.has(provider.name)) problems.push(`providers[${index}].name: got "${provider.name}", expected a name not used by another provider`);
    names.add(provider.name);
  });
  for (const [alias, target] of Object.entries(file.aliases ?? {})) {
    const slash = target.indexOf('/');
    if (slash > 0 && !names.has(target.slice(0, slash)) && (file.discovery?.local ?? true) === false) {
      problems.push(`aliases.${alias}: got "${target}", expected a model or "provider/model" with a configured provider`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems, sourcePath);
  const hardware = resolveHardwareSettings(file.hardware, sourcePath);

  if (file.discovery?.cloud_from_env ?? true) {
    for (const provider of cloudProvidersFromEnv(env)) if (!names.has(provider.name)) providers.push(provider);
  }
  const discoveryCandidates = (file.discovery?.local ?? true)
    ? localDiscoveryCandidates(file.discovery?.servers).filter((candidate) => !names.has(candidate.name) && !providers.some((p) => p.baseUrl === candidate.baseUrl))
    : [];

  return {
    server: {
      port: file.server?.port ?? DEFAULT_PORT,
      host: file.server?.host ?? '127.0.0.1',
      bodyLimitBytes: file.server?.body_limit_bytes ?? 4 * 1024 * 1024,
      ollamaDoorWithoutToken: file.server?.ollama_door_without_token ?? false,
      metricsWithoutToken: file.server?.metrics_without_token ?? false,
      streamHeadersAfterMs: file.server?.stream_headers_after_ms ?? DEFAULT_STREAM_HEADERS_AFTER_MS,
      streamHeadersOnAccept: file.server?.stream_headers_on_accept ?? true,
      idleExitMinutes: file.server?.idle_exit_minutes ?? 0,
    },
    logLevel: file.log?.level ?? 'info',
    providers,
    discoveryCandidates,
    rediscoveryIntervalMs: (file.discovery?.reprobe_seconds ?? 10) * 1000,
    aliases: file.aliases ?? {},
    hardware,
    file,
    sourcePath,
    warnings,
  };
}

function toProviderSettings(entry: ProviderEntry, key: string, env: NodeJS.ProcessEnv, warnings: string[]): ProviderSettings {
  let apiKey: string | undefined;
  if (entry.api_key_env !== undefined) {
    apiKey = env[entry.api_key_env];
    // A daemon the editor starts often lacks the shell's variables: the provider waits for a key
    // from the editor (held in memory) instead of the whole daemon refusing to start.
    if (!apiKey) warnings.push(`${key}.api_key_env: the environment variable ${entry.api_key_env} is not set; provider "${entry.name}" has no key until one is set (the editor's "Set API Key…")`);
  }
  const local = entry.local ?? isLoopbackUrl(entry.base_url);
  return {
    name: entry.name,
    kind: entry.kind,
    baseUrl: entry.base_url.replace(/\/+$/, ''),
    apiKey,
    models: entry.models ?? [],
    local,
    prices: entry.prices ?? {},
    maxConnections: entry.max_connections ?? (local ? 256 : 64),
    capacity: entry.capacity,
    connectTimeoutMs: entry.connect_timeout_ms ?? 5_000,
    headersTimeoutMs: entry.headers_timeout_ms ?? (local ? 300_000 : 120_000),
    bodyTimeoutMs: entry.body_timeout_ms ?? 120_000,
    headers: entry.headers ?? {},
  };
}
