import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseHeyOutput, parseWrkOutput, wrkDurationMs } from '../../../bench/crosscheck/external-tools';

const WRK = `Running 1s test @ http://127.0.0.1:18555/
  2 threads and 10 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     7.13ms    6.45ms  54.08ms   95.92%
    Req/Sec   815.10    115.56     0.96k    85.00%
  Latency Distribution
     50%    5.50ms
     75%    5.93ms
     90%    8.72ms
     99%   47.74ms
  1643 requests in 1.02s, 442.84KB read
Requests/sec:   1612.42
Transfer/sec:    434.60KB
`;

const HEY = `
Summary:
  Total:	0.1198 secs
  Requests/sec:	1670.1123

Latency distribution:
  10% in 0.0050 secs
  50% in 0.0058 secs
  99% in 0.0092 secs
`;

test('wrk and hey output is read into the same figures', () => {
  assert.deepEqual(parseWrkOutput(WRK), { requestsPerSecond: 1612.42, p50Ms: 5.5, p99Ms: 47.74 });
  const hey = parseHeyOutput(HEY);
  assert.equal(hey.requestsPerSecond, 1670.1123);
  assert.ok(Math.abs(hey.p50Ms! - 5.8) < 1e-9 && Math.abs(hey.p99Ms! - 9.2) < 1e-9);
  assert.equal(wrkDurationMs('450.00us'), 0.45);
  assert.equal(wrkDurationMs('1.02s'), 1020);
  assert.throws(() => parseWrkOutput('connection refused'), /could not read wrk's output/);
});
