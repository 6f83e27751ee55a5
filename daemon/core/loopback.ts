/** Whether a host or URL names this machine: the one definition the security hooks, the config and the CLI share. */

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
const LOOPBACK_V4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** `127.0.0.1:4141` → `127.0.0.1`; `[::1]:4141` → `[::1]`. */
function hostnameOf(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end === -1 ? host : host.slice(0, end + 1);
  }
  const colon = host.indexOf(':');
  return (colon === -1 ? host : host.slice(0, colon)).toLowerCase();
}

/** A `Host` header value (or a URL's `host`), with or without a port. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = hostnameOf(host);
  return LOOPBACK_NAMES.has(name) || LOOPBACK_V4.test(name);
}

/** An http(s) URL or web origin whose host is loopback. */
export function isLoopbackUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && isLoopbackHost(parsed.host);
  } catch {
    return false;
  }
}
