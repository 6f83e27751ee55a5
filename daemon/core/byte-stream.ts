/**
 * A stream forwarded as the upstream's own bytes, for a door that speaks the provider's protocol
 * (the OpenAI door and an OpenAI-compatible provider). Where an event stream goes through the
 * provider's parser, the attempt, the route and the door's renderer, one async layer each, a
 * byte stream is one synchronous pass: each upstream read reaches the client's socket inside the
 * read's own `data` event, and each layer (budget and metrics, route statistics and breaker)
 * watches its outcome as a callback (`tapBytes`). The provider reads the protocol's facts the
 * layers and the door need (the first output, the usage, `[DONE]`, the end, an error event) as
 * the bytes pass, without parsing every event.
 */
import type { StreamEvent, Usage } from '../../shared/gateway';

export type ByteProtocol = 'openai-chat' | 'openai-completion';

/** How a byte stream ended with its final event. */
export interface ByteStreamEnd {
  /** As the provider reported it; undefined when it reported none (estimate from `ByteStream.text()`). */
  usage: Usage | undefined;
}

/** Where the chunks go; each method is called synchronously from the upstream's events. */
export interface ByteSink {
  /** One upstream read, as it came (it may end inside an event, or inside a UTF-8 sequence). */
  chunk(data: Buffer): void;
  /** The upstream sent its final event and closed. Called at most once, and never after `fail`. */
  end(end: ByteStreamEnd): void;
  /**
   * The upstream failed (an error event of its own included: that event is not among the
   * chunks), was cut or was released (an abort passes the abort reason, not a GatewayError).
   * Called at most once.
   */
  fail(error: unknown): void;
}

export interface ByteStream {
  readonly protocol: ByteProtocol;
  /**
   * Starts delivery: the chunks already read, then each later one as it arrives. Call once. A
   * stream may be started as soon as its upstream accepted it (`ProviderCall.acceptor`), before
   * its first output: the sink then gets nothing until that output, which comes in the same
   * call as the chunks held before it; a failure before it is not told to the sink, since it
   * fails the attempt instead (which the route executor may retry elsewhere).
   */
  start(sink: ByteSink): void;
  /** Stops reading from the socket (backpressure) until `resume`. */
  pause(): void;
  resume(): void;
  /** Stops delivery and aborts the upstream request; the sink gets `fail` if it had not ended. Safe to call twice. */
  release(reason?: unknown): void;
  /** The usage the upstream reported so far (its usage event comes before the end). */
  readonly usage: Usage | undefined;
  /** Output (text or a tool call) has been read; a stream is handed on once it has, or has ended. */
  readonly produced: boolean;
  /** `performance.now()` when the first output was read; 0 before. */
  readonly firstOutputAt: number;
  /** `[DONE]` has been read (when a chunk is delivered, its own facts are already counted). */
  readonly done: boolean;
  /** The output text so far, read from the bytes on demand (for an estimate when no usage came). */
  text(): string;
  /** The provider's parser of this protocol's chunks into events (`eventsOfBytes`). */
  parse(chunks: AsyncIterable<Uint8Array>): AsyncIterable<StreamEvent>;
}

/**
 * What a layer watches on a byte stream: its outcome (the chunks go straight to the consumer).
 * Each hook runs before the outcome goes on, and must not throw. An `end` hook may return a
 * promise (a budget's commit): the consumer's `end` waits for it, so a client sees its response
 * finish only once the request is accounted for.
 */
export interface ByteTap {
  /** The consumer started the stream (a stream released before it started goes through the hooks too). */
  start?(): void;
  end?(end: ByteStreamEnd): Promise<void> | void;
  fail?(error: unknown): void;
}

/** `inner` with `tap` run on its outcome, before the consumer's sink sees it. */
export function tapBytes(inner: ByteStream, tap: ByteTap): ByteStream {
  return new TappedBytes(inner, tap);
}

class TappedBytes implements ByteStream {
  readonly protocol: ByteProtocol;
  private started = false;

  constructor(
    private readonly inner: ByteStream,
    private readonly tap: ByteTap,
  ) {
    this.protocol = inner.protocol;
  }

  get usage(): Usage | undefined {
    return this.inner.usage;
  }

  get produced(): boolean {
    return this.inner.produced;
  }

  get firstOutputAt(): number {
    return this.inner.firstOutputAt;
  }

  get done(): boolean {
    return this.inner.done;
  }

  start(sink: ByteSink): void {
    this.started = true;
    const tap = this.tap;
    tap.start?.();
    this.inner.start(new TapSink(tap, sink));
  }

  pause(): void {
    this.inner.pause();
  }

  resume(): void {
    this.inner.resume();
  }

  release(reason?: unknown): void {
    // Released unstarted (a client that left first, a hedge's loser): the layers still settle.
    if (!this.started) this.start(DISCARD);
    this.inner.release(reason);
  }

  text(): string {
    return this.inner.text();
  }

  parse(chunks: AsyncIterable<Uint8Array>): AsyncIterable<StreamEvent> {
    return this.inner.parse(chunks);
  }
}

class TapSink implements ByteSink {
  constructor(
    private readonly tap: ByteTap,
    private readonly sink: ByteSink,
  ) {}

  chunk(data: Buffer): void {
    this.sink.chunk(data);
  }

  end(end: ByteStreamEnd): void {
    const settling = this.tap.end?.(end);
    if (settling === undefined) this.sink.end(end);
    else void settling.then(() => this.sink.end(end), () => this.sink.end(end));
  }

  fail(error: unknown): void {
    this.tap.fail?.(error);
    this.sink.fail(error);
  }
}

/**
 * The stream as events, for a consumer that does not speak its protocol (another door, the
 * editor's completions): started on the first read, parsed by the provider's own parser, with
 * every layer's tap on the way. Stopping early releases the upstream.
 */
export function eventsOfBytes(stream: ByteStream): AsyncIterable<StreamEvent> {
  return stream.parse(chunksOf(stream));
}

/** A read that is this far behind pauses the upstream until the reader catches up. */
const QUEUED_CHUNKS_BEFORE_PAUSE = 16;

async function* chunksOf(stream: ByteStream): AsyncGenerator<Buffer> {
  const queue: Buffer[] = [];
  let outcome: { failed: false } | { failed: true; error: unknown } | undefined;
  let paused = false;
  let wake: (() => void) | undefined;
  stream.start({
    chunk(data) {
      queue.push(data);
      if (!paused && queue.length >= QUEUED_CHUNKS_BEFORE_PAUSE) {
        paused = true;
        stream.pause();
      }
      wake?.();
    },
    end() {
      outcome = { failed: false };
      wake?.();
    },
    fail(error) {
      outcome = { failed: true, error };
      wake?.();
    },
  });
  try {
    for (;;) {
      if (queue.length > 0) {
        const data = queue.length === 1 ? queue[0]! : Buffer.concat(queue);
        queue.length = 0;
        if (paused) {
          paused = false;
          stream.resume();
        }
        yield data;
        continue;
      }
      if (outcome !== undefined) {
        if (outcome.failed) throw outcome.error;
        return;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
  } finally {
    if (outcome === undefined) stream.release();
  }
}

const DISCARD: ByteSink = { chunk() {}, end() {}, fail() {} };
