import type { IncomingHttpHeaders } from 'node:http';
import {
  FAULT_KINDS,
  SIM_FAULT_HEADER,
  SIM_LATENCY_HEADER,
  SIM_OUTPUT_TOKENS_HEADER,
  SIM_TTFT_HEADER,
  type FaultKind,
} from './contract';

/** Per-request behaviour a test asks for with `x-sim-*` headers. */
export interface RequestOverrides {
  fault?: FaultKind;
  ttftMs?: number;
  latencyMs?: number;
  outputTokens?: number;
}

const NONE: RequestOverrides = Object.freeze({});

function readNumber(headers: IncomingHttpHeaders, name: string, integer: boolean): number | string | undefined {
  const raw = headers[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    return `${name} must be ${integer ? 'an integer' : 'a number'} >= 0, got ${JSON.stringify(raw)}`;
  }
  return value;
}

/** The overrides on this request, or a message saying which header is malformed. */
export function readOverrides(headers: IncomingHttpHeaders): RequestOverrides | string {
  const fault = headers[SIM_FAULT_HEADER];
  const ttft = readNumber(headers, SIM_TTFT_HEADER, false);
  const latency = readNumber(headers, SIM_LATENCY_HEADER, false);
  const output = readNumber(headers, SIM_OUTPUT_TOKENS_HEADER, true);
  if (fault === undefined && ttft === undefined && latency === undefined && output === undefined) return NONE;
  if (fault !== undefined && !FAULT_KINDS.includes(fault as FaultKind)) {
    return `${SIM_FAULT_HEADER} must be one of ${FAULT_KINDS.join(', ')}, got ${JSON.stringify(fault)}`;
  }
  for (const value of [ttft, latency, output]) if (typeof value === 'string') return value;
  return {
    fault: fault as FaultKind | undefined,
    ttftMs: ttft as number | undefined,
    latencyMs: latency as number | undefined,
    outputTokens: output as number | undefined,
  };
}
