import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GatewayError } from '../core/errors';
import { isLoopbackHost, isLoopbackUrl } from '../core/loopback';

export interface SecurityOptions {
  token: string;
  /** Lets `/api/*` (the Ollama door) skip the token for loopback callers. Off unless the config turns it on. */
  ollamaDoorWithoutToken: boolean;
  /** Lets `/metrics` skip the token (a Prometheus on this machine without the token file). Off by default. */
  metricsWithoutToken?: boolean;
}

/**
 * Constant-time for every guess of the right length; every token has the same, public length,
 * so a length mismatch gives nothing away.
 */
function sameToken(given: string, expected: Buffer): boolean {
  const candidate = Buffer.from(given, 'utf8');
  return candidate.length === expected.length && timingSafeEqual(candidate, expected);
}

/**
 * The security hooks of the HTTP door: a Host and Origin that are loopback (against DNS
 * rebinding and web pages), then the bearer token on everything but `/health`.
 */
export function installSecurity(app: FastifyInstance, options: SecurityOptions): void {
  const expected = Buffer.from(options.token, 'utf8');

  // A callback hook, not an async one: no promise per request.
  app.addHook('onRequest', (request: FastifyRequest, _reply, done) => {
    done(refusal(request, options, expected));
  });
}

/** Why the door refuses this request (Host, Origin, token), or undefined to let it through. */
function refusal(request: FastifyRequest, options: SecurityOptions, expected: Buffer): GatewayError | undefined {
  if (!isLoopbackHost(request.headers.host)) {
    return new GatewayError('forbiddenOrigin', `Host "${request.headers.host ?? ''}" is not a loopback address; Switchyard only answers requests addressed to 127.0.0.1, ::1 or localhost.`);
  }
  const origin = request.headers.origin;
  if (origin !== undefined && !isLoopbackUrl(origin)) {
    return new GatewayError('forbiddenOrigin', `Requests from the web origin "${origin}" are not allowed.`);
  }
  const path = request.url;
  if (path === '/health' || path.startsWith('/health?')) return undefined;
  if (options.metricsWithoutToken && (path === '/metrics' || path.startsWith('/metrics?'))) return undefined;
  // The root is Ollama's "is it running" probe, part of the same door.
  if (options.ollamaDoorWithoutToken && (path.startsWith('/api/') || path === '/')) return undefined;

  const header = request.headers.authorization;
  const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
  if (token !== undefined && sameToken(token, expected)) return undefined;
  return new GatewayError(
    'unauthorized',
    token === undefined
      ? 'Missing bearer token. Send "Authorization: Bearer <token>" with the token from the daemon state file (daemon.json).'
      : 'Invalid bearer token. The token is in the daemon state file (daemon.json) and changes when the daemon restarts.',
  );
}
