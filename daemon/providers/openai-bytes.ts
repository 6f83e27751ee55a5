/**
 * An OpenAI-compatible server's streamed answer as a byte stream (`core/byte-stream.ts`): each
 * read goes on as it came, and the facts the gateway needs (the usage, the end, an error) are
 * read as it passes (`openai-stream-facts.ts`). An error event of the upstream's does not go
 * on: the read is cut before it and the stream fails with the error it reported, which the
 * door sends in its own shape.
 *
 * `ready` settles as `Provider.stream` does: once the first output is in, or the answer ended
 * without any (a failure before that, an error event included, rejects and may be retried
 * elsewhere). Chunks before it (a role-only first chunk) are held and go first, also to a sink
 * that started the stream before it (as soon as the upstream accepted it): a stream retried
 * elsewhere has sent its client nothing.
 */
import type { Readable } from 'node:stream';
import type { ByteProtocol, ByteSink, ByteStream } from '../core/byte-stream';
import type { CancelSignal } from '../core/cancellation';
import { isGatewayError } from '../core/errors';
import type { StreamEvent, Usage } from '../../shared/gateway';
import { asObject } from './json-payload';
import { choiceOutput, openAIStreamEvents } from './openai-stream';
import { OpenAIStreamFacts } from './openai-stream-facts';
import { sseEventsOf } from './sse-parser';
import { releaseBody } from './http-provider';
import { afterOutput, protocolError } from './upstream-errors';

type Outcome = { kind: 'open' } | { kind: 'ended' } | { kind: 'failed'; error: unknown };

export class OpenAIByteStream implements ByteStream {
  /** Settles once the first output is in; see the file comment. */
  readonly ready: Promise<OpenAIByteStream>;
  private resolveReady!: (stream: OpenAIByteStream) => void;
  private rejectReady!: (error: unknown) => void;
  private isReady = false;
  private outputAt = 0;
  private readonly facts: OpenAIStreamFacts;
  private sink: ByteSink | undefined;
  /** Chunks read before `start`, or before the first output. */
  private held: Buffer[] = [];
  /** Everything read, for `text()`. */
  private readonly raw: Buffer[] = [];
  private outcome: Outcome = { kind: 'open' };

  constructor(
    readonly protocol: ByteProtocol,
    private readonly provider: string,
    private readonly body: Readable,
    private readonly signal: CancelSignal,
    private readonly mapError: (error: unknown) => unknown,
  ) {
    this.facts = new OpenAIStreamFacts(provider);
    this.ready = new Promise((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    body.on('data', (chunk: Buffer) => this.onData(chunk));
    body.on('end', () => this.onEnd());
    body.on('error', (error: Error) => this.onError(error));
  }

  get usage(): Usage | undefined {
    return this.facts.usage;
  }

  get produced(): boolean {
    return this.facts.sawOutput;
  }

  get firstOutputAt(): number {
    return this.outputAt;
  }

  get done(): boolean {
    return this.facts.done;
  }

  start(sink: ByteSink): void {
    this.sink = sink;
    // Accepted, no output yet: the body is flowing, and the first output delivers what is held.
    if (!this.isReady) return;
    this.deliverHeld(sink);
    const outcome = this.outcome;
    if (outcome.kind === 'open') this.body.resume();
    else this.deliver(outcome);
  }

  pause(): void {
    this.body.pause();
  }

  resume(): void {
    if (this.sink !== undefined) this.body.resume();
  }

  release(reason?: unknown): void {
    releaseBody(this.body);
    // Without a reason (a hedge's loser) it is an abort, as an iterator's `return()` is on the event path: no failure to count.
    this.settle({ kind: 'failed', error: reason ?? (this.signal.aborted ? this.signal.reason : new DOMException('The stream was released.', 'AbortError')) });
  }

  text(): string {
    const kind = this.protocol === 'openai-chat' ? 'chat' : 'completion';
    let text = '';
    for (const event of sseEventsOf(Buffer.concat(this.raw).toString('utf8'))) {
      if (event.data === '[DONE]') continue;
      let chunk: unknown;
      try {
        chunk = JSON.parse(event.data);
      } catch {
        continue;
      }
      const choices = asObject(chunk)?.choices;
      const choice = Array.isArray(choices) ? asObject(choices[0]) : undefined;
      if (choice === undefined) continue;
      for (const output of choiceOutput(choice, kind)) text += output.type === 'text' ? output.text : output.type === 'tool_call' ? output.argumentsDelta : '';
    }
    return text;
  }

  parse(chunks: AsyncIterable<Uint8Array>): AsyncIterable<StreamEvent> {
    return openAIStreamEvents(this.provider, chunks, this.protocol === 'openai-chat' ? 'chat' : 'completion');
  }

  private onData(chunk: Buffer): void {
    if (this.outcome.kind !== 'open') return;
    const errorAt = this.facts.read(chunk);
    if (errorAt >= 0) chunk = chunk.subarray(0, errorAt);
    if (chunk.length > 0) {
      this.raw.push(chunk);
      if (this.sink === undefined || !this.isReady) this.held.push(chunk);
      else this.sink.chunk(chunk);
    }
    if (this.facts.error !== undefined) {
      // Before any output the attempt failed, and may be retried elsewhere; after, the stream ends here.
      this.release(this.afterOutput(this.facts.error));
      return;
    }
    if (!this.isReady && this.facts.sawOutput) this.becomeReady();
  }

  private becomeReady(): void {
    this.isReady = true;
    if (this.facts.sawOutput) this.outputAt = performance.now();
    const sink = this.sink;
    if (sink === undefined) this.body.pause();
    else {
      // Started on acceptance: what was held goes now, inside the read that brought the first output.
      this.deliverHeld(sink);
    }
    this.resolveReady(this);
  }

  private deliverHeld(sink: ByteSink): void {
    const held = this.held;
    this.held = [];
    for (let i = 0; i < held.length; i++) sink.chunk(held[i]!);
  }

  private onEnd(): void {
    const { done, finished } = this.facts;
    if (done || finished) {
      // An answer without output (a finish, no text) is still an answer.
      if (!this.isReady) this.becomeReady();
      this.settle({ kind: 'ended' });
    }
    else this.settle({ kind: 'failed', error: this.afterOutput(protocolError(this.provider, this.isReady ? 'the stream ended before its final event' : 'the stream ended before any output')) });
  }

  private onError(error: Error): void {
    this.settle({ kind: 'failed', error: this.afterOutput(this.mapError(error)) });
  }

  /** Once output went out, a failure is not retried (another provider would repeat it). */
  private afterOutput(error: unknown): unknown {
    if (this.signal.aborted) return this.signal.reason;
    return this.isReady && isGatewayError(error) ? afterOutput(error) : error;
  }

  private settle(outcome: Outcome): void {
    if (this.outcome.kind !== 'open') return;
    this.outcome = outcome;
    if (!this.isReady) {
      this.isReady = true;
      this.rejectReady(outcome.kind === 'failed' ? outcome.error : protocolError(this.provider, 'the stream ended before any output'));
      return;
    }
    if (this.sink !== undefined) this.deliver(outcome);
  }

  private deliver(outcome: Outcome): void {
    const sink = this.sink!;
    if (outcome.kind === 'ended') sink.end({ usage: this.facts.usage });
    else if (outcome.kind === 'failed') sink.fail(outcome.error);
  }
}

