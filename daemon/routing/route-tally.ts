/**
 * What happened to the requests of one route, counted as plain numbers on the request path
 * and read at scrape time (`/metrics`) or by `GET /v1/switchyard/providers`.
 */
export interface RouteTally {
  requests: number;
  served: number;
  /** Extra attempts on the same candidate. */
  retries: number;
  /** Moves to another candidate after a failure. */
  fallbacks: number;
  /** Hedged requests sent. */
  hedges: number;
  /** Hedges that answered first. */
  hedgeWins: number;
  deadlineExceeded: number;
  /** Requests that ended in an error other than the deadline (the caller's own, or every candidate failed). */
  failed: number;
}

export function newTally(): RouteTally {
  return { requests: 0, served: 0, retries: 0, fallbacks: 0, hedges: 0, hedgeWins: 0, deadlineExceeded: 0, failed: 0 };
}
