/**
 * The gateway's canonical request and response model.
 *
 * Both front doors (OpenAI and Ollama HTTP shapes, and the editor's LSP door) translate
 * into these types, and every provider adapter translates out of them. Nothing in here
 * knows a wire protocol; the protocol shapes live in `shared/protocol/`.
 */

export type RequestKind = 'chat' | 'completion';

export type ProviderKind = 'openai' | 'ollama' | 'anthropic' | 'llamacpp';

export type ChatRole = 'system' | 'developer' | 'user' | 'assistant' | 'tool';

export interface TextPart {
  type: 'text';
  text: string;
}

export interface ImagePart {
  type: 'image_url';
  image_url: { url: string; detail?: string };
}

export type ContentPart = TextPart | ImagePart;

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface ToolDefinition {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean | null };
}

export interface ChatMessage {
  role: ChatRole;
  /** Plain text, or OpenAI-style content parts. `null` only for assistant turns that carry tool calls. */
  content: string | ContentPart[] | null;
  name?: string;
  tool_calls?: ToolCall[];
  tool_call_id?: string;
}

/** Every parameter that can change a model's output. The cache key is built from these. */
export interface SamplingParams {
  temperature?: number;
  top_p?: number;
  top_k?: number;
  min_p?: number;
  max_tokens?: number;
  seed?: number;
  stop?: string[];
  presence_penalty?: number;
  frequency_penalty?: number;
  repeat_penalty?: number;
  reasoning_effort?: string;
}

/** A file or snippet given as extra context to a fill-in-the-middle request (llama.cpp `input_extra`). */
export interface ExtraContext {
  filename: string;
  text: string;
}

export interface GatewayRequest {
  kind: RequestKind;
  /** The model (or route, or `provider/model`) exactly as the client named it. */
  model: string;
  /** Chat turns; set when `kind` is `chat`. */
  messages?: ChatMessage[];
  /** The prompt, or the text before the cursor for fill-in-the-middle; set when `kind` is `completion`. */
  prompt?: string;
  /** The text after the cursor. Its presence makes a completion a fill-in-the-middle request. */
  suffix?: string;
  /** A system prompt for a completion (Ollama `/api/generate` `system`). */
  system?: string;
  /**
   * Ollama `raw`. `false` (Ollama's default, made explicit by the Ollama door): the prompt is
   * formatted with the model's chat template, as Ollama does. `true`, or absent (an OpenAI
   * completion): the prompt is sent as it is.
   */
  raw?: boolean;
  extraContext?: ExtraContext[];
  stream: boolean;
  params: SamplingParams;
  tools?: ToolDefinition[];
  tool_choice?: unknown;
  response_format?: unknown;
  /** Ollama `keep_alive`, passed through to Ollama providers only. */
  keepAlive?: string | number;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

/**
 * Where an upstream that reports it (Ollama; llama.cpp's native routes) says the time went, in
 * nanoseconds. The Ollama door passes these on; without them it reports what the gateway measured.
 */
export interface UpstreamTimings {
  totalNs?: number;
  loadNs?: number;
  promptEvalNs?: number;
  evalNs?: number;
}

export interface GatewayResponse {
  /** An id for the response, from the provider when it gives one. */
  id: string;
  /** The upstream model that produced it. */
  model: string;
  /** Unix seconds. */
  created: number;
  text: string;
  toolCalls?: ToolCall[];
  finishReason: FinishReason;
  /** Token counts as the provider reported them; `estimated` when it reported none. */
  usage: Usage & { estimated?: boolean };
  timings?: UpstreamTimings;
}

/** One event of a streamed response, in protocol-neutral form. */
export type StreamEvent =
  | { type: 'text'; text: string }
  | { type: 'tool_call'; index: number; id?: string; name?: string; argumentsDelta: string }
  | { type: 'end'; finishReason: FinishReason; usage?: Usage; id?: string; timings?: UpstreamTimings };

export interface ModelInfo {
  /** The name a client uses: the upstream model id. */
  id: string;
  provider: string;
  /** Whether the model supports fill-in-the-middle (a `suffix`). */
  fim?: boolean;
  contextLength?: number;
  /** What the provider's listing says about the model's files (Ollama's `/api/tags`), when it says anything. */
  facts?: ModelFacts;
}

/** A model's files as Ollama describes them: passed through to the Ollama door's `/api/tags`. */
export interface ModelFacts {
  sizeBytes?: number;
  digest?: string;
  /** ISO 8601, as the provider gave it. */
  modifiedAt?: string;
  details?: {
    parentModel: string;
    format: string;
    family: string;
    families: string[] | null;
    parameterSize: string;
    quantizationLevel: string;
  };
}
