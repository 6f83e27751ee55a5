/**
 * A pooled keep-alive connection the server has already closed. Some servers close after a
 * response while advertising keep-alive (some llama.cpp server builds do); the next request
 * sent on that socket fails before any byte of a response, with undici's "other side closed"
 * (`UND_ERR_SOCKET`), ECONNRESET or EPIPE. Such a request never reached the model and says
 * nothing about the provider's health: it is sent again at once on another connection.
 *
 * Whether the connection had been used is known only to the socket, so the pool's connector
 * watches each socket it opens and marks the errors of one that had already carried a reply
 * (`bytesRead > 0`). The error reaches the failing request as the same object.
 */
import type { Socket } from 'node:net';

const CARRIED_EARLIER_REPLIES = Symbol('switchyard.carriedEarlierReplies');

/** The codes a connection closed under a request shows, before any response byte. */
const CLOSED_UNDER_REQUEST = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

/** Called by the pool's connector for every socket it opens. */
export function watchForStaleClose(socket: Socket): void {
  socket.on('error', (error: unknown) => {
    if (socket.bytesRead > 0 && typeof error === 'object' && error !== null) {
      (error as { [CARRIED_EARLIER_REPLIES]?: boolean })[CARRIED_EARLIER_REPLIES] = true;
    }
  });
}

/**
 * Whether a request that failed before its response headers failed only because its pooled
 * connection had been closed by the server: safe to send again at once. (A server that sent
 * part of a status line and then closed looks the same; sending again is harmless there too.)
 */
export function failedOnStaleConnection(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && CLOSED_UNDER_REQUEST.has(code) && (error as { [CARRIED_EARLIER_REPLIES]?: boolean })[CARRIED_EARLIER_REPLIES] === true;
}
