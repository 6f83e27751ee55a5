/**
 * undici's `Pool` with its request API and its connector, and nothing else of undici.
 *
 * The package's index also loads fetch, WebSocket, EventSource, the mock agents and the cache
 * stores, which the daemon never uses and which cost about 9 MB of resident memory in a process
 * that stays up all day. These are the same modules the index loads, and the same prototype
 * assignment it makes (`Object.assign(Dispatcher.prototype, api)`), pinned to undici 7.
 */
import type { buildConnector as buildConnectorType, Pool as PoolType } from 'undici';

/* eslint-disable @typescript-eslint/no-require-imports */
const Dispatcher = require('undici/lib/dispatcher/dispatcher') as { prototype: object };
const api = require('undici/lib/api') as object;
const PoolClass = require('undici/lib/dispatcher/pool') as typeof PoolType;
const connectorBuilder = require('undici/lib/core/connect') as typeof buildConnectorType;
/* eslint-enable @typescript-eslint/no-require-imports */

if (!('request' in Dispatcher.prototype)) Object.assign(Dispatcher.prototype, api);

export const Pool = PoolClass;
export const buildConnector = connectorBuilder;
export type Pool = PoolType;
