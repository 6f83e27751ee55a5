import pino, { type Logger } from 'pino';

/**
 * Paths redacted from every log line. Keys and tokens must never reach a log, whatever
 * object a caller hands the logger.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["api-key"]',
  'headers.authorization',
  'headers["x-api-key"]',
  'apiKey',
  'token',
  '*.apiKey',
  '*.token',
  '*.authorization',
  '*.headers.authorization',
  '*.headers["x-api-key"]',
  'settings.apiKey',
  'providers[*].apiKey',
];

export function createLogger(level: string, destination: NodeJS.WritableStream = process.stderr): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid, name: 'switchyard' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    destination as pino.DestinationStream,
  );
}
