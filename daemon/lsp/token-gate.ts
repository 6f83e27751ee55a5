import { timingSafeEqual } from 'node:crypto';
import { Emitter, type DataCallback, type Disposable, type Message, type MessageReader, type PartialMessageInfo } from 'vscode-languageserver-protocol/node';

/**
 * Wraps a connection's reader so nothing reaches the language server until the first message
 * proves the client holds the daemon's token: it must be `initialize` with
 * `initializationOptions.token`. Anything else is refused once with an error reply, and the
 * socket is closed by `onRefused`.
 */
export class TokenGatedReader implements MessageReader {
  private verified = false;
  private readonly refusedEmitter = new Emitter<{ id: number | string | null; reason: string }>();
  /** Fired once when the first message does not carry the token. */
  readonly onRefused = this.refusedEmitter.event;

  constructor(
    private readonly inner: MessageReader,
    private readonly token: string,
  ) {}

  get onError() {
    return this.inner.onError;
  }

  get onClose() {
    return this.inner.onClose;
  }

  get onPartialMessage() {
    return this.inner.onPartialMessage as MessageReader['onPartialMessage'] & ((listener: (info: PartialMessageInfo) => void) => Disposable);
  }

  listen(callback: DataCallback): Disposable {
    return this.inner.listen((message) => {
      if (this.verified) {
        callback(message);
        return;
      }
      const reason = refusal(message, this.token);
      if (reason === undefined) {
        this.verified = true;
        callback(message);
      } else {
        const id = (message as { id?: number | string }).id ?? null;
        this.refusedEmitter.fire({ id, reason });
      }
    });
  }

  dispose(): void {
    this.refusedEmitter.dispose();
    this.inner.dispose();
  }
}

/** Why a first message is refused, or undefined when it carries the token. */
function refusal(message: Message, token: string): string | undefined {
  const request = message as { method?: unknown; params?: { initializationOptions?: { token?: unknown } } };
  if (request.method !== 'initialize') return 'the first message must be "initialize"';
  const given = request.params?.initializationOptions?.token;
  if (typeof given !== 'string') return 'initializationOptions.token is missing';
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return 'the token does not match the state file';
  return undefined;
}
