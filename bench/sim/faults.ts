import type { FaultKind } from './contract';
import type { SimSettings } from './settings';
import { WireReply, type Protocol } from './protocols/types';

/** Which fault, if any, hits this request: the header forces one; otherwise the seeded error rate decides. */
export function chooseFault(forced: FaultKind | undefined, settings: SimSettings): FaultKind | undefined {
  if (forced !== undefined) return forced;
  if (settings.errorRate <= 0) return undefined;
  if (settings.random() >= settings.errorRate) return undefined;
  const kinds = settings.errorKinds;
  return kinds[Math.floor(settings.random() * kinds.length)];
}

/** Faults answered at once, without taking a capacity slot. */
export function isImmediateFault(kind: FaultKind): boolean {
  return kind === 'http500' || kind === 'http503' || kind === 'http429' || kind === 'reset' || kind === 'garbage';
}

/** The 500 of a simulated server error: the `http500` fault, and `stream-error` on a reply that is not streamed. */
export function serverErrorReply(protocol: Protocol): WireReply {
  return protocol.error(500, 'The server had an error while processing your request (simulated).', 'server_error');
}

/** The protocol-shaped error a server sends for an HTTP fault. */
export function httpFaultReply(protocol: Protocol, kind: 'http500' | 'http503' | 'http429', retryAfterSeconds: number): WireReply {
  switch (kind) {
    case 'http500':
      return serverErrorReply(protocol);
    case 'http503':
      return protocol.error(503, 'The server is overloaded or not ready yet (simulated).', 'overloaded');
    case 'http429': {
      const limited = protocol.error(429, 'Rate limit reached for requests (simulated).', 'rate_limit_exceeded');
      return new WireReply(429, limited.body, limited.contentType, { ...limited.headers, 'retry-after': String(retryAfterSeconds) });
    }
  }
}

/** A 200 that is not the protocol: what a misconfigured proxy or a crashed server in front of the model sends. */
export function garbageReply(stream: boolean, streamContentType: string): WireReply {
  return stream
    ? new WireReply(200, 'data: {"choices": [ {"delta": \n\n<<<not an event>>>\n\n', streamContentType)
    : new WireReply(200, '<html><body><h1>502 Bad Gateway</h1></body></html> {"truncated":', 'application/json');
}
