import type { Logger } from 'pino';
import { LOG_LEVELS, type LogLevel, type LogLevelState } from '../../shared/protocol/log-level';

/**
 * The one place the daemon's log level changes while it runs, for the admin route and the
 * editor's "Set Log Level" command alike. Request loggers are children of the HTTP server's
 * logger made per request, so the next request logs at the new level.
 */
export class LogLevelControl {
  private readonly loggers: Logger[];

  constructor(private readonly logger: Logger) {
    this.loggers = [logger];
  }

  /** A child made before a change keeps its own level (pino copies it at creation): such children are listed here. */
  follow(child: Logger): void {
    if (!this.loggers.includes(child)) this.loggers.push(child);
  }

  get level(): LogLevel {
    return this.logger.level as LogLevel;
  }

  set(level: LogLevel): LogLevelState {
    if (!(LOG_LEVELS as readonly string[]).includes(level)) throw new RangeError(`unknown log level "${level}"; one of ${LOG_LEVELS.join(', ')}`);
    const previous = this.level;
    for (const logger of this.loggers) logger.level = level;
    if (previous !== level) this.logger.info({ level, previous }, 'log level changed');
    return { level, previous };
  }
}
