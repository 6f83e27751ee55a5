/**
 * The team mode Redis connection, shared by the cache store and the budget ledger. Commands
 * fail at once while the connection is down (no offline queue), so a Redis outage shows up
 * as a fast error that the cache and ledger degrade on, never as requests that hang. The
 * client keeps reconnecting in the background and emits 'ready' when Redis is back.
 */
import type { RedisClientType } from '@keyv/redis';

type KeyvRedisModule = typeof import('@keyv/redis');

/**
 * `@keyv/redis` and the Redis client under it, loaded only in team mode: a daemon on a laptop
 * never needs them, and loading them costs about 7 MB of resident memory.
 */
export function loadKeyvRedis(): KeyvRedisModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@keyv/redis') as KeyvRedisModule;
}

export interface RedisConnection {
  client: RedisClientType;
  /** Resolves when the first connection attempt settles (connected or not). */
  firstAttempt: Promise<boolean>;
  close(): Promise<void>;
}

export function connectRedis(url: string, warn: (message: string) => void): RedisConnection {
  const client = loadKeyvRedis().createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 1000,
      // Retry forever, at most once a second: Redis coming back must be noticed without a restart.
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** Math.min(retries, 5), 1000),
    },
  }) as RedisClientType;
  let lastWarning = '';
  client.on('error', (error: Error) => {
    // The client emits an error on every failed reconnect; say it once per distinct problem.
    if (error.message !== lastWarning) {
      lastWarning = error.message;
      warn(`redis ${redactUrl(url)}: ${error.message}`);
    }
  });
  client.on('ready', () => {
    lastWarning = '';
  });
  const firstAttempt = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(client.isReady), 1500);
    timer.unref();
    client.connect().then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      () => {
        clearTimeout(timer);
        resolve(false);
      },
    );
  });
  let closed = false;
  return {
    client,
    firstAttempt,
    async close() {
      if (closed) return;
      closed = true;
      try {
        client.destroy();
      } catch {
        // Already closed.
      }
    },
  };
}

/**
 * Rejects when Redis has not answered within `ms`. The cache store and the ledger both treat
 * that as Redis being down, so a server that stalls without dropping the connection never
 * stalls requests.
 */
export function withRedisTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A Redis URL without its password, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@');
}
