import { LSPErrorCodes, ResponseError } from 'vscode-languageserver-protocol';
import type { SwitchyardErrorData } from '../../shared/lsp/protocol';
import { GatewayError, isAbortError, isGatewayError } from '../core/errors';

/** The answer to a request the client cancelled: silent on both sides (no log, no notification). */
export function cancelled(): ResponseError<undefined> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
}

/**
 * The one mapping from anything a handler throws to what the editor receives: a GatewayError
 * keeps its code and status in `data`; anything else is an internal error (logged by the caller).
 */
export function toResponseError(error: unknown): ResponseError<SwitchyardErrorData | undefined> {
  if (isAbortError(error)) return cancelled();
  const gatewayError = isGatewayError(error) ? error : new GatewayError('internal', 'The daemon failed while serving this request; see its log.', { cause: error });
  const data: SwitchyardErrorData = {
    code: gatewayError.code,
    status: gatewayError.status,
    ...(gatewayError.retryAfterMs !== undefined ? { retryAfterMs: gatewayError.retryAfterMs } : {}),
    ...(gatewayError.details !== undefined ? { details: gatewayError.details } : {}),
  };
  return new ResponseError(LSPErrorCodes.RequestFailed, gatewayError.message, data);
}
