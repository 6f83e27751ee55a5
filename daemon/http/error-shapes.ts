import type { FastifyError } from 'fastify';
import type { OllamaErrorBody } from '../../shared/protocol/ollama';
import type { OpenAIErrorBody } from '../../shared/protocol/openai';
import { GatewayError, isGatewayError } from '../core/errors';
import { doorOfUrl } from './door-of-url';
import { openAICode, openAIType, type RequestErrorCode } from './openai-error-codes';

/**
 * Maps anything thrown while serving a request to a GatewayError: the one place where
 * Fastify's own errors (bad JSON, schema validation, body too large) get codes.
 */
/** A request error the door itself found, with the finer OpenAI code it has (`missing_required_parameter`, `invalid_json`…). */
export class RequestError extends GatewayError {
  constructor(
    readonly wireCode: RequestErrorCode,
    message: string,
    options: { param?: string; status?: number } = {},
  ) {
    super('invalidRequest', message, options);
  }
}

interface ValidationIssue {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
  data?: unknown;
}

/**
 * Maps anything thrown while serving a request to a GatewayError: the one place where
 * Fastify's own errors (bad JSON, schema validation, body too large) get codes.
 */
export function toGatewayError(error: unknown): GatewayError {
  if (isGatewayError(error)) return error;
  const fastifyError = error as Partial<FastifyError> & { validation?: ValidationIssue[] };
  if (fastifyError.validation && fastifyError.validation.length > 0) return validationError(fastifyError.validation);
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new GatewayError('bodyTooLarge', 'The request body is larger than this gateway accepts (server.body_limit_bytes).');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new RequestError('unsupported_media_type', 'Send the request body as JSON (Content-Type: application/json).', { status: 415 });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new RequestError('invalid_json', 'The request body is empty; send a JSON object.');
    default:
      break;
  }
  // Fastify's own message says the content type was JSON, which is not so on the Ollama door
  // (it reads any type as JSON); a parser's SyntaxError says where the text went wrong.
  if (fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return new RequestError('invalid_json', 'The request body is not valid JSON.');
  if (error instanceof SyntaxError) return new RequestError('invalid_json', `The request body is not valid JSON: ${error.message}`);
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return new GatewayError('invalidRequest', fastifyError.message ?? 'Bad request.', { status: fastifyError.statusCode });
  }
  return new GatewayError('internal', 'The gateway failed while serving this request; see the daemon log.', { cause: error });
}

/**
 * One message for a schema violation, naming the field and what it may be: the allowed values
 * of an enum or constant (a union's branches are gathered, so `n: 3` says "1 or null").
 */
function validationError(issues: ValidationIssue[]): RequestError {
  const first = issues[0]!;
  const param = validationParam(first.instancePath, first.params);
  const where = param ? `'${param}'` : 'the request body';
  if (first.keyword === 'required') return new RequestError('missing_required_parameter', `Missing required parameter: ${where}.`, { param });
  const same = issues.filter((issue) => issue.instancePath === first.instancePath && issue.keyword !== 'anyOf');
  const allowed: unknown[] = [];
  const types: string[] = [];
  for (const issue of same) {
    if (issue.keyword === 'const') allowed.push(issue.params?.allowedValue);
    else if (issue.keyword === 'enum' && Array.isArray(issue.params?.allowedValues)) allowed.push(...issue.params.allowedValues);
    else if (issue.keyword === 'type') types.push(String(issue.params?.type));
  }
  const given = 'data' in first ? ` ${JSON.stringify(first.data)}` : '';
  if (allowed.length > 0) {
    const choices = [...allowed.map((value) => JSON.stringify(value)), ...types.filter((type) => type === 'null')];
    return new RequestError('invalid_value', `Invalid value for ${where}:${given}. Supported values are: ${listOf(choices)}.`, { param });
  }
  if (same.length > 0 && same.every((issue) => issue.keyword === 'type')) {
    return new RequestError('invalid_type', `Invalid type for ${where}:${given}; expected ${listOf(types.flatMap((type) => type.split(',')))}.`, { param });
  }
  return new RequestError('invalid_value', `Invalid value for ${where}: ${first.message ?? 'not valid'}.`, { param });
}

function listOf(items: string[]): string {
  const unique = [...new Set(items)];
  return unique.length <= 1 ? (unique[0] ?? '') : `${unique.slice(0, -1).join(', ')} or ${unique.at(-1)}`;
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
      type: openAIType(gatewayError),
      param: gatewayError.param ?? null,
      code: openAICode(gatewayError),
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
