import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import { startSimulator } from '../../../bench/sim/index';
import type { Simulator } from '../../../bench/sim/contract';
import { simProviderToml, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon';

const SECRET_KEY = 'sk-test-SECRET-0123456789abcdef';

describe('security of the HTTP door', () => {
  let sim: Simulator;
  let daemon: TestDaemon;

  before(async () => {
    sim = await startSimulator({ latencyMs: 1 });
    daemon = await startTestDaemon(simProviderToml('cloudish', 'openai', sim.url, 'models = ["sim-chat"]\napi_key_env = "CLOUDISH_KEY"'), {
      env: { CLOUDISH_KEY: SECRET_KEY },
      logLevel: 'trace',
    });
  });
  after(async () => {
    await daemon?.close();
    await sim?.close();
  });

  const chat = { model: 'sim-chat', messages: [{ role: 'user', content: 'hi' }] };
  const post = (path: string, headers: Record<string, string>, body: unknown = chat) =>
    request(`${daemon.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('serves /health without a token', async () => {
    const response = await request(`${daemon.url}/health`);
    assert.equal(response.statusCode, 200);
    assert.equal((await response.body.json() as { status: string }).status, 'ok');
  });

  it('answers 401 without a token or with a wrong one, on every door', async () => {
    for (const path of ['/v1/chat/completions', '/api/chat']) {
      const missing = await post(path, {});
      assert.equal(missing.statusCode, 401);
      const body = await missing.body.json() as Record<string, unknown>;
      if (path.startsWith('/v1')) assert.equal((body.error as { type: string }).type, 'authentication_error');
      else assert.match(String(body.error), /bearer token/i);
      const wrong = await post(path, { authorization: `Bearer ${daemon.token}x` });
      assert.equal(wrong.statusCode, 401);
      await wrong.body.dump();
    }
    for (const path of ['/v1/models', '/metrics', '/api/tags', '/v1/switchyard/status']) {
      const response = await request(`${daemon.url}${path}`);
      assert.equal(response.statusCode, 401, path);
      await response.body.dump();
    }
  });

  it('answers 403 to a Host that is not loopback (DNS rebinding) and to a foreign Origin', async () => {
    const rebound = await post('/v1/chat/completions', { ...daemon.auth, host: 'evil.example.com' });
    assert.equal(rebound.statusCode, 403);
    assert.match(JSON.stringify(await rebound.body.json()), /not a loopback/);
    const fromPage = await post('/v1/chat/completions', { ...daemon.auth, origin: 'https://evil.example.com' });
    assert.equal(fromPage.statusCode, 403);
    await fromPage.body.dump();
    const healthRebound = await request(`${daemon.url}/health`, { headers: { host: 'evil.example.com:4141' } });
    assert.equal(healthRebound.statusCode, 403);
    await healthRebound.body.dump();
  });

  it('sends no CORS headers, even to a loopback origin', async () => {
    const response = await post('/v1/chat/completions', { ...daemon.auth, origin: 'http://localhost:3000' });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['access-control-allow-origin'], undefined);
    await response.body.dump();
    const preflight = await request(`${daemon.url}/v1/chat/completions`, { method: 'OPTIONS', headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST' } });
    assert.equal(preflight.headers['access-control-allow-origin'], undefined);
    await preflight.body.dump();
  });

  it('writes the state file and the token file readable by the user alone', () => {
    assert.equal(statSync(daemon.stateFile).mode & 0o777, 0o600);
    assert.equal(statSync(join(daemon.stateDir, 'token')).mode & 0o777, 0o600);
  });

  it('uses the provider key upstream but never logs it, nor the bearer token', async () => {
    const response = await post('/v1/chat/completions', daemon.auth);
    assert.equal(response.statusCode, 200);
    await response.body.dump();
    const failing = await post('/v1/chat/completions', daemon.auth, { ...chat, model: 'missing' });
    await failing.body.dump();
    const upstream = sim.requests.at(-1)!;
    assert.equal(upstream.headers.authorization, `Bearer ${SECRET_KEY}`);
    daemon.logger.info({ settings: { apiKey: SECRET_KEY }, headers: { authorization: `Bearer ${daemon.token}` } }, 'an object that carries secrets');
    daemon.logger.flush();
    const logs = daemon.logs();
    assert.ok(logs.length > 0, 'the daemon logged something');
    assert.ok(!logs.includes(SECRET_KEY), 'the provider key is not in the log');
    assert.ok(!logs.includes(daemon.token), 'the bearer token is not in the log');
    assert.match(logs, /\[redacted\]/);
  });
});
