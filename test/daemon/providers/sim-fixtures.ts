/** Shared pieces of the adapter tests against the simulated provider (`bench/sim`). */
import type { GatewayRequest, ProviderKind, StreamEvent, ToolCall, Usage } from '../../../shared/gateway';
import { createProvider } from '../../../daemon/providers/create-provider';
import type { Provider, ProviderSettings } from '../../../daemon/core/provider';
import type { Simulator } from '../../../bench/sim';
import { settingsFor } from './wire-server';

export const KINDS: readonly ProviderKind[] = ['openai', 'ollama', 'anthropic', 'llamacpp'];

/** The simulator's route names for each adapter's chat and completion calls. */
export const ROUTES: Record<ProviderKind, { chat: string; fim?: string; completion: string }> = {
  openai: { chat: 'openai.chat', fim: 'openai.completions', completion: 'openai.completions' },
  ollama: { chat: 'ollama.chat', fim: 'ollama.generate', completion: 'ollama.generate' },
  anthropic: { chat: 'anthropic.messages', completion: 'anthropic.messages' },
  llamacpp: { chat: 'openai.chat', fim: 'llamacpp.infill', completion: 'llamacpp.completion' },
};

/** An adapter pointed at the simulator, with each provider's documented base URL shape. */
export function simProvider(sim: Simulator, kind: ProviderKind, overrides: Partial<ProviderSettings> = {}): Provider {
  const baseUrl = kind === 'openai' ? `${sim.url}/v1` : sim.url;
  return createProvider(settingsFor(kind, baseUrl, { name: `sim-${kind}`, ...overrides }));
}

export const chatRequest = (stream: boolean, params: GatewayRequest['params'] = {}): GatewayRequest => ({
  kind: 'chat',
  model: 'sim-chat',
  stream,
  params,
  messages: [
    { role: 'system', content: 'You are a test.' },
    { role: 'user', content: 'Tell me about switchyards.' },
  ],
});

export const fimRequest = (stream: boolean): GatewayRequest => ({
  kind: 'completion',
  model: 'sim-coder',
  stream,
  params: { max_tokens: 64 },
  prompt: 'function add(a, b) {\n  return ',
  suffix: '\n}\n',
});

export const toolRequest = (stream: boolean): GatewayRequest => ({
  kind: 'chat',
  model: 'sim-chat',
  stream,
  params: {},
  messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
  tools: [
    {
      type: 'function',
      function: { name: 'get_weather', description: 'Current weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
    },
  ],
  tool_choice: 'auto',
});

export interface Assembled {
  text: string;
  toolCalls: ToolCall[];
  ends: Array<Extract<StreamEvent, { type: 'end' }>>;
  events: StreamEvent[];
}

/** Joins a stream's events the way a client would: text concatenated, tool-call deltas merged by index. */
export async function assemble(events: AsyncIterable<StreamEvent>): Promise<Assembled> {
  const out: Assembled = { text: '', toolCalls: [], ends: [], events: [] };
  for await (const event of events) {
    out.events.push(event);
    if (event.type === 'text') out.text += event.text;
    else if (event.type === 'end') out.ends.push(event);
    else {
      const call = (out.toolCalls[event.index] ??= { id: '', type: 'function', function: { name: '', arguments: '' } });
      if (event.id) call.id = event.id;
      if (event.name) call.function.name = event.name;
      call.function.arguments += event.argumentsDelta;
    }
  }
  return out;
}

export function usageOf(sim: Simulator, route: string): Usage | undefined {
  const record = [...sim.requests].reverse().find((r) => r.route === route);
  return record?.usage;
}
