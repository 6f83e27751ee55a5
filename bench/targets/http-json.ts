/** Small JSON GET over undici for the benchmark's own control traffic (status, probes). */
import { request } from 'undici';

export async function getJson<T>(url: string, headers: Record<string, string> = {}, timeoutMs = 5000): Promise<T> {
  const res = await request(url, { headers, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`GET ${url}: HTTP ${res.statusCode} ${text.slice(0, 200)}`);
  return JSON.parse(text) as T;
}

/**
 * Checks that something answers HTTP at `url` before any load is sent. Any status counts
 * as reachable (a 401 or 404 is still a server); a refused or silent socket does not.
 */
export async function probeTarget(url: string, timeoutMs = 3000): Promise<string | null> {
  try {
    const res = await request(new URL('/health', url), { headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    await res.body.dump();
    return null;
  } catch (err) {
    const code = (err as { code?: string }).code;
    return `cannot reach ${url}: ${code ?? (err as Error).message}${code === 'ECONNREFUSED' ? ' (nothing listens there; is it running?)' : ''}`;
  }
}
