import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { FaultKind, SimRequestRecord } from './contract';
import { chooseFault, garbageReply, httpFaultReply, isImmediateFault, serverErrorReply } from './faults';
import { sendWire } from './http-io';
import type { QueueTicket } from './capacity-queue';
import { WireReply, type GenerationRoute, type ParsedGeneration, type Reply, type StreamPlan } from './protocols/types';
import { planReply, type ReplyTimes } from './reply-plan';
import { readOverrides, type RequestOverrides } from './request-overrides';
import type { SimState } from './sim-state';

/** A method of Exchange run by a timer or by the queue. */
type Step = (this: Exchange) => void;

/** A bug in the simulator must cost one request, not the process (and with it a benchmark). */
function runStep(exchange: Exchange, step: Step): void {
  try {
    step.call(exchange);
  } catch (error) {
    exchange.failInternally(error);
  }
}

/**
 * One generation request from body to last byte: validation, faults, the capacity queue,
 * timing and the client's abort. One timer at a time; none at all when there is nothing to wait for.
 * It is its own ticket in the capacity queue, and its steps are methods handed to `runStep`,
 * so a request allocates no closures for them (the simulator serves tens of thousands a second).
 */
export class Exchange implements QueueTicket {
  /** Where this request stands in the capacity queue (the queue sets it). */
  state: QueueTicket['state'] = 'waiting';
  private inQueue = false;
  private settled = false;
  private timer: NodeJS.Timeout | undefined;
  private fault: FaultKind | undefined;
  private overrides!: RequestOverrides;
  private parsed!: ParsedGeneration;
  private receivedAt = performance.now();
  private reply!: Reply;
  private times!: ReplyTimes;
  private plan: StreamPlan | undefined;
  private nextFrame = 0;
  private lastFrame = 0;

  constructor(
    private readonly sim: SimState,
    private readonly route: GenerationRoute,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly record: SimRequestRecord,
  ) {
    res.on('close', () => this.onClose());
  }

