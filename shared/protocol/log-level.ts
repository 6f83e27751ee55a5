import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from './string-enum';

/** pino's levels, most to least severe; "silent" logs nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Body of `PUT /v1/switchyard/log-level` and the editor's "Set Log Level" request. */
export const SetLogLevel = Type.Object({ level: StringEnum(LOG_LEVELS) }, { additionalProperties: false });
export type SetLogLevel = Static<typeof SetLogLevel>;

/** The daemon's log level now, and what it was before a change. */
export const LogLevelState = Type.Object({ level: StringEnum(LOG_LEVELS), previous: Type.Optional(StringEnum(LOG_LEVELS)) });
export type LogLevelState = Static<typeof LogLevelState>;
