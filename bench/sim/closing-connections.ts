/**
 * The close-after-response mode (`closeAfterResponseMs`): some llama.cpp server builds close
 * the connection after a response while advertising `Keep-Alive: timeout=5, max=100`. A client
 * that pools connections sends its next request on that socket; the server never reads it, and
 * the client sees the connection closed before any response byte ("other side closed", or
 * ECONNRESET). This reproduces it: each response advertises keep-alive, the connection is
 * closed `closeAfterResponseMs` after the response finished, and a request that arrives on it in
 * between is left unanswered.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** What that server build says, whatever it then does. */
const ADVERTISED_KEEP_ALIVE = 'timeout=5, max=100';

export class ClosingConnections {
  /** Connections the server has decided to close: it reads nothing more from them. */
  private readonly closing = new WeakSet<Socket>();

  /** Whether a request arrived on a connection already due to close (it is then drained and left unanswered). */
  refuses(req: IncomingMessage): boolean {
    if (!this.closing.has(req.socket)) return false;
    req.resume();
    return true;
  }

  /** Advertises keep-alive on the response, and closes its connection once the response is done. */
  closeAfter(res: ServerResponse, delayMs: number): void {
    const socket = res.socket;
    if (socket === null) return;
    res.setHeader('connection', 'keep-alive');
    res.setHeader('keep-alive', ADVERTISED_KEEP_ALIVE);
    res.once('finish', () => {
      this.closing.add(socket);
      if (delayMs === 0) socket.end();
      else setTimeout(() => socket.end(), delayMs).unref();
    });
  }
}
