/**
 * "Pull with Ollama": streams Ollama's `POST /api/pull` progress (NDJSON lines of
 * `{status, digest?, total?, completed?}`, then `{status: "success"}`, or `{error}`) through
 * the daemon to whichever door asked.
 */
import { request } from 'undici';
import type { PullProgress } from '../../shared/hardware/recommendations';
import { GatewayError } from '../core/errors';
import { readNdjsonLines } from '../providers/ndjson-parser';

export async function pullOllamaModel(baseUrl: string, model: string, signal: AbortSignal, onProgress: (progress: PullProgress) => void): Promise<PullProgress> {
  let response;
  try {
    response = await request(`${baseUrl.replace(/\/+$/, '')}/api/pull`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model, stream: true }),
      signal,
    });
  } catch (error) {
    signal.throwIfAborted();
    throw new GatewayError('upstreamUnavailable', `Ollama is not reachable at ${baseUrl}: ${(error as Error).message}`, { cause: error });
  }
  if (response.statusCode !== 200) {
    const text = await response.body.text().catch(() => '');
    throw new GatewayError('upstreamRejected', `Ollama refused to pull "${model}" (HTTP ${response.statusCode}): ${errorText(text)}`, { status: 502 });
  }
  let last: PullProgress = { model, status: 'starting', done: false };
  for await (const line of readNdjsonLines(response.body)) {
    let data: { status?: string; total?: number; completed?: number; error?: string };
    try {
      data = JSON.parse(line);
    } catch {
      throw new GatewayError('upstreamProtocol', `Ollama sent a pull progress line that is not JSON: ${line.slice(0, 80)}`);
    }
    if (data.error) throw new GatewayError('upstreamRejected', `Ollama could not pull "${model}": ${data.error}`, { status: 502 });
    last = {
      model,
      status: data.status ?? last.status,
      ...(data.total !== undefined ? { totalBytes: data.total } : {}),
      ...(data.completed !== undefined ? { completedBytes: data.completed } : {}),
      done: data.status === 'success',
    };
    onProgress(last);
  }
  if (!last.done) throw new GatewayError('upstreamProtocol', `Ollama's pull of "${model}" ended before "success"`);
  return last;
}

function errorText(text: string): string {
  try {
    return (JSON.parse(text) as { error?: string }).error ?? text.slice(0, 200);
  } catch {
    return text.slice(0, 200);
  }
}
