import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { WireReply } from './protocols/types';

/** Real APIs cap bodies too (Anthropic: 32 MB); beyond this the simulator answers 413. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

export function sendWire(res: ServerResponse, reply: WireReply): void {
  const headers: OutgoingHttpHeaders = {
    'content-type': reply.contentType,
    'content-length': Buffer.byteLength(reply.body),
  };
  if (reply.headers) Object.assign(headers, reply.headers);
  res.writeHead(reply.status, headers);
  res.end(reply.body);
}

/** Reads the whole body as UTF-8; `undefined` when it is over the limit (the rest is drained and dropped). */
export function readBody(req: IncomingMessage, done: (body: string | undefined) => void): void {
  let body = '';
  let chars = 0; // UTF-16 units: close enough to bytes for a limit
  let tooLarge = false;
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => {
    if (tooLarge) return;
    chars += chunk.length;
    if (chars > MAX_BODY_BYTES) tooLarge = true;
    else body += chunk;
  });
  req.on('end', () => done(tooLarge ? undefined : body));
}
