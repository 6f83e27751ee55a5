import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { GatewayError } from '../../../daemon/core/errors';
import type { Provider } from '../../../daemon/core/provider';
import { HealthProber } from '../../../daemon/routing/health-prober';

function fakeProvider(name: string, behaviour: { fail: boolean; hang?: boolean; probes: number }): Provider {
  return {
    settings: { name } as Provider['settings'],
    probe: (signal: AbortSignal) => {
      behaviour.probes++;
      if (behaviour.hang) return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      return behaviour.fail ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:9')) : Promise.resolve();
    },
  } as Provider;
}

describe('health prober', () => {
  const probers: HealthProber[] = [];
  after(async () => {
    for (const prober of probers) await prober.close();
  });

  it('marks a provider down after failed probes in a row and up again after a good one', async () => {
    const behaviour = { fail: true, probes: 0 };
    const provider = fakeProvider('local', behaviour);
    const prober = new HealthProber(() => [provider], { intervalMs: 0, timeoutMs: 100, failuresToDown: 2 });
    probers.push(prober);
    const health = prober.ref('local');
    await prober.probeAll();
    assert.equal(health.status, 'unknown');
    await prober.probeAll();
    assert.equal(health.status, 'down');
    assert.match(health.lastError ?? '', /ECONNREFUSED/);
    behaviour.fail = false;
    await prober.probeAll();
    assert.equal(health.status, 'up');
    assert.equal(prober.isDown('local'), false);
  });

  it('a rate-limited probe counts as up: the provider is there', async () => {
    const provider = {
      settings: { name: 'busy' },
      probe: () => Promise.reject(new GatewayError('upstreamRateLimited', 'slow down', { retryable: true, retryAfterMs: 1_000 })),
    } as unknown as Provider;
    const prober = new HealthProber(() => [provider], { intervalMs: 0, timeoutMs: 100, failuresToDown: 1 });
    probers.push(prober);
    await prober.probeAll();
    assert.equal(prober.get('busy').status, 'up');
  });

  it('times out a hanging probe', async () => {
    const provider = fakeProvider('stuck', { fail: false, hang: true, probes: 0 });
    const prober = new HealthProber(() => [provider], { intervalMs: 0, timeoutMs: 30, failuresToDown: 1 });
    probers.push(prober);
    await prober.probeAll();
    assert.equal(prober.get('stuck').status, 'down');
    assert.match(prober.get('stuck').lastError ?? '', /timed out/);
  });

  it('probes on its interval until closed, and traffic success marks a provider up', async () => {
    const behaviour = { fail: true, probes: 0 };
    const prober = new HealthProber(() => [fakeProvider('p', behaviour)], { intervalMs: 10, timeoutMs: 100, failuresToDown: 1 });
    probers.push(prober);
    prober.start();
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.ok(behaviour.probes >= 3, `probed ${behaviour.probes} times`);
    assert.equal(prober.isDown('p'), true);
    await prober.close();
    await prober.close();
    const count = behaviour.probes;
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.equal(behaviour.probes, count, 'no probes after close');
    prober.recordTrafficSuccess('p');
    assert.equal(prober.isDown('p'), false);
  });
});
