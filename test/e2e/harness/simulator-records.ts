import type { SimRequestRecord, Simulator } from '../../../bench/sim/contract';

/** Records of the routes that make a model generate (listing and health routes excluded). */
const GENERATION_ROUTES = new Set([
  'openai.chat', 'openai.completions', 'ollama.chat', 'ollama.generate', 'anthropic.messages', 'llamacpp.completion', 'llamacpp.infill',
]);

/** The requests that asked the simulator to generate, in arrival order, from record `since` on. */
export function generations(sim: Simulator, since = 0): SimRequestRecord[] {
  return sim.requests.slice(since).filter((record) => GENERATION_ROUTES.has(record.route));
}

/** Everything the request put before the cursor and after it, as one string to search. */
export function promptText(record: SimRequestRecord): string {
  const body = record.body as Record<string, unknown>;
  const parts = [body.prompt, body.suffix, body.input_prefix, body.input_suffix, body.messages, body.system];
  return parts.filter((part) => part !== undefined).map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join('\n');
}

/**
 * The text the simulator answered `record` with: the same body asked again without streaming
 * (its output depends on the input only, streamed or not).
 */
export async function replyText(sim: Simulator, record: SimRequestRecord): Promise<string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const version = record.headers['anthropic-version'];
  if (typeof version === 'string') headers['anthropic-version'] = version;
  const response = await fetch(`${sim.url}${record.path}`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ ...(record.body as object), stream: false }),
  });
  const reply = (await response.json()) as Record<string, any>;
  if (!response.ok) throw new Error(`replaying ${record.route} failed: ${response.status} ${JSON.stringify(reply)}`);
  switch (record.route) {
    case 'ollama.generate': return reply.response;
    case 'ollama.chat': return reply.message.content;
    case 'openai.completions': return reply.choices[0].text;
    case 'openai.chat': return reply.choices[0].message.content;
    case 'anthropic.messages': return reply.content.map((block: { text?: string }) => block.text ?? '').join('');
    default: return reply.content;
  }
}
