import type { FastifyError } from 'fastify';
import type { OllamaErrorBody } from '../../shared/protocol/ollama';
import type { OpenAIErrorBody } from '../../shared/protocol/openai';
import { GatewayError, isGatewayError } from '../core/errors';
import { doorOfUrl } from './door-of-url';

/**
 * Maps anything thrown while serving a request to a GatewayError: the one place where
 * Fastify's own errors (bad JSON, schema validation, body too large) get codes.
 */
export function toGatewayError(error: unknown): GatewayError {
  if (isGatewayError(error)) return error;
  const fastifyError = error as Partial<FastifyError> & { validation?: { instancePath?: string; message?: string; params?: Record<string, unknown> }[] };
  if (fastifyError.validation && fastifyError.validation.length > 0) {
    const first = fastifyError.validation[0]!;
    const param = validationParam(first.instancePath, first.params);
    const where = param ? `'${param}'` : 'the request body';
    return new GatewayError('invalidRequest', `Invalid value for ${where}: ${first.message ?? 'not valid'}.`, { param });
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new GatewayError('bodyTooLarge', 'The request body is larger than this gateway accepts (server.body_limit_bytes).');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new GatewayError('invalidRequest', 'Send the request body as JSON (Content-Type: application/json).', { status: 415 });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new GatewayError('invalidRequest', 'The request body is empty; send a JSON object.');
    default:
      break;
  }
  if (error instanceof SyntaxError || fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return new GatewayError('invalidRequest', `The request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return new GatewayError('invalidRequest', fastifyError.message ?? 'Bad request.', { status: fastifyError.statusCode });
  }
  return new GatewayError('internal', 'The gateway failed while serving this request; see the daemon log.', { cause: error });
}

function validationParam(instancePath: string | undefined, params: Record<string, unknown> | undefined): string | undefined {
  const path = (instancePath ?? '').split('/').filter(Boolean);
  if (params && typeof params.missingProperty === 'string') path.push(params.missingProperty);
  if (params && typeof params.additionalProperty === 'string') path.push(params.additionalProperty);
  if (path.length === 0) return undefined;
  return path.reduce((key, part) => (/^\d+$/.test(part) ? `${key}[${part}]` : key === '' ? part : `${key}.${part}`), '');
}

export function openAIErrorBody(error: unknown): OpenAIErrorBody {
  const gatewayError = toGatewayError(error);
  return {
    error: {
      message: gatewayError.message,
      type: gatewayError.type,
      param: gatewayError.param ?? null,
      code: gatewayError.code,
      ...(gatewayError.details ? { switchyard: gatewayError.details } : {}),
    },
  };
}

export function ollamaErrorBody(error: unknown): OllamaErrorBody {
  return { error: toGatewayError(error).message };
}

/** The error body in the shape of the door the URL belongs to: Ollama's on `/api`, OpenAI's elsewhere. */
export function errorBodyForUrl(url: string, error: unknown): OpenAIErrorBody | OllamaErrorBody {
  return doorOfUrl(url) === 'ollama' ? ollamaErrorBody(error) : openAIErrorBody(error);
}
