/**
 * A trivial HTTP server for the cross-check: answers every request with the same small
 * OpenAI-shaped chat reply, optionally after a fixed delay. Runs as its own process.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';

const REPLY = JSON.stringify({
  id: 'chatcmpl-trivial',
  object: 'chat.completion',
  created: 0,
  model: 'trivial',
  choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 8, completion_tokens: 1, total_tokens: 9 },
});

export function runTrivialServerProcess(argv: string[]): void {
  const { values } = parseArgs({ args: argv, options: { port: { type: 'string' }, 'delay-ms': { type: 'string' } } });
  const delayMs = Number(values['delay-ms'] ?? 0);
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const answer = () => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(REPLY) });
        res.end(REPLY);
      };
      if (delayMs > 0) setTimeout(answer, delayMs);
      else answer();
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(Number(values.port ?? 0), '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ ready: true, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`);
  });
  const close = () => server.close(() => process.exit(0));
  process.on('SIGTERM', close);
  process.on('SIGINT', close);
}
