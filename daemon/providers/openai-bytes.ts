/**
 * An OpenAI-compatible server's streamed answer as a byte stream (`core/byte-stream.ts`): each
 * read goes on as it came, decoded, and the facts the gateway needs are read as it passes. The
 * facts stand out in the bytes without parsing every event, because a JSON string escapes its
 * quotes: `"usage":{`, `"finish_reason":"` and `"error":` with bare quotes are keys, never
 * text. Only the events that carry one (the usage event, an error event) are parsed, once.
 * An error event of the upstream's does not go on: the read is cut before it and the stream
 * fails with the error it reported, which the door sends in its own shape.
 *
 * `ready` settles as `Provider.stream` does: once the first data event is in (a failure before
 * that, an error event among them included, rejects and may be retried elsewhere).
 */
import type { Readable } from 'node:stream';
import type { ByteProtocol, ByteSink, ByteStream } from '../core/byte-stream';
import type { CancelSignal } from '../core/cancellation';
import { isGatewayError } from '../core/errors';
import type { StreamEvent, Usage } from '../../shared/gateway';
import { asNumber, asObject, parseSseChunk } from './json-payload';
import { SseParser, type SseEvent } from './sse-parser';
import { afterOutput, protocolError } from './upstream-errors';
import { openAIStreamEvents } from './openai-stream';

