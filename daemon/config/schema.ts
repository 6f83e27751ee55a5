/**
 * The daemon's configuration file (TOML), as a TypeBox schema. Keys are snake_case as written
 * in the file. The routes, cache and budgets sections have their own schema files beside this one.
 */
import { Type, type Static } from '@sinclair/typebox';

export const DEFAULT_PORT = 4141;

const Price = Type.Object(
  {
    input: Type.Number({ minimum: 0, description: 'USD per million input tokens' }),
    output: Type.Number({ minimum: 0, description: 'USD per million output tokens' }),
  },
  { additionalProperties: false },
);

export const ProviderEntry = Type.Object(
  {
    name: Type.String({ minLength: 1, pattern: '^[A-Za-z0-9_.-]+$' }),
    kind: Type.Union([Type.Literal('openai'), Type.Literal('ollama'), Type.Literal('anthropic'), Type.Literal('llamacpp')]),
    base_url: Type.String({ pattern: '^https?://' }),
    /** The name of the environment variable holding the key; the key itself never goes in the file. */
    api_key_env: Type.Optional(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' })),
    models: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    local: Type.Optional(Type.Boolean()),
    prices: Type.Optional(Type.Record(Type.String(), Price)),
    max_connections: Type.Optional(Type.Integer({ minimum: 1, maximum: 4096 })),
    /** Requests the provider serves at once (for least-busy routing). */
    capacity: Type.Optional(Type.Integer({ minimum: 1 })),
    connect_timeout_ms: Type.Optional(Type.Integer({ minimum: 1 })),
    headers_timeout_ms: Type.Optional(Type.Integer({ minimum: 1 })),
    body_timeout_ms: Type.Optional(Type.Integer({ minimum: 1 })),
    headers: Type.Optional(Type.Record(Type.String(), Type.String())),
  },
  { additionalProperties: false },
);
export type ProviderEntry = Static<typeof ProviderEntry>;

export const ServerSection = Type.Object(
  {
    port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
    host: Type.Optional(Type.Union([Type.Literal('127.0.0.1'), Type.Literal('::1'), Type.Literal('localhost')])),
    body_limit_bytes: Type.Optional(Type.Integer({ minimum: 1024 })),
    /** Lets the Ollama door (`/api/*`) accept loopback requests without the bearer token. Off by default: see the README. */
    ollama_door_without_token: Type.Optional(Type.Boolean()),
    /** Lets `/metrics` answer loopback requests without the bearer token (a local Prometheus). Off by default. */
    metrics_without_token: Type.Optional(Type.Boolean()),
    /**
     * A streamed request whose first token has not come after this long gets its response
     * headers anyway (a 200 stream; a later failure is an error event in it), so a client can
     * tell a slow model from a dead gateway.
     */
    stream_headers_after_ms: Type.Optional(Type.Integer({ minimum: 0 })),
    /**
     * A stream the OpenAI door forwards as an OpenAI-compatible upstream's bytes gets its headers
     * as soon as that upstream accepts it, as a proxy's would (false: with its first token, so
     * that a failure before it still gets its own status). On by default.
     */
    stream_headers_on_accept: Type.Optional(Type.Boolean()),
    /** Exit after this many minutes with no requests and no editor connected; 0 stays up. */
    idle_exit_minutes: Type.Optional(Type.Number({ minimum: 0 })),
  },
  { additionalProperties: false },
);

export const DiscoverySection = Type.Object(
  {
    /** Look for Ollama, llama.cpp, LM Studio and vLLM on their standard ports. */
    local: Type.Optional(Type.Boolean()),
    /** Enable OpenAI / Anthropic when OPENAI_API_KEY / ANTHROPIC_API_KEY is set. */
    cloud_from_env: Type.Optional(Type.Boolean()),
    /** While no model is available, look again this often (seconds; 0: only at startup). */
    reprobe_seconds: Type.Optional(Type.Number({ minimum: 0 })),
    /** Where to look instead of the standard ports (e.g. a model server on a port of its own). */
    servers: Type.Optional(
      Type.Array(
        Type.Object(
          {
            name: Type.String({ minLength: 1, pattern: '^[A-Za-z0-9_.-]+$' }),
            kind: Type.Union([Type.Literal('openai'), Type.Literal('ollama'), Type.Literal('llamacpp')]),
            base_url: Type.String({ pattern: '^https?://' }),
          },
          { additionalProperties: false },
        ),
      ),
    ),
  },
  { additionalProperties: false },
);

export const LogSection = Type.Object(
  {
    level: Type.Optional(
      Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level))),
    ),
  },
  { additionalProperties: false },
);

export const ConfigFile = Type.Object(
  {
    server: Type.Optional(ServerSection),
    discovery: Type.Optional(DiscoverySection),
    log: Type.Optional(LogSection),
    providers: Type.Optional(Type.Array(ProviderEntry)),
    /** `alias = "provider/model"` or `alias = "model"`. */
    aliases: Type.Optional(Type.Record(Type.String(), Type.String({ minLength: 1 }))),
    routes: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    cache: Type.Optional(Type.Unknown()),
    budgets: Type.Optional(Type.Array(Type.Unknown())),
    /** Health probes, breakers, deadlines, retries: parsed by daemon/routing/routes-schema.ts. */
    routing: Type.Optional(Type.Unknown()),
    /** Team mode (Redis), parsed by daemon/team/team-schema.ts. */
    team: Type.Optional(Type.Unknown()),
    /** Hardware overrides, parsed by daemon/hardware/hardware-schema.ts. */
    hardware: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: false },
);
export type ConfigFile = Static<typeof ConfigFile>;
