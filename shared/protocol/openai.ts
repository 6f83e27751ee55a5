/**
 * The OpenAI-compatible wire shapes the daemon's `/v1` door accepts and returns, as TypeBox
 * schemas with their static types. Unknown request fields are tolerated (clients send many),
 * but every field the gateway reads is validated.
 */
import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from './string-enum';

export const CHAT_ROLES = ['system', 'developer', 'user', 'assistant', 'tool'] as const;

const Stop = Type.Union([Type.String(), Type.Array(Type.String(), { maxItems: 16 }), Type.Null()]);

const ContentPart = Type.Union([
  Type.Object({ type: Type.Literal('text'), text: Type.String() }),
  Type.Object({
    type: Type.Literal('image_url'),
    image_url: Type.Object({ url: Type.String(), detail: Type.Optional(Type.String()) }),
  }),
]);

const ToolCall = Type.Object({
  id: Type.String(),
  type: Type.Literal('function'),
  function: Type.Object({ name: Type.String(), arguments: Type.String() }),
});

export const OpenAIChatMessage = Type.Object({
  role: StringEnum(CHAT_ROLES),
  content: Type.Optional(Type.Union([Type.String(), Type.Array(ContentPart), Type.Null()])),
  name: Type.Optional(Type.String()),
  tool_calls: Type.Optional(Type.Array(ToolCall)),
  tool_call_id: Type.Optional(Type.String()),
});

const Tool = Type.Object({
  type: Type.Literal('function'),
  function: Type.Object({
    name: Type.String({ minLength: 1 }),
    description: Type.Optional(Type.String()),
    parameters: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    strict: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
  }),
});

/** Sampling fields shared by chat and completions. `null` is accepted where OpenAI accepts it. */
const sampling = {
  temperature: Type.Optional(Type.Union([Type.Number({ minimum: 0, maximum: 2 }), Type.Null()])),
  top_p: Type.Optional(Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()])),
  top_k: Type.Optional(Type.Integer({ minimum: 0 })),
  min_p: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  max_tokens: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
  seed: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
  stop: Type.Optional(Stop),
  presence_penalty: Type.Optional(Type.Union([Type.Number({ minimum: -2, maximum: 2 }), Type.Null()])),
  frequency_penalty: Type.Optional(Type.Union([Type.Number({ minimum: -2, maximum: 2 }), Type.Null()])),
  repeat_penalty: Type.Optional(Type.Number()),
  n: Type.Optional(Type.Union([Type.Literal(1), Type.Null()])),
  stream: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
  stream_options: Type.Optional(
    Type.Union([Type.Object({ include_usage: Type.Optional(Type.Boolean()) }), Type.Null()]),
  ),
  user: Type.Optional(Type.String()),
};

export const OpenAIChatRequest = Type.Object({
  model: Type.String({ minLength: 1 }),
  messages: Type.Array(OpenAIChatMessage, { minItems: 1 }),
  ...sampling,
  logprobs: Type.Optional(Type.Union([Type.Literal(false), Type.Null()])),
  top_logprobs: Type.Optional(Type.Union([Type.Literal(0), Type.Null()])),
  max_completion_tokens: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
  reasoning_effort: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  tools: Type.Optional(Type.Array(Tool)),
  tool_choice: Type.Optional(Type.Unknown()),
  response_format: Type.Optional(Type.Unknown()),
});
export type OpenAIChatRequest = Static<typeof OpenAIChatRequest>;

export const OpenAICompletionRequest = Type.Object({
  model: Type.String({ minLength: 1 }),
  prompt: Type.Union([Type.String(), Type.Array(Type.String(), { minItems: 1, maxItems: 1 })]),
  suffix: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  echo: Type.Optional(Type.Union([Type.Literal(false), Type.Null()])),
  logprobs: Type.Optional(Type.Union([Type.Literal(0), Type.Null()])),
  ...sampling,
});
export type OpenAICompletionRequest = Static<typeof OpenAICompletionRequest>;

export const OpenAIErrorBody = Type.Object({
  error: Type.Object({
    message: Type.String(),
    type: Type.String(),
    param: Type.Union([Type.String(), Type.Null()]),
    code: Type.Union([Type.String(), Type.Null()]),
    /** Gateway details: what was tried and why (routing), which budget (budgets). */
    switchyard: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  }),
});
export type OpenAIErrorBody = Static<typeof OpenAIErrorBody>;

export const OpenAIUsage = Type.Object({
  prompt_tokens: Type.Integer(),
  completion_tokens: Type.Integer(),
  total_tokens: Type.Integer(),
});
const Usage = OpenAIUsage;

/** Log probabilities are not offered (requests asking for them are refused), but the reference requires the key. */
const Logprobs = Type.Null();

export const OpenAIChatResponse = Type.Object({
  id: Type.String(),
  object: Type.Literal('chat.completion'),
  created: Type.Integer(),
  model: Type.String(),
  choices: Type.Array(
    Type.Object({
      index: Type.Integer(),
      message: Type.Object({
        role: Type.Literal('assistant'),
        content: Type.Union([Type.String(), Type.Null()]),
        /** No upstream the gateway speaks to refuses in this field; always `null`, as the reference requires the key. */
        refusal: Type.Null(),
        tool_calls: Type.Optional(Type.Array(ToolCall)),
      }),
      logprobs: Logprobs,
      finish_reason: Type.String(),
    }),
  ),
  usage: Usage,
});
export type OpenAIChatResponse = Static<typeof OpenAIChatResponse>;

export const OpenAICompletionResponse = Type.Object({
  id: Type.String(),
  object: Type.Literal('text_completion'),
  created: Type.Integer(),
  model: Type.String(),
  choices: Type.Array(
    Type.Object({
      index: Type.Integer(),
      text: Type.String(),
      logprobs: Logprobs,
      finish_reason: Type.String(),
    }),
  ),
  usage: Usage,
});
export type OpenAICompletionResponse = Static<typeof OpenAICompletionResponse>;

export const OpenAIModel = Type.Object({
  id: Type.String(),
  object: Type.Literal('model'),
  created: Type.Integer(),
  owned_by: Type.String(),
});
export type OpenAIModel = Static<typeof OpenAIModel>;

export const OpenAIModelList = Type.Object({
  object: Type.Literal('list'),
  data: Type.Array(OpenAIModel),
});
export type OpenAIModelList = Static<typeof OpenAIModelList>;
