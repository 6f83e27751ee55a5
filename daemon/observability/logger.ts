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

export interface DaemonLoggers {
  /** Everything but the request lines: any object a caller hands it is redacted. */
  logger: Logger;
  /**
   * The one line per request, into the same stream. Its fields are only figures and names the
   * daemon fills in itself (no header, body or query string), so it skips the redaction walk,
   * which with wildcard paths costs several times the line itself.
   */
  requestLines: Logger;
}

/**
 * The daemon's loggers. By default they write to stderr through a buffer (flushed every 4 KiB,
 * and by `flush()` on close): a line per request must not cost a write call per request.
 */
export function createLoggers(level: string, destination?: NodeJS.WritableStream): DaemonLoggers {
  const stream = destination !== undefined ? (destination as pino.DestinationStream) : pino.destination({ dest: 2, sync: false, minLength: 4096 });
  const base = { pid: process.pid, name: 'switchyard' };
  return {
    logger: pino({ level, base, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, stream),
    requestLines: pino({ level, base }, stream),
  };
}
