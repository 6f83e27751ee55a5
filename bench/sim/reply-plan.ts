import { deterministicLength, generateText } from './deterministic-text';
import { buildToolCall } from './protocols/tool-call';
import type { FinishReason, ParsedGeneration, Reply, ToolCallOutput } from './protocols/types';
import type { RequestOverrides } from './request-overrides';
import type { SimSettings } from './settings';

/** When things happen for one reply, in `performance.now()` milliseconds. */
export interface ReplyTimes {
  /** Delay from generation start to the first token (streams). */
  firstTokenMs: number;
  firstTokenAt: number;
  /** Gap between streamed tokens; 0 sends them all with the first. */
  frameIntervalMs: number;
  /** Delay from generation start to a non-streamed reply. */
  totalMs: number;
}

/**
 * Decides what a request gets: the words (deterministic for seed, model and input), the
 * length (capped by the request's max tokens), and the timing from the settings.
 */
export function planReply(
  settings: SimSettings,
  request: ParsedGeneration,
  overrides: RequestOverrides,
  id: number,
  clock: { receivedAt: number; startedAt: number },
): { reply: Reply; times: ReplyTimes } {
  const content = request.requestSeed === undefined
    ? request.model + '\n' + request.input
    : request.model + '\n' + request.input + '\u0002' + request.requestSeed;
  const wanted = overrides.outputTokens
    ?? deterministicLength(content, settings.seed, settings.outputTokens.min, settings.outputTokens.max);
  let count = wanted;
  let finish: FinishReason = 'stop';
  if (request.maxTokens !== undefined && request.maxTokens < wanted) {
    count = Math.max(0, request.maxTokens);
    finish = 'length';
  }
  let toolCall: ToolCallOutput | undefined;
  let pieces: string[] = [];
  let text = '';
  if (request.tool !== undefined) {
    toolCall = buildToolCall(request.tool, `call_sim${id}`, content, settings.seed);
    finish = 'tool';
  } else {
    ({ pieces, text } = generateText(content, settings.seed, count));
  }
  let tokens = toolCall ? toolCall.fragments.length : count;
  let stopSequence: string | undefined;
  if (toolCall === undefined && request.stop !== undefined && request.stop.length > 0) {
    const stopped = cutAtStop(pieces, text, request.stop);
    if (stopped !== undefined) {
      ({ pieces, text, tokens, stopSequence } = stopped);
      finish = 'stop';
    }
  }

  const tps = settings.tokensPerSecond;
  const latency = overrides.latencyMs ?? settings.latency?.();
  const ttft = overrides.ttftMs ?? settings.ttft?.() ?? (request.stream ? latency : undefined) ?? 0;
  const totalMs = tps > 0 ? ttft + (tokens * 1000) / tps : latency ?? ttft;
  const times: ReplyTimes = {
    firstTokenMs: ttft,
    firstTokenAt: clock.startedAt + ttft,
    frameIntervalMs: tps > 0 ? 1000 / tps : 0,
    totalMs,
  };
  const reply: Reply = {
    request,
    id,
    created: Math.floor(Date.now() / 1000),
    pieces,
    text,
    finish,
    stopSequence,
    promptTokens: request.promptTokens,
    completionTokens: tokens,
    toolCall,
    timing: { receivedAt: clock.receivedAt, startedAt: clock.startedAt, firstTokenAt: clock.startedAt + ttft },
  };
  return { reply, times };
}

/**
 * Ends the output before the first stop sequence it contains, as servers do: the text up to
 * it is kept (the sequence itself is not), and the tokens generated up to it are counted.
 */
export function cutAtStop(pieces: string[], text: string, stops: readonly string[]):
  | { pieces: string[]; text: string; tokens: number; stopSequence: string }
  | undefined {
  let at = -1;
  let stopSequence = '';
  for (const stop of stops) {
    if (stop === '') continue;
    const found = text.indexOf(stop);
    if (found >= 0 && (at < 0 || found < at)) {
      at = found;
      stopSequence = stop;
    }
  }
  if (at < 0) return undefined;
  const end = at + stopSequence.length;
  const kept: string[] = [];
  let offset = 0;
  let tokens = 0;
  for (const piece of pieces) {
    if (offset >= end) break;
    tokens++;
    if (offset < at) kept.push(offset + piece.length <= at ? piece : piece.slice(0, at - offset));
    offset += piece.length;
  }
  return { pieces: kept, text: text.slice(0, at), tokens, stopSequence };
}
