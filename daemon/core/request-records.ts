/**
 * The gateway's request, its chat turns and its sampling parameters as the doors build them:
 * classes whose fields are exactly their types' fields. The cache's hasher (request-hash.ts)
 * recognizes them and reads each field by name, where a plain object has to be enumerated to
 * find out what it holds. A plain object of the same fields hashes alike (a test checks it), so
 * requests built anywhere else, or copied with a spread, stay correct, only a little slower.
 *
 * Optional fields are `declare`d: an instance holds only the fields a door sets, as a literal
 * would, so enumerating one (the canonical text, JSON) gives what it gave before.
 */
import type { ChatMessage, ChatRole, ExtraContext, GatewayRequest, RequestKind, SamplingParams, ToolDefinition } from '../../shared/gateway';

export class ChatTurn implements ChatMessage {
  declare name?: string;
  declare tool_calls?: ChatMessage['tool_calls'];
  declare tool_call_id?: string;

  constructor(
    public role: ChatRole,
    public content: ChatMessage['content'],
  ) {}
}

export class SamplingRecord implements SamplingParams {
  declare temperature?: number;
  declare top_p?: number;
  declare top_k?: number;
  declare min_p?: number;
  declare max_tokens?: number;
  declare seed?: number;
  declare stop?: string[];
  declare presence_penalty?: number;
  declare frequency_penalty?: number;
  declare repeat_penalty?: number;
  declare reasoning_effort?: string;
}

export class RequestRecord implements GatewayRequest {
  declare messages?: ChatMessage[];
  declare prompt?: string;
  declare suffix?: string;
  declare system?: string;
  declare raw?: boolean;
  declare extraContext?: ExtraContext[];
  declare tools?: ToolDefinition[];
  declare tool_choice?: unknown;
  declare response_format?: unknown;
  declare keepAlive?: string | number;

  constructor(
    public kind: RequestKind,
    public model: string,
    public stream: boolean,
    public params: SamplingParams,
  ) {}
}

// Each record declares every field of its type (no more: `implements` checks that): a field
// added to the type fails to compile here until its record declares it.
type SameFields<Record, Type> = [Exclude<keyof Type, keyof Record>] extends [never] ? true : false;
const turnComplete: SameFields<ChatTurn, ChatMessage> = true;
const samplingComplete: SameFields<SamplingRecord, SamplingParams> = true;
const requestComplete: SameFields<RequestRecord, GatewayRequest> = true;
void [turnComplete, samplingComplete, requestComplete];
