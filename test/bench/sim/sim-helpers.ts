import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { after } from 'node:test';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../../bench/sim/index';

/** Small HTTP helpers for simulator tests that need to see raw bytes, cut sockets and SSE frames. */

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** Set when the connection failed or was cut before the response ended. */
  error?: NodeJS.ErrnoException;
}

/** POSTs JSON with node:http, so a reset or a cut body is reported rather than retried. */
export function postRaw(url: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<RawResponse> {
  return new Promise((resolve) => {
    const payload = typeof body === 'string' ? body : JSON.stringify(body);
    const req = httpRequest(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', ...headers }, signal }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      res.on('error', (error) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, error }));
    });
    req.on('error', (error) => resolve({ status: 0, headers: {}, body: '', error }));
    req.end(payload);
  });
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; json: any; text: string }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

export interface SseEvent {
  event?: string;
  data: string;
}

/** Splits an SSE body into events (`event:` and `data:` lines, blank-line separated). */
export function parseSse(body: string): SseEvent[] {
  return body
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const event: SseEvent = { data: '' };
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event.event = line.slice(7);
        else if (line.startsWith('data: ')) event.data += line.slice(6);
      }
      return event;
    });
}

export function parseNdjson(body: string): any[] {
  return body.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line));
}

export const chatBody = (content: string, extra: Record<string, unknown> = {}) => ({
  model: 'sim-chat',
  messages: [{ role: 'user', content }],
  ...extra,
});

/** Call inside a `describe`: starts simulators for that suite and closes every one of them after it. */
export function suiteSimulators(): (options?: SimulatorOptions) => Promise<Simulator> {
  const sims: Simulator[] = [];
  after(() => Promise.all(sims.map((sim) => sim.close())));
  return async (options = {}) => {
    const sim = await startSimulator(options);
    sims.push(sim);
    return sim;
  };
}
