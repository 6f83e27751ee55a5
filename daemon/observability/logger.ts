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

function ignoreFlushError(): void {}

/** The longest a line waits in the log's buffer when too few follow it to fill the buffer. */
export const LOG_FLUSH_WITHIN_MS = 200;

type BufferedDestination = ReturnType<typeof pino.destination>;

/**
 * A buffered destination whose waiting lines are also written within `ms` of the first of them.
 * Under load the buffer fills and is written by size, one write for many lines; a quiet daemon's
 * last lines (the warning about a provider, the one request someone is watching for in the log
 * file) would otherwise wait in memory until 4 KiB more came. The timer runs only while lines
 * wait, so an idle daemon is never woken by it.
 */
export function flushedWithin(destination: BufferedDestination, ms: number): pino.DestinationStream & { flush(callback?: (error?: Error) => void): void } {
  let timer: NodeJS.Timeout | undefined;
  const flushWaiting = (): void => {
    timer = undefined;
    // With a callback, a destination closed in the meantime (the process exiting) reports
    // that instead of throwing; it has nothing left to write.
    destination.flush(ignoreFlushError);
  };
  return {
    write(line: string): boolean {
      const accepted = destination.write(line);
      if (timer === undefined) {
        timer = setTimeout(flushWaiting, ms);
        timer.unref();
      }
      return accepted;
    },
    flush(callback?: (error?: Error) => void): void {
      clearTimeout(timer);
      timer = undefined;
      destination.flush(callback);
    },
  };
}

/**
 * The daemon's loggers. By default they write to stderr through a buffer (written every 4 KiB,
 * within `LOG_FLUSH_WITHIN_MS` of a line when fewer come, and by `flush()` on close): a line
 * per request must not cost a write call per request.
 */
export function createLoggers(level: string, destination?: NodeJS.WritableStream): DaemonLoggers {
  const stream = destination !== undefined ? (destination as pino.DestinationStream) : flushedWithin(pino.destination({ dest: 2, sync: false, minLength: 4096 }), LOG_FLUSH_WITHIN_MS);
  const base = { pid: process.pid, name: 'switchyard' };
  return {
    logger: pino({ level, base, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, stream),
    requestLines: pino({ level, base }, stream),
  };
}

/**
 * Writes one line of flat fields (strings, numbers, booleans; undefined ones left out) in the shape
 * pino gives its lines (level, time, the logger's bindings, the fields, msg) and into the same
 * stream. For a line written on every request, pino's generic walk over the object (with its
 * per-value serializer checks) costs more than the line itself; one `JSON.stringify` of a flat
 * object does the same. The caller checks the level first.
 */
export function writeFlatLine(logger: Logger, level: 'info' | 'debug', fields: Record<string, string | number | boolean | undefined>, msg: string): void {
  const internals = logger as unknown as Record<symbol, unknown>;
  const stream = internals[pino.symbols.streamSym] as { write(line: string): void };
  const bindings = internals[pino.symbols.chindingsSym] as string;
  const json = JSON.stringify(fields);
  const rendered = json.length > 2 ? `,${json.slice(1, -1)}` : '';
  stream.write(`{"level":${logger.levels.values[level]},"time":${Date.now()}${bindings}${rendered},"msg":${JSON.stringify(msg)}}\n`);
}
