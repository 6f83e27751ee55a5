/** `bench-worker.js passthrough --upstream URL [--port N]`: runs the reference proxy and prints a ready line. */
import { parseArgs } from 'node:util';
import { startPassthrough } from './passthrough-server';

export async function runPassthroughProcess(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { upstream: { type: 'string' }, port: { type: 'string' }, connections: { type: 'string' } } });
  if (!values.upstream) {
    process.stderr.write('passthrough: --upstream URL is required\n');
    process.exitCode = 2;
    return;
  }
  const { app, url } = await startPassthrough({
    upstream: values.upstream,
    port: values.port ? Number(values.port) : 0,
    connections: values.connections ? Number(values.connections) : undefined,
  });
  const close = () => void app.close().then(() => process.exit(0));
  process.on('SIGTERM', close);
  process.on('SIGINT', close);
  process.stdout.write(`${JSON.stringify({ ready: true, url, pid: process.pid })}\n`);
}
