import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startSimulator } from '../../../bench/sim/index';
import { startTestDaemon } from '../../helpers/test-daemon';
import { freePort } from '../../helpers/free-port';

const MODEL = 'qwen2.5-coder:1.5b';

describe('a named route whose local server starts after the daemon', () => {
  it('serves through that server once rediscovery finds it, without a restart', async () => {
    const port = await freePort();
    // The route names a discovery candidate that is not running yet: it starts without it.
    const daemon = await startTestDaemon(`[routes.local]\nstrategy = "priority"\ncandidates = [{ provider = "ollama-late", model = "${MODEL}" }]\n`, {
      discovery: `[discovery]\nlocal = true\ncloud_from_env = false\nreprobe_seconds = 0.2\nservers = [{ name = "ollama-late", kind = "ollama", base_url = "http://127.0.0.1:${port}" }]\n`,
    });
    const ask = () =>
      fetch(`${daemon.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { ...daemon.auth, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'local', messages: [{ role: 'user', content: 'hi' }], max_tokens: 4 }),
      });
    try {
      const before = await ask();
      assert.notEqual(before.status, 200, 'nothing serves the route yet');
      await before.arrayBuffer();
      const server = await startSimulator({ port, models: [MODEL] });
      try {
        let answer: Response | undefined;
        for (const started = Date.now(); Date.now() - started < 10_000; await sleep(100)) {
          answer = await ask();
          if (answer.status === 200) break;
          await answer.arrayBuffer();
        }
        assert.equal(answer?.status, 200, 'the route serves once the server is found');
        assert.equal(answer.headers.get('x-switchyard-provider'), 'ollama-late');
        const body = (await answer.json()) as { choices: Array<{ message: { content: string } }> };
        assert.ok(body.choices[0]!.message.content.length > 0);
        const providers = (await (await fetch(`${daemon.url}/v1/switchyard/providers`, { headers: daemon.auth })).json()) as { routes?: Array<{ name: string; candidates: string[] }> };
        const route = providers.routes?.find((r) => r.name === 'local');
        assert.deepEqual(route?.candidates, [`ollama-late/${MODEL}`], 'the route lists the server now');
        assert.match(daemon.logs(), /route compiled again with a provider added since the start/);
      } finally {
        await server.close();
      }
    } finally {
      await daemon.close();
    }
  });
});
