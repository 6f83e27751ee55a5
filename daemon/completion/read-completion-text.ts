import { streamEvents, type GatewayResult } from '../core/pipeline';

/**
 * The text of a gateway result. A stream is read to its end (so the cache can keep it), unless
 * `enough` says, at a line break, that the rest would be cut off anyway: leaving the loop then
 * aborts the upstream request, so a slow local model stops generating lines nobody will see
 * (that answer is not cached: only whole ones are). If the caller gives up meanwhile, the
 * stream throws the abort.
 */
export async function readCompletionText(result: GatewayResult, enough?: (text: string) => boolean): Promise<string> {
  if (result.type === 'response') return result.response.text;
  let text = '';
  for await (const event of streamEvents(result)) {
    if (event.type !== 'text') continue;
    text += event.text;
    if (enough !== undefined && event.text.includes('\n') && enough(text)) break;
  }
  return text;
}
