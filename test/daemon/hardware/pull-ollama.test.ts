/**
 * "Pull with Ollama" streams Ollama's `/api/pull` progress through the daemon. The Ollama
 * here is a loopback stand-in that answers `/api/pull` the way Ollama's API documents it.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import type { PullProgress } from '../../../shared/hardware/recommendations';
import { simProviderToml, startTestDaemon } from '../../helpers/test-daemon';

function fakeOllama(pulls: unknown[]): Promise<Server> {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (request.url === '/api/tags') return response.end(JSON.stringify({ models: [] }));
      if (request.url !== '/api/pull') return response.writeHead(404).end();
      const asked = JSON.parse(body) as { model: string; stream: boolean };
      pulls.push(asked);
      response.writeHead(200, { 'content-type': 'application/x-ndjson' });
      if (asked.model === 'starcoder2:15b') return response.end(`${JSON.stringify({ error: 'pull model manifest: file does not exist' })}\n`);
      const lines = [
        { status: 'pulling manifest' },
        { status: 'pulling 60e05f210007', digest: 'sha256:60e05f210007', total: 986000000, completed: 0 },
        { status: 'pulling 60e05f210007', digest: 'sha256:60e05f210007', total: 986000000, completed: 493000000 },
        { status: 'pulling 60e05f210007', digest: 'sha256:60e05f210007', total: 986000000, completed: 986000000 },
        { status: 'verifying sha256 digest' },
        { status: 'writing manifest' },
        { status: 'success' },
      ];
      let index = 0;
      const next = () => {
        if (index === lines.length) return response.end();
        response.write(`${JSON.stringify(lines[index++])}\n`);
        setTimeout(next, 5);
      };
      next();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

test('Pull with Ollama streams the progress through the daemon, and a failed pull says why', async (t) => {
  const pulls: unknown[] = [];
  const ollama = await fakeOllama(pulls);
  t.after(() => ollama.close());
  const url = `http://127.0.0.1:${(ollama.address() as AddressInfo).port}`;
  const daemon = await startTestDaemon(simProviderToml('ollama', 'ollama', url), { logLevel: 'warn' });
  t.after(() => daemon.close());
  const pull = (model: string) =>
    fetch(`${daemon.url}/v1/switchyard/hardware/pull`, { method: 'POST', headers: { ...daemon.auth, 'content-type': 'application/json' }, body: JSON.stringify({ model }) });

  const response = await pull('qwen2.5-coder-1.5b');
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'application/x-ndjson');
  const lines = (await response.text()).trim().split('\n').map((line) => JSON.parse(line) as PullProgress);
  assert.deepEqual(pulls, [{ model: 'qwen2.5-coder:1.5b', stream: true }], 'a catalog id is pulled by its Ollama tag');
  assert.equal(lines.length, 7);
  assert.deepEqual(lines[2], { model: 'qwen2.5-coder:1.5b', status: 'pulling 60e05f210007', totalBytes: 986000000, completedBytes: 493000000, done: false });
  assert.deepEqual(lines.at(-1), { model: 'qwen2.5-coder:1.5b', status: 'success', done: true });

  const failed = await pull('starcoder2:15b');
  assert.equal(failed.status, 200);
  const last = JSON.parse((await failed.text()).trim().split('\n').at(-1)!) as { error: string };
  assert.match(last.error, /Ollama could not pull "starcoder2:15b": pull model manifest: file does not exist/);
});
