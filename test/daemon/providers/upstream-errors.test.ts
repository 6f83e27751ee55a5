import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../../../daemon/core/errors';
import { errorFromStatus, errorFromTransport, extractUpstreamMessage, parseRetryAfter } from '../../../daemon/providers/upstream-errors';

function coded(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

describe('HTTP status → GatewayError', () => {
  for (const status of [400, 401, 403, 404, 422]) {
    it(`${status} is the caller's: upstreamRejected with that status, not retryable`, () => {
      const error = errorFromStatus('p', status, 'model "x" not found');
      assert.equal(error.code, 'upstreamRejected');
      assert.equal(error.status, status);
      assert.equal(error.retryable, false);
      assert.match(error.message, /model "x" not found/);
      assert.match(error.message, /^p /);
    });
  }

  it('429 is upstreamRateLimited with retryAfterMs from Retry-After seconds', () => {
    const error = errorFromStatus('p', 429, 'slow down', { 'retry-after': '7' });
    assert.equal(error.code, 'upstreamRateLimited');
    assert.equal(error.status, 429);
    assert.equal(error.retryable, true);
    assert.equal(error.retryAfterMs, 7000);
  });

  for (const [status, code] of [
    [500, 'upstreamError'],
    [502, 'upstreamError'],
    [503, 'upstreamUnavailable'],
    [504, 'upstreamUnavailable'],
    [529, 'upstreamUnavailable'],
  ] as const) {
    it(`${status} is ${code}, retryable`, () => {
      const error = errorFromStatus('p', status, '');
      assert.equal(error.code, code);
      assert.equal(error.retryable, true);
    });
  }
});

describe('Retry-After', () => {
  it('is also read from a 503', () => {
    assert.equal(errorFromStatus('p', 503, 'loading', { 'retry-after': '5' }).retryAfterMs, 5000);
  });


  it('reads seconds, an HTTP date, and retry-after-ms', () => {
    const now = Date.parse('2026-11-26T06:00:00Z');
    assert.equal(parseRetryAfter({ 'retry-after': '2' }, now), 2000);
    assert.equal(parseRetryAfter({ 'retry-after': '0.5' }, now), 500);
    assert.equal(parseRetryAfter({ 'retry-after': 'Thu, 26 Nov 2026 06:00:30 GMT' }, now), 30_000);
    assert.equal(parseRetryAfter({ 'retry-after': 'Thu, 26 Nov 2026 05:00:00 GMT' }, now), 0);
    assert.equal(parseRetryAfter({ 'retry-after-ms': '250', 'retry-after': '9' }, now), 250);
    assert.equal(parseRetryAfter({ 'retry-after': 'soon' }, now), undefined);
    assert.equal(parseRetryAfter({}, now), undefined);
  });
});

describe('transport errors → GatewayError', () => {
  it('connection failures are upstreamUnavailable, retryable', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'ENOTFOUND']) {
      const error = errorFromTransport('p', coded(code));
      assert.equal(error.code, 'upstreamUnavailable', code);
      assert.equal(error.retryable, true, code);
    }
  });

  it('headers and body timeouts are upstreamTimeout, retryable', () => {
    for (const code of ['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']) {
      const error = errorFromTransport('p', coded(code));
      assert.equal(error.code, 'upstreamTimeout', code);
      assert.equal(error.status, 504);
      assert.equal(error.retryable, true);
    }
  });

  it('a body that is not JSON or not HTTP is upstreamProtocol', () => {
    assert.equal(errorFromTransport('p', new SyntaxError('Unexpected token')).code, 'upstreamProtocol');
    assert.equal(errorFromTransport('p', coded('HPE_INVALID_CONSTANT')).code, 'upstreamProtocol');
  });

  it('passes GatewayErrors through unchanged', () => {
    const original = new GatewayError('upstreamRejected', 'x');
    assert.equal(errorFromTransport('p', original), original);
  });
});

describe('upstream error messages', () => {
  it('reads each protocol’s error shape', () => {
    assert.equal(extractUpstreamMessage('{"error":{"message":"bad model","type":"invalid_request_error"}}'), 'bad model');
    assert.equal(extractUpstreamMessage('{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}'), 'Overloaded');
    assert.equal(extractUpstreamMessage('{"error":"model \\"x\\" not found, try pulling it first"}'), 'model "x" not found, try pulling it first');
    assert.equal(extractUpstreamMessage('{"error":{"code":400,"message":"context too long","type":"invalid_request_error"}}'), 'context too long');
    assert.equal(extractUpstreamMessage('{"detail":"Not Found"}'), 'Not Found');
    assert.equal(extractUpstreamMessage('<html>bad gateway</html>'), '<html>bad gateway</html>');
    assert.equal(extractUpstreamMessage(''), '');
    assert.ok(extractUpstreamMessage('x'.repeat(2000)).length < 600);
  });
});