  /** Runs the request whose body has been read. */
  run(rawBody: string): void {
    if (this.settled) return;
    const { route, sim } = this;
    const protocol = route.protocol;
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      return this.respond(protocol.error(400, 'We could not parse the JSON body of your request. Send valid JSON.', 'invalid_json'));
    }
    this.record.body = body;
    const apiKey = sim.settings.apiKey;
    if (apiKey !== undefined && !protocol.hasKey(this.req.headers, apiKey)) {
      return this.respond(protocol.error(401, 'Incorrect API key provided.', 'invalid_api_key'));
    }
    const overrides = readOverrides(this.req.headers);
    if (typeof overrides === 'string') return this.respond(protocol.error(400, overrides, 'invalid_sim_header'));
    const parsed = route.parse(body, this.req.headers, sim.settings);
    if (parsed instanceof WireReply) return this.respond(parsed);
    this.overrides = overrides;
    this.parsed = parsed;
    this.record.model = parsed.model;
    this.record.stream = parsed.stream;
    sim.recorder.notePrompt(this.record, parsed.model, parsed.input);
    this.fault = chooseFault(overrides.fault, sim.settings);
    if (this.fault !== undefined) {
      this.record.fault = this.fault;
      sim.recorder.countFault();
      if (isImmediateFault(this.fault)) return this.immediateFault(this.fault);
      if (this.fault === 'stall') return this.stall();
    }
    this.inQueue = true;
    sim.queue.enter(this);
  }

  /** The queue gave this request a slot. */
  start(): void {
    runStep(this, this.generate);
  }

  /** An error thrown by the simulator itself: a 500, or a cut connection once the reply is under way. */
  failInternally(error: unknown): void {
    if (this.settled) return;
    if (this.res.headersSent) {
      this.cut(500);
      this.req.socket.destroy();
      return;
    }
    this.respond(this.route.protocol.error(500, `simulator error: ${(error as Error).message}`, 'server_error'));
  }

  /** The body was over the limit. */
  rejectTooLarge(): void {
    if (!this.settled) this.respond(this.route.protocol.error(413, 'Request exceeds the maximum allowed number of bytes.'));
  }

  private immediateFault(kind: FaultKind): void {
    if (kind === 'reset') {
      this.cut(undefined);
      this.req.socket.destroy();
    } else if (kind === 'garbage') {
      this.respond(garbageReply(this.parsed.stream, this.route.streamContentType));
    } else {
      this.respond(httpFaultReply(this.route.protocol, kind as 'http500' | 'http503' | 'http429', this.sim.settings.retryAfterSeconds));
    }
  }

  /** Never answers (a streamed reply gets its headers, then nothing); only the client's abort ends it. */
  private stall(): void {
    if (this.parsed.stream) {
      this.res.writeHead(200, { 'content-type': this.route.streamContentType, 'cache-control': 'no-cache' });
      this.res.flushHeaders();
    }
  }

  private generate(): void {
    if (this.settled) return;
    this.record.startedAt = Date.now();
    const startedAt = performance.now();
    const { reply, times } = planReply(this.sim.settings, this.parsed, this.overrides, this.record.id, {
      receivedAt: this.receivedAt,
      startedAt,
    });
    this.reply = reply;
    this.times = times;
    this.record.usage = { promptTokens: reply.promptTokens, completionTokens: reply.completionTokens };
    if (this.parsed.stream) this.beginStream();
    else this.wait(times.totalMs, this.sendWhole);
  }

  private wait(delayMs: number, step: Step): void {
    if (delayMs <= 0) runStep(this, step);
    else this.timer = setTimeout(runStep, delayMs, this, step);
  }

  private sendWhole(): void {
    this.timer = undefined;
    if (this.fault === 'stream-error') return this.respond(serverErrorReply(this.route.protocol));
    const body = this.route.body(this.reply);
    if (this.fault !== 'midstream') return this.respond(new WireReply(200, body, 'application/json'));
    const bytes = Buffer.from(body);
    this.res.writeHead(200, { 'content-type': 'application/json', 'content-length': bytes.length });
    this.cutAfter(bytes.subarray(0, bytes.length >> 1), 200);
  }

  private beginStream(): void {
    const plan = this.route.stream(this.reply);
    this.plan = plan;
    const count = plan.frameCount;
    this.lastFrame = this.fault === 'midstream' ? Math.max(1, count >> 1) : this.fault === 'stream-error' ? count >> 1 : count;
    this.lastFrame = Math.min(this.lastFrame, count);
    this.res.writeHead(200, { 'content-type': this.route.streamContentType, 'cache-control': 'no-cache' });
    if (this.times.firstTokenMs > 0) this.res.flushHeaders();
    this.wait(this.times.firstTokenMs, this.streamStep);
  }

  /** Sends every frame that is due (one, unless the timer ran late), then ends or schedules the next. */
  private streamStep(): void {
    this.timer = undefined;
    const plan = this.plan!;
    const interval = this.times.frameIntervalMs;
    let chunk = this.nextFrame === 0 ? plan.head() : '';
    let due = this.lastFrame;
    if (interval > 0) {
      const elapsed = performance.now() - this.times.firstTokenAt;
      due = Math.min(this.lastFrame, Math.max(this.nextFrame + 1, Math.floor(elapsed / interval) + 1));
    }
    while (this.nextFrame < due) chunk += plan.frame(this.nextFrame++);
    if (this.nextFrame < this.lastFrame) {
      this.res.write(chunk);
      const nextAt = this.times.firstTokenAt + this.nextFrame * interval;
      this.timer = setTimeout(runStep, Math.max(0, nextAt - performance.now()), this, this.streamStep);
      return;
    }
    if (this.fault === 'midstream') return this.cutAfter(chunk, 200);
    chunk += this.fault === 'stream-error' ? plan.errorFrame() : plan.tail();
    this.res.end(chunk);
    this.settle(200);
  }

  private respond(reply: WireReply): void {
    sendWire(this.res, reply);
    this.settle(reply.status);
  }

  /** Writes `data`, then destroys the socket once it is flushed: the client sees a cut connection. */
  private cutAfter(data: string | Uint8Array, status: number): void {
    this.cut(status);
    this.res.write(data, () => this.req.socket.destroy());
  }

  /** Records the end before freeing the slot, so the next request never seems to overlap this one. */
  private settle(status: number): void {
    this.sim.recorder.finish(this.record, status);
    this.release();
  }

  private cut(status: number | undefined): void {
    this.sim.recorder.cut(this.record, status);
    this.release();
  }

  private release(): void {
    this.settled = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.inQueue) this.sim.queue.leave(this);
  }

  private onClose(): void {
    if (this.settled) return;
    this.release();
    this.sim.recorder.abort(this.record);
  }
}
