/**
 * The floor for any Node gateway: a bare Fastify + undici pass-through proxy with no
 * routing, parsing, cache or budgets. The overhead scenario runs the same load through
 * it, so the gateway's added cost can be read against what a minimal proxy adds.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { Pool } from 'undici';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);

export interface PassthroughOptions {
  upstream: string;
  port?: number;
  connections?: number;
}

export async function startPassthrough(options: PassthroughOptions): Promise<{ app: FastifyInstance; url: string }> {
  const pool = new Pool(new URL(options.upstream).origin, { connections: options.connections ?? 256, pipelining: 1, keepAliveTimeout: 60_000 });
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 * 1024 });
  app.addHook('onClose', async () => pool.close());
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.get('/__passthrough/status', async () => {
    const cpu = process.cpuUsage();
    return { pid: process.pid, rssBytes: process.memoryUsage.rss(), cpuUserMicros: cpu.user, cpuSystemMicros: cpu.system };
  });

  app.all('/*', async (request, reply) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === 'string' && name !== 'host' && !HOP_BY_HOP.has(name)) headers[name] = value;
    }
    const upstream = await pool.request({
      path: request.url,
      method: request.method as 'POST',
      headers,
      body: (request.body as Buffer | undefined) ?? null,
    });
    reply.code(upstream.statusCode);
    for (const [name, value] of Object.entries(upstream.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) reply.header(name, value);
    }
    return reply.send(upstream.body);
  });

  const url = await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  return { app, url };
}
