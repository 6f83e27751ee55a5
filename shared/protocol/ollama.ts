/**
 * The Ollama wire shapes the daemon's `/api` door accepts and returns, as TypeBox schemas
 * with their static types. Ollama streams by default: `stream` absent means true.
 */
import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from './string-enum';

export const OllamaOptions = Type.Object(
  {
    temperature: Type.Optional(Type.Number({ minimum: 0 })),
    top_p: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    top_k: Type.Optional(Type.Integer({ minimum: 0 })),
    min_p: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    num_predict: Type.Optional(Type.Integer()),
    seed: Type.Optional(Type.Integer()),
    stop: Type.Optional(Type.Array(Type.String())),
    repeat_penalty: Type.Optional(Type.Number()),
    presence_penalty: Type.Optional(Type.Number()),
    frequency_penalty: Type.Optional(Type.Number()),
  },
  { additionalProperties: true },
);
export type OllamaOptions = Static<typeof OllamaOptions>;

const ToolCall = Type.Object({
  function: Type.Object({ name: Type.String(), arguments: Type.Record(Type.String(), Type.Unknown()) }),
});

export const OllamaMessage = Type.Object({
  role: StringEnum(['system', 'user', 'assistant', 'tool']),
  content: Type.String(),
  images: Type.Optional(Type.Array(Type.String())),
  tool_calls: Type.Optional(Type.Array(ToolCall)),
  tool_name: Type.Optional(Type.String()),
});
export type OllamaMessage = Static<typeof OllamaMessage>;

const common = {
  model: Type.String({ minLength: 1 }),
  stream: Type.Optional(Type.Boolean()),
  format: Type.Optional(Type.Unknown()),
  options: Type.Optional(OllamaOptions),
  keep_alive: Type.Optional(Type.Union([Type.String(), Type.Number()])),
  think: Type.Optional(Type.Union([Type.Boolean(), Type.String()])),
};

export const OllamaChatRequest = Type.Object({
  ...common,
  /** Empty or absent: load the model (or unload it, with `keep_alive: 0`), as Ollama documents. */
  messages: Type.Optional(Type.Array(OllamaMessage)),
  tools: Type.Optional(Type.Array(Type.Unknown())),
});
export type OllamaChatRequest = Static<typeof OllamaChatRequest>;

export const OllamaGenerateRequest = Type.Object({
  ...common,
  prompt: Type.Optional(Type.String()),
  suffix: Type.Optional(Type.String()),
  system: Type.Optional(Type.String()),
  template: Type.Optional(Type.String()),
  raw: Type.Optional(Type.Boolean()),
  images: Type.Optional(Type.Array(Type.String())),
});
export type OllamaGenerateRequest = Static<typeof OllamaGenerateRequest>;

export const OllamaErrorBody = Type.Object({ error: Type.String() });
export type OllamaErrorBody = Static<typeof OllamaErrorBody>;

/** `details` of a model in `/api/tags`, `/api/show` and `/api/ps`. */
export const OllamaModelDetails = Type.Object(
  {
    parent_model: Type.String(),
    format: Type.String(),
    family: Type.String(),
    families: Type.Union([Type.Array(Type.String()), Type.Null()]),
    parameter_size: Type.String(),
    quantization_level: Type.String(),
  },
  { additionalProperties: true },
);
export type OllamaModelDetails = Static<typeof OllamaModelDetails>;

export const OllamaTag = Type.Object({
  name: Type.String(),
  model: Type.String(),
  modified_at: Type.String(),
  size: Type.Integer(),
  digest: Type.String(),
  details: OllamaModelDetails,
});
export type OllamaTag = Static<typeof OllamaTag>;

export const OllamaTagList = Type.Object({ models: Type.Array(OllamaTag) });
export type OllamaTagList = Static<typeof OllamaTagList>;

/** `POST /api/show`: `model` (or the older `name`). */
export const OllamaShowRequest = Type.Object({
  model: Type.Optional(Type.String({ minLength: 1 })),
  name: Type.Optional(Type.String({ minLength: 1 })),
  verbose: Type.Optional(Type.Boolean()),
});
export type OllamaShowRequest = Static<typeof OllamaShowRequest>;

/** What `/api/show` always has; an upstream Ollama's answer is passed on whole, with whatever else it said. */
export const OllamaShowResponse = Type.Object(
  {
    details: OllamaModelDetails,
    model_info: Type.Record(Type.String(), Type.Unknown()),
    capabilities: Type.Optional(Type.Array(Type.String())),
    modified_at: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);
export type OllamaShowResponse = Static<typeof OllamaShowResponse>;

/** `GET /api/ps`: the models loaded right now. */
export const OllamaRunningList = Type.Object({
  models: Type.Array(
    Type.Object(
      {
        name: Type.String(),
        model: Type.String(),
        size: Type.Integer(),
        digest: Type.String(),
        details: OllamaModelDetails,
        expires_at: Type.String(),
        size_vram: Type.Integer(),
      },
      { additionalProperties: true },
    ),
  ),
});
export type OllamaRunningList = Static<typeof OllamaRunningList>;

export const OllamaVersion = Type.Object({ version: Type.String() });
