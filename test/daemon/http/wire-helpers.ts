import { request } from 'undici';

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

/** The `data:` payloads of an SSE body, `[DONE]` included as the string. Comment lines are left out. */
export function sseData(text: string): (Record<string, any> | '[DONE]')[] {
  const events: (Record<string, any> | '[DONE]')[] = [];
  for (const block of text.split('\n\n')) {
    const data = block
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => line.slice(6))
      .join('\n');
    if (data === '') continue;
    events.push(data === '[DONE]' ? '[DONE]' : (JSON.parse(data) as Record<string, any>));
  }
  return events;
}

export function ndjsonLines(text: string): Record<string, any>[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, any>);
}

/** The sorted keys of an object: key sets are compared, not key order. */
export function keysOf(value: unknown): string[] {
  return Object.keys(value as object).sort();
}

export function sorted(keys: readonly string[]): string[] {
  return [...keys].sort();
}
