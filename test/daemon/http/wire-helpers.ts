import { request } from 'undici';
import { parseNdjson, parseSse } from '../../bench/sim/sim-helpers';

export interface WireReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body as JSON, or undefined when it is not JSON (streams, plain text). */
  json: any;
}

/** One raw HTTP exchange with the daemon, the way a client that checks every byte sees it. */
export async function exchange(url: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<WireReply> {
  const hasBody = init.body !== undefined;
  const response = await request(url, {
    method: (init.method ?? (hasBody ? 'POST' : 'GET')) as 'GET',
    headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...init.headers },
    body: hasBody ? (typeof init.body === 'string' ? init.body : JSON.stringify(init.body)) : undefined,
  });
  const text = await response.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.statusCode, headers: response.headers, text, json };
}

/** The `data:` payloads of an SSE body, parsed, `[DONE]` kept as the string; comment-only blocks are left out. */
export function sseData(text: string): (Record<string, any> | '[DONE]')[] {
  return parseSse(text)
    .filter((event) => event.data !== '')
    .map((event) => (event.data === '[DONE]' ? '[DONE]' : (JSON.parse(event.data) as Record<string, any>)));
}

export const ndjsonLines: (text: string) => Record<string, any>[] = parseNdjson;

/** The sorted keys of an object: key sets are compared, not key order. */
export function keysOf(value: unknown): string[] {
  return Object.keys(value as object).sort();
}

export function sorted(keys: readonly string[]): string[] {
  return [...keys].sort();
}
