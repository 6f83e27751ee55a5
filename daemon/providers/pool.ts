/**
 * One undici connection pool per provider, tuned from its settings. A provider has one origin,
 * so a `Pool` (not an `Agent`) is enough: keep-alive sockets, a bounded number of connections
 * (requests beyond it wait in the pool's queue), no pipelining (a streamed completion would
 * block every request behind it), Nagle off, and connect/headers/body timeouts.
 */
import type { Socket } from 'node:net';
import { buildConnector, Pool } from './undici-pool';
import type { ProviderSettings } from '../core/provider';
import { watchForStaleClose } from './stale-connection';

/** Idle keep-alive sockets live this long unless the server's `Keep-Alive` header says less. */
const KEEP_ALIVE_TIMEOUT_MS = 10_000;
/** TCP keep-alive probes catch a peer that vanished without a FIN (a laptop that slept). */
const TCP_KEEP_ALIVE_DELAY_MS = 30_000;

export interface ProviderEndpoint {
  /** `http://host:port`, what the pool connects to. */
  origin: string;
  /** The base URL's path without a trailing slash (`/v1` for an OpenAI base URL, often empty). */
  basePath: string;
}

/** Splits a provider's base URL into the pool's origin and the path every route is prefixed with. */
export function parseBaseUrl(settings: Pick<ProviderSettings, 'name' | 'baseUrl'>): ProviderEndpoint {
  let url: URL;
  try {
    url = new URL(settings.baseUrl);
  } catch {
    throw new TypeError(`provider "${settings.name}": baseUrl "${settings.baseUrl}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`provider "${settings.name}": baseUrl must be http or https, got "${url.protocol}"`);
  }
  let basePath = url.pathname;
  while (basePath.endsWith('/')) basePath = basePath.slice(0, -1);
  return { origin: url.origin, basePath };
}

function requirePositive(settings: ProviderSettings, key: keyof ProviderSettings, integer: boolean): number {
  const value = settings[key];
  if (typeof value !== 'number' || !(value > 0) || (integer && !Number.isInteger(value))) {
    throw new TypeError(`provider "${settings.name}": ${key} must be a positive ${integer ? 'integer' : 'number'}, got ${String(value)}`);
  }
  return value;
}

export function createProviderPool(settings: ProviderSettings, origin: string): Pool {
  const connections = requirePositive(settings, 'maxConnections', true);
  const connectTimeout = requirePositive(settings, 'connectTimeoutMs', false);
  const headersTimeout = requirePositive(settings, 'headersTimeoutMs', false);
  const bodyTimeout = requirePositive(settings, 'bodyTimeoutMs', false);
  const connector = buildConnector({
    timeout: connectTimeout,
    noDelay: true,
    keepAlive: true,
    keepAliveInitialDelay: TCP_KEEP_ALIVE_DELAY_MS,
  });
  return new Pool(origin, {
    connections,
    pipelining: 1,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    headersTimeout,
    bodyTimeout,
    // undici's own connector, with each socket watched so a request on a connection the server closed can be sent again.
    connect: (options, callback) =>
      connector(options, (...args) => {
        if (args[0] === null && args[1] != null) watchForStaleClose(args[1] as Socket);
        callback(...args);
      }),
  });
}
