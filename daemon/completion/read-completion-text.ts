import type { GatewayResult } from '../core/pipeline';

/**
 * The whole text of a gateway result. A stream is read to its end (so the cache can keep
 * it); if the caller gives up meanwhile the stream throws the abort, and leaving the loop
 * aborts the upstream request.
 */
export async function readCompletionText(result: GatewayResult): Promise<string> {
  if (result.type === 'response') return result.response.text;
  let text = '';
  for await (const event of result.events) if (event.type === 'text') text += event.text;
  return text;
}
