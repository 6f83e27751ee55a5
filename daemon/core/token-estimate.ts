/**
 * Cheap token estimates: about four characters per token, the usual rule of thumb for
 * English text and code with BPE tokenizers. Used when a provider reports no usage, and by
 * budgets to reserve before a call. Never exact; never worth a tokenizer on the hot path.
 */
import type { ChatMessage, GatewayRequest } from '../../shared/gateway';

const CHARS_PER_TOKEN = 4;
/** Chat templates add role markers and separators around every turn. */
const TOKENS_PER_MESSAGE = 4;
/** A flat guess for an image; providers charge anything from ~85 to ~1,500 tokens. */
const TOKENS_PER_IMAGE = 256;

export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / CHARS_PER_TOKEN);
}

function messageChars(message: ChatMessage): { chars: number; images: number } {
  let chars = 0;
  let images = 0;
  const content = message.content;
  if (typeof content === 'string') {
    chars += content.length;
  } else if (content !== null) {
    for (const part of content) {
      if (part.type === 'text') chars += part.text.length;
      else images++;
    }
  }
  if (message.tool_calls !== undefined) {
    for (const call of message.tool_calls) chars += call.function.name.length + call.function.arguments.length;
  }
  if (message.name !== undefined) chars += message.name.length;
  return { chars, images };
}

/** The prompt side of a request: messages or prompt/suffix/system, tool definitions and extra context. */
export function estimateRequestTokens(req: GatewayRequest): number {
  let chars = 0;
  let fixed = 0;
  if (req.messages !== undefined) {
    for (const message of req.messages) {
      const counted = messageChars(message);
      chars += counted.chars;
      fixed += TOKENS_PER_MESSAGE + counted.images * TOKENS_PER_IMAGE;
    }
  }
  if (req.prompt !== undefined) chars += req.prompt.length;
  if (req.suffix !== undefined) chars += req.suffix.length;
  if (req.system !== undefined) chars += req.system.length;
  if (req.extraContext !== undefined) {
    for (const extra of req.extraContext) chars += extra.filename.length + extra.text.length;
  }
  // Tool schemas are sent to the model as text; their JSON length is a fair measure.
  if (req.tools !== undefined && req.tools.length > 0) chars += JSON.stringify(req.tools).length;
  return Math.ceil(chars / CHARS_PER_TOKEN) + fixed;
}
