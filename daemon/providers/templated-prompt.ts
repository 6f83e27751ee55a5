/**
 * Ollama's `/api/generate` formats the prompt (and `system`) with the model's chat template
 * unless `raw: true`, so an instruct model sees the turns it was trained on. An upstream that
 * only takes a bare prompt on its completion route (OpenAI-compatible servers, llama.cpp) is
 * asked to apply the template the way it documents: through its chat route, or llama.cpp's
 * `POST /apply-template`. Fill-in-the-middle (with `suffix`) has its own format and is left alone.
 */
import type { ChatMessage, GatewayRequest } from '../../shared/gateway';

/** Whether a completion must be formatted with the model's template before it is generated. */
export function wantsTemplate(request: GatewayRequest): boolean {
  return request.kind === 'completion' && request.raw === false && request.suffix === undefined;
}

/** The turns the template formats: the system prompt, then the prompt as the user's message. */
export function templateMessages(request: GatewayRequest): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (request.system !== undefined && request.system !== '') messages.push({ role: 'system', content: request.system });
  messages.push({ role: 'user', content: request.prompt ?? '' });
  return messages;
}

/** The completion as the chat request an OpenAI-compatible server templates itself. */
export function asChatRequest(request: GatewayRequest): GatewayRequest {
  const { prompt: _prompt, system: _system, raw: _raw, ...rest } = request;
  return { ...rest, kind: 'chat', messages: templateMessages(request) };
}