/** Where an event ends: a blank line, with any of SSE's line endings. */
const EVENT_END = /\r\n\r\n|\n\n|\r\r/g;
const DATA_LINE = /(?:^|[\r\n])data:/;
const DONE_LINE = /(?:^|[\r\n])data: ?\[DONE\][\r\n]/;
const FINISH_KEY = /"finish_reason":\s*"/;
/** An event worth parsing: the usage, an error (an `error` key or an `event: error` field). */
const FACT = /"usage":\s*\{|"error":|(?:^|[\r\n])event:\s*error/;

type Outcome = { kind: 'open' } | { kind: 'ended' } | { kind: 'failed'; error: unknown };

export class OpenAIByteStream implements ByteStream {
  usage: Usage | undefined;
  /** Settles once the first data event is in; see the file comment. */
  readonly ready: Promise<OpenAIByteStream>;
  private resolveReady!: (stream: OpenAIByteStream) => void;
  private rejectReady!: (error: unknown) => void;
  private isReady = false;
  private sink: ByteSink | undefined;
  /** Chunks read before `start`. */
  private held: string[] = [];
  /** Everything read, for `text()`. */
  private raw = '';
  /** The unfinished event at the end of what was read, scanned once it completes. */
  private tail = '';
  /** A whole data event has been read: the upstream has answered. */
  private sawData = false;
  private done = false;
  private finished = false;
  /** An error event the upstream sent. */
  private upstreamError: unknown;
  private outcome: Outcome = { kind: 'open' };

  constructor(
    readonly protocol: ByteProtocol,
    private readonly provider: string,
    private readonly body: Readable,
    private readonly signal: CancelSignal,
    private readonly mapError: (error: unknown) => unknown,
  ) {
    this.ready = new Promise((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    body.setEncoding('utf8');
    body.on('data', (text: string) => this.onData(text));
    body.on('end', () => this.onEnd());
    body.on('error', (error: Error) => this.onError(error));
  }

  start(sink: ByteSink): void {
    this.sink = sink;
    const held = this.held;
    this.held = [];
    for (let i = 0; i < held.length; i++) sink.chunk(held[i]!);
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
    if (!this.body.destroyed && !this.body.readableEnded) this.body.on('error', ignore).destroy();
    this.settle({ kind: 'failed', error: reason ?? (this.signal.aborted ? this.signal.reason : new Error('the stream was released')) });
  }

  text(): string {
    const events: SseEvent[] = [];
    const parser = new SseParser();
    parser.push(this.raw, events);
    parser.end(events);
    let text = '';
    for (const event of events) {
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
      if (this.protocol === 'openai-completion') {
        if (typeof choice.text === 'string') text += choice.text;
        continue;
      }
      const delta = asObject(choice.delta);
      if (typeof delta?.content === 'string') text += delta.content;
      if (Array.isArray(delta?.tool_calls)) {
        for (const call of delta.tool_calls) {
          const args = asObject(asObject(call)?.function)?.arguments;
          if (typeof args === 'string') text += args;
        }
      }
    }
    return text;
  }

  parse(chunks: AsyncIterable<string>): AsyncIterable<StreamEvent> {
    return openAIStreamEvents(this.provider, chunks, this.protocol === 'openai-chat' ? 'chat' : 'completion');
  }

  private onData(text: string): void {
    if (this.outcome.kind !== 'open') return;
    const errorAt = this.scan(text);
    if (errorAt >= 0) text = text.slice(0, errorAt);
    this.raw += text;
    if (text.length > 0) this.deliverChunk(text);
    if (this.upstreamError !== undefined) {
      // Before any output the attempt failed, and may be retried elsewhere; after, the stream ends here.
      this.release(this.afterOutput(this.upstreamError));
      return;
    }
    if (!this.isReady && this.sawData) {
      this.isReady = true;
      this.body.pause();
      this.resolveReady(this);
    }
  }

  private deliverChunk(text: string): void {
    if (this.sink === undefined) this.held.push(text);
    else this.sink.chunk(text);
  }

  /**
   * Reads the facts of the events this read completes; returns where in `text` an upstream
   * error event begins, or -1.
   */
  private scan(text: string): number {
    const before = this.tail.length;
    const window = before > 0 ? this.tail + text : text;
    let end = -1;
    EVENT_END.lastIndex = 0;
    for (let match = EVENT_END.exec(window); match !== null; match = EVENT_END.exec(window)) end = match.index + match[0].length;
    if (end < 0) {
      this.tail = window;
      return -1;
    }
    const complete = end === window.length ? window : window.slice(0, end);
    this.tail = end === window.length ? '' : window.slice(end);
    if (!this.sawData && DATA_LINE.test(complete)) this.sawData = true;
    if (!this.done && DONE_LINE.test(complete)) this.done = true;
    if (!this.finished && FINISH_KEY.test(complete)) this.finished = true;
    if (!FACT.test(complete)) return -1;
    const errorAt = this.readFacts(complete);
    return errorAt < 0 ? -1 : Math.max(0, errorAt - before);
  }

  /** Parses the events that carry a fact; returns where an error event begins in `complete`, or -1. */
  private readFacts(complete: string): number {
    let start = 0;
    EVENT_END.lastIndex = 0;
    for (let match = EVENT_END.exec(complete); match !== null; match = EVENT_END.exec(complete)) {
      const eventEnd = match.index + match[0].length;
      const text = complete.slice(start, eventEnd);
      if (FACT.test(text)) {
        const events: SseEvent[] = [];
        new SseParser().push(text, events);
        for (const event of events) {
          if (event.data === '[DONE]') continue;
          try {
            const chunk = parseSseChunk(this.provider, event);
            const usage = asObject(chunk.usage);
            const promptTokens = asNumber(usage?.prompt_tokens);
            const completionTokens = asNumber(usage?.completion_tokens);
            if (promptTokens !== undefined && completionTokens !== undefined) this.usage = { promptTokens, completionTokens };
          } catch (error) {
            this.upstreamError = error;
            return start;
          }
        }
      }
      start = eventEnd;
    }
    return -1;
  }

  private onEnd(): void {
    if (!this.done && !this.finished) {
      this.settle({ kind: 'failed', error: this.afterOutput(protocolError(this.provider, this.isReady ? 'the stream ended before its final event' : 'the stream ended before any event')) });
    } else this.settle({ kind: 'ended' });
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
      this.rejectReady(outcome.kind === 'failed' ? outcome.error : protocolError(this.provider, 'the stream ended before any event'));
      return;
    }
    if (this.sink !== undefined) this.deliver(outcome);
  }

  private deliver(outcome: Outcome): void {
    const sink = this.sink!;
    if (outcome.kind === 'ended') sink.end({ usage: this.usage });
    else if (outcome.kind === 'failed') sink.fail(outcome.error);
  }
}

function ignore(): void {}
