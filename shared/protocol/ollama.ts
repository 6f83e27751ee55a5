/**
 * The Ollama wire shapes the daemon's `/api` door accepts and returns, as TypeBox schemas
 * with their static types. Ollama streams by default: `stream` absent means true.
 */
import { Type, type Static } from '@sinclair/typebox';

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
  role: Type.Union([Type.Literal('system'), Type.Literal('user'), Type.Literal('assistant'), Type.Literal('tool')]),
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
  messages: Type.Array(OllamaMessage, { minItems: 1 }),
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

export const OllamaTagList = Type.Object({
  models: Type.Array(
    Type.Object({
      name: Type.String(),
      model: Type.String(),
      modified_at: Type.String(),
      size: Type.Integer(),
      digest: Type.String(),
      details: Type.Object({
        format: Type.String(),
        family: Type.String(),
        families: Type.Union([Type.Array(Type.String()), Type.Null()]),
        parameter_size: Type.String(),
        quantization_level: Type.String(),
      }),
    }),
  ),
});
export type OllamaTagList = Static<typeof OllamaTagList>;
