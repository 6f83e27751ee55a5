/**
 * What happened to the requests of one route, counted as plain numbers on the request path
 * and read at scrape time (`/metrics`) or by `GET /v1/switchyard/providers`, whose response
 * schema uses this one.
 */
import { Type, type Static } from '@sinclair/typebox';

export const RouteTally = Type.Object({
  requests: Type.Integer(),
  served: Type.Integer(),
  /** Extra attempts on the same candidate. */
  retries: Type.Integer(),
  /** Retries that served the request. */
  retryWins: Type.Integer(),
  /** Retries that failed too. */
  retryLosses: Type.Integer(),
  /** Moves to another candidate after a failure. */
  fallbacks: Type.Integer(),
  /** Fallbacks whose candidate served the request. */
  fallbackWins: Type.Integer(),
  /** Fallbacks whose candidate failed too. */
  fallbackLosses: Type.Integer(),
  /** Hedged requests sent. */
  hedges: Type.Integer(),
  /** Hedges that answered first. */
  hedgeWins: Type.Integer(),
  /** Hedges the primary beat, or that failed. */
  hedgeLosses: Type.Integer(),
  deadlineExceeded: Type.Integer(),
  /** Requests that ended in an error other than the deadline (the caller's own, or every candidate failed). */
  failed: Type.Integer(),
});
export type RouteTally = Static<typeof RouteTally>;

export function newTally(): RouteTally {
  return { requests: 0, served: 0, retries: 0, retryWins: 0, retryLosses: 0, fallbacks: 0, fallbackWins: 0, fallbackLosses: 0, hedges: 0, hedgeWins: 0, hedgeLosses: 0, deadlineExceeded: 0, failed: 0 };
}
