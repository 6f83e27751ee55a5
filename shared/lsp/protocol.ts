/**
 * The editor's custom LSP messages, defined once for both ends (the extension's language
 * client and the daemon's LSP door), as vscode-eslint does in its shared folder: each message
 * is a namespace with its `method` and its typed `type`.
 *
 * Standard LSP carries the rest: `textDocument/inlineCompletion` for ghost text, document
 * sync for the context snippets, `$/cancelRequest` for cancellation, `$/progress` for the
 * benchmark's progress, `workspace/didChangeConfiguration` for the completion settings.
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';

/**
 * Where the daemon's LSP door listens; written into the state file beside the HTTP port.
 * On every kind, the first message must be `initialize` with the state file's token in its
 * `initializationOptions` (`SwitchyardInitOptions.token`); anything else closes the connection.
 */
export type LspEndpoint =
  /** A Unix domain socket in the 0700 state dir (Linux, macOS) or a named pipe (Windows). */
  | { kind: 'pipe'; path: string }
  /** Loopback TCP, used where a socket path cannot be (too long for the platform's limit). */
  | { kind: 'tcp'; host: '127.0.0.1'; port: number };

/** `initializationOptions` of the `initialize` request. */
export interface SwitchyardInitOptions {
  /** The extension's version, for the daemon's logs and a version-mismatch warning. */
  clientVersion: string;
  /** The bearer token from the state file, checked before anything else is served. */
  token: string;
  completion: CompletionSettings;
}

/** The completion settings the editor sends at start and on every change. */
export interface CompletionSettings {
  /** Completions on at all (the status bar's pause toggles this). */
  enabled: boolean;
  /** Language ids with completions off (`switchyard.completion.disabledLanguages`). */
  disabledLanguages: string[];
  /** The adaptive debounce stays within these bounds, in ms. */
  debounceMinMs: number;
  debounceMaxMs: number;
  /** A route, alias, `provider/model` or model for completions; empty means the daemon's default. */
  route: string;
  /** Whether completions may go to a cloud provider. */
  allowCloud: boolean;
}

/** One provider + model the user may pick, as the status-bar switcher shows it. */
export interface ModelChoice {
  provider: string;
  model: string;
  /** `provider/model`. */
  key: string;
  local: boolean;
  health: ProviderHealth;
  /** Moving-average time to first token, ms; absent before any sample. */
  ttftMs?: number;
  inFlight: number;
  errorRate: number;
  /** Whether the model can fill in the middle (a `suffix`); absent when unknown. */
  fim?: boolean;
}

export type ProviderHealth = 'up' | 'down' | 'unknown';

/** The active completion route as the status bar shows it. */
export interface ActiveRoute {
  /** The route or alias in force, when one is. */
  route?: string;
  provider: string;
  model: string;
  local: boolean;
}

/** Budget figures for the status bar's tooltip. */
export interface BudgetLine {
  name: string;
  spentUsd: number;
  limitUsd?: number;
  spentTokens: number;
  limitTokens?: number;
  resetsAt: string;
}

/**
 * What the status bar shows. `state`:
 * - `ok`: a provider serves completions;
 * - `no-provider`: nothing reachable yet (an expected first-run state, not an error);
 * - `warning`: serving, but degraded (a breaker open, a budget nearly spent, a store failing);
 * - `error`: the route in force cannot be served;
 * - `paused`: completions are switched off by the user.
 */
export interface EditorStatus {
  state: 'ok' | 'no-provider' | 'warning' | 'error' | 'paused';
  /** One line saying why, for the tooltip (e.g. "no model server found on the standard ports"). */
  message?: string;
  active?: ActiveRoute;
  lastCompletion?: { latencyMs: number; cached: boolean; at: string };
  budgets: BudgetLine[];
  daemon: { version: string; pid: number };
}

/** Client → daemon: the status now (the daemon then pushes changes with `StatusChanged`). */
export namespace GetStatusRequest {
  export const method = 'switchyard/status' as const;
  export const type = new RequestType0<EditorStatus, void>(method);
}

/** Daemon → client: the status changed (route, health, last completion, budgets). No polling. */
export namespace StatusChangedNotification {
  export const method = 'switchyard/statusChanged' as const;
  export const type = new NotificationType<EditorStatus>(method);
}

/** Client → daemon: every provider + model the switcher can offer, with health and latency. */
export namespace ListModelsRequest {
  export const method = 'switchyard/listModels' as const;
  export const type = new RequestType0<{ models: ModelChoice[]; routes: string[] }, void>(method);
}

/** Client → daemon: use this for the next completion (the extension also persists it in settings). */
export namespace SetCompletionRouteRequest {
  export const method = 'switchyard/setCompletionRoute' as const;
  export const type = new RequestType<{ route: string }, EditorStatus, void>(method);
}

/** Client → daemon: an API key from SecretStorage, held in the daemon's memory only. */
export namespace SetApiKeyRequest {
  export const method = 'switchyard/setApiKey' as const;
  /** `provider`: a configured provider's name, or `openai` / `anthropic`. An empty key forgets it. */
  export const type = new RequestType<{ provider: string; apiKey: string }, { ok: true }, void>(method);
}

/** Client → daemon: change the daemon's log level while it runs. */
export namespace SetLogLevelRequest {
  export const method = 'switchyard/setLogLevel' as const;
  export const type = new RequestType<{ level: 'trace' | 'debug' | 'info' | 'warn' | 'error' }, { ok: true }, void>(method);
}

/** The benchmark presets the editor offers (the names `switchyard bench --preset` takes). */
export interface BenchmarkParams {
  /** A preset or scenario name, e.g. `quick`, `standard`, `overhead`, `sweep`, `compare`. */
  preset: string;
  /** The route or model to load; empty means the daemon's default completion route. */
  target: string;
  /** The `$/progress` token the client created (work-done progress). */
  workDoneToken?: string | number;
}

/**
 * Client → daemon: run a benchmark in its own process (never in the daemon's event loop),
 * reporting `$/progress` and honouring `$/cancelRequest`. Answers with the report JSON
 * (schema `switchyard.bench.report`, parsed by `shared/report/validate.ts`).
 */
export namespace RunBenchmarkRequest {
  export const method = 'switchyard/runBenchmark' as const;
  export const type = new RequestType<BenchmarkParams, { report: unknown; jsonPath: string; htmlPath?: string }, void>(method);
}

/**
 * The `data` of every `ResponseError` the daemon's door sends (its numeric code is LSP's
 * `RequestFailed`, or `RequestCancelled` for a cancellation, which the client ignores).
 */
export interface SwitchyardErrorData {
  /** The gateway's error code, e.g. `upstreamTimeout`, `budgetExceeded`, `unknownModel`. */
  code: string;
  /** The HTTP status the same error has at the HTTP door. */
  status: number;
  retryAfterMs?: number;
  details?: Record<string, unknown>;
}
