/** Shared set-up for the routing tests that go through a real daemon to real simulators. */
import { request } from 'undici';
import { startSimulator } from '../../../bench/sim/index';
import type { Simulator, SimulatorOptions } from '../../../bench/sim/contract';
import type { TestDaemon } from '../../helpers/test-daemon';

export const MODEL = 'sim-chat';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
  /** Wall time of the whole exchange, ms. */
  ms: number;
  servedBy: string | undefined;
  attempts: number | undefined;
}

/** Starts `count` simulators that each list MODEL, answering fast unless told otherwise. */
export async function startSims(count: number, options: SimulatorOptions = {}): Promise<Simulator[]> {
  return Promise.all(Array.from({ length: count }, () => startSimulator({ latencyMs: 1, ttftMs: 1, outputTokens: 5, models: [MODEL, 'sim-coder'], ...options })));
}

/** A `[[providers]]` entry for a simulator speaking the OpenAI protocol. */
export function provider(name: string, url: string, extra: { local?: boolean; prices?: string; more?: string } = {}): string {
  const lines = [`[[providers]]`, `name = "${name}"`, `kind = "openai"`, `base_url = "${url}/v1"`, `local = ${extra.local ?? true}`, `models = ["${MODEL}", "sim-coder"]`];
  if (extra.prices) lines.push(`prices = ${extra.prices}`);
  if (extra.more) lines.push(extra.more);
  return `${lines.join('\n')}\n`;
}

/** `[routing]` for tests: no background probes unless asked, quick backoff. */
export function routingSection(extra = ''): string {
  const probes = extra.includes('probe_interval_ms') ? '' : 'probe_interval_ms = 0\n';
  return `[routing]\n${probes}retries = { base_delay_ms = 5, max_delay_ms = 20 }\n${extra}\n`;
}

export async function post(daemon: TestDaemon, path: string, body: object, headers: Record<string, string> = {}, timeoutMs = 15_000): Promise<Reply> {
  const started = performance.now();
  const response = await request(`${daemon.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-switchyard-cache': 'off', ...daemon.auth, ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.body.text();
  const ms = performance.now() - started;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const attempts = response.headers['x-switchyard-attempts'];
  return {
    status: response.statusCode,
    headers: response.headers,
    text,
    json,
    ms,
    servedBy: response.headers['x-switchyard-provider'] as string | undefined,
    attempts: attempts === undefined ? undefined : Number(attempts),
  };
}

export function chat(model: string, stream = false): object {
  return { model, messages: [{ role: 'user', content: 'hello' }], stream, max_tokens: 5 };
}

export async function get(daemon: TestDaemon, path: string): Promise<any> {
  const response = await request(`${daemon.url}${path}`, { headers: daemon.auth, signal: AbortSignal.timeout(5_000) });
  const text = await response.body.text();
  return path === '/metrics' ? text : JSON.parse(text);
}

/** Chat requests sent one after another; returns the provider that served each. */
export async function servedSequence(daemon: TestDaemon, model: string, count: number, headers: Record<string, string> = {}): Promise<string[]> {
  const served: string[] = [];
  for (let i = 0; i < count; i++) {
    const reply = await post(daemon, '/v1/chat/completions', chat(model), headers);
    if (reply.status !== 200) throw new Error(`request ${i} got ${reply.status}: ${reply.text}`);
    served.push(reply.servedBy ?? '?');
  }
  return served;
}

export async function closeAll(daemon: TestDaemon | undefined, sims: Simulator[]): Promise<void> {
  await daemon?.close();
  await Promise.all(sims.map((sim) => sim.close()));
}

export function received(sim: Simulator): number {
  return sim.requests.filter((r) => r.route === 'openai.chat' || r.route === 'openai.completions').length;
}
