/**
 * How fast the simulated provider answers: small non-streaming chat requests at zero
 * latency, driven by `wrk` (or `hey`), with the simulator pinned to one core and the load
 * tool to the other. It also reads the simulator's own CPU time, so the figure holds up on
 * a busy machine: requests per CPU-second is what one core can serve when nothing else runs.
 *
 *   node --import tsx bench/micro/sim-throughput.ts [--duration 10] [--connections 64] [--runs 3]
 *        [--tool wrk|hey] [--stream] [--no-pin] [--no-baseline] [--json FILE]
 *
 * `--stream` asks for streamed replies (16 SSE chunks each); `--no-baseline` skips the
 * reference run against a bare node:http JSON echo server.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const chatRequest = (stream: boolean) =>
  JSON.stringify({ model: 'sim-chat', messages: [{ role: 'user', content: 'Say hello in five words' }], max_tokens: 16, ...(stream ? { stream: true } : {}) });
const PATH = '/v1/chat/completions';

/** The reference: the least a node:http JSON server can do per request. */
const BARE_SERVER = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  let body = ''; req.setEncoding('utf8');
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    const out = JSON.stringify({ object: 'chat.completion', model: JSON.parse(body).model, choices: [] });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
    res.end(out);
  });
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ ready: true, url: 'http://127.0.0.1:' + server.address().port })));
`;

interface RunResult {
  requestsPerSecond: number;
  requests: number;
  errors: number;
  /** Server CPU (user + system) per request, in microseconds. */
  cpuMicrosPerRequest: number;
  /** 1e6 / cpuMicrosPerRequest: what one fully used core would serve. */
  requestsPerCpuSecond: number;
}

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

function pinned(cpu: number | undefined, command: string, args: string[]): [string, string[]] {
  return cpu === undefined ? [command, args] : ['taskset', ['-c', String(cpu), command, ...args]];
}

async function startServer(cpu: number | undefined, args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const [command, argv] = pinned(cpu, process.execPath, args);
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  let text = '';
  for await (const chunk of child.stdout!) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  const ready = JSON.parse(text.slice(0, text.indexOf('\n'))) as { url: string };
  return { child, url: ready.url };
}

/** utime + stime of a process, in milliseconds (Linux /proc). */
function cpuMillis(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks * 10; // CLK_TCK is 100 on Linux
}

function runLoad(tool: 'wrk' | 'hey', cpu: number | undefined, url: string, seconds: number, connections: number, script: string, body: string): { rps: number; requests: number; errors: number } {
  const args = tool === 'wrk'
    ? ['-t1', `-c${connections}`, `-d${seconds}s`, '-s', script, url + PATH]
    : ['-z', `${seconds}s`, '-c', String(connections), '-m', 'POST', '-T', 'application/json', '-d', body, url + PATH];
  const [command, argv] = pinned(cpu, tool, args);
  const out = spawnSync(command, argv, { encoding: 'utf8' }).stdout;
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN);
  if (tool === 'wrk') {
    const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
    const errors = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0)
      + (/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out)?.slice(1).reduce((a, b) => a + Number(b), 0) ?? 0);
    return { rps, requests, errors };
  }
  const statuses = [...out.matchAll(/\[(\d{3})\]\s+(\d+) responses/g)];
  const requests = statuses.reduce((sum, match) => sum + Number(match[2]), 0);
  const errors = statuses.filter((match) => match[1] !== '200').reduce((sum, match) => sum + Number(match[2]), 0);
  return { rps, requests, errors };
}

async function measure(label: string, serverArgs: string[], options: { tool: 'wrk' | 'hey'; pin: boolean; seconds: number; connections: number; runs: number; script: string; body: string }): Promise<RunResult> {
  const serverCpu = options.pin ? 0 : undefined;
  const loadCpu = options.pin ? 1 : undefined;
  const { child, url } = await startServer(serverCpu, serverArgs);
  try {
    runLoad(options.tool, loadCpu, url, 2, options.connections, options.script, options.body); // warm-up, not counted
    const runs: RunResult[] = [];
    for (let i = 0; i < options.runs; i++) {
      const cpuBefore = cpuMillis(child.pid!);
      const load = runLoad(options.tool, loadCpu, url, options.seconds, options.connections, options.script, options.body);
      const cpuMicrosPerRequest = ((cpuMillis(child.pid!) - cpuBefore) * 1000) / Math.max(1, load.requests);
      runs.push({
        requestsPerSecond: Math.round(load.rps),
        requests: load.requests,
        errors: load.errors,
        cpuMicrosPerRequest: Math.round(cpuMicrosPerRequest * 10) / 10,
        requestsPerCpuSecond: Math.round(1e6 / cpuMicrosPerRequest),
      });
      process.stderr.write(`  ${label} run ${i + 1}: ${runs.at(-1)!.requestsPerSecond} req/s, ${runs.at(-1)!.cpuMicrosPerRequest} µs CPU/request, ${load.errors} errors\n`);
    }
    runs.sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
    return runs[Math.floor(runs.length / 2)]!;
  } finally {
    child.kill('SIGTERM');
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '64' },
      runs: { type: 'string', default: '3' },
      tool: { type: 'string' },
      'no-pin': { type: 'boolean', default: false },
      'no-baseline': { type: 'boolean', default: false },
      json: { type: 'string' },
      stream: { type: 'boolean', default: false },
    },
  });
  const tool = (values.tool ?? (has('wrk') ? 'wrk' : has('hey') ? 'hey' : undefined)) as 'wrk' | 'hey' | undefined;
  if (tool !== 'wrk' && tool !== 'hey') {
    process.stderr.write('sim-throughput: needs wrk or hey (apt-get install -y wrk hey)\n');
    process.exitCode = 2;
    return;
  }
  const pin = !values['no-pin'] && has('taskset');
  const dir = mkdtempSync(join(tmpdir(), 'sim-throughput-'));
  const script = join(dir, 'chat.lua');
  const body = chatRequest(values.stream);
  writeFileSync(script, `wrk.method = "POST"\nwrk.body = '${body}'\nwrk.headers["Content-Type"] = "application/json"\n`);
  const options = { tool, pin, seconds: Number(values.duration), connections: Number(values.connections), runs: Number(values.runs), script, body };
  const cli = resolve(__dirname, '..', 'sim', 'main.ts');
  process.stderr.write(`sim-throughput: ${tool}, ${options.connections} connections, ${options.seconds} s x ${options.runs} runs${pin ? ', simulator on CPU 0, load on CPU 1' : ''}\n`);
  const simulator = await measure('simulator', ['--import', 'tsx', cli, '--port', '0', '--latency-ms', '0'], options);
  const baseline = values['no-baseline'] || values.stream ? undefined : await measure('bare node:http', ['-e', BARE_SERVER], options);
  const report = {
    tool,
    connections: options.connections,
    durationSeconds: options.seconds,
    runs: options.runs,
    pinned: pin,
    request: { path: PATH, body },
    simulator,
    bareNodeHttp: baseline,
    // CPU per request, not req/s: on a shared machine req/s swings with everything else running.
    bareCpuShare: baseline ? Math.round((baseline.cpuMicrosPerRequest / simulator.cpuMicrosPerRequest) * 100) / 100 : undefined,
  };
  process.stdout.write(
    `simulator: ${simulator.requestsPerSecond} req/s (median of ${options.runs}), ${simulator.errors} errors, ` +
      `${simulator.cpuMicrosPerRequest} µs CPU per request = ${simulator.requestsPerCpuSecond} req per CPU-second\n` +
      (baseline ? `bare node:http: ${baseline.requestsPerSecond} req/s, ${baseline.cpuMicrosPerRequest} µs CPU per request; the simulator does its work in ${Math.round(100 / (report.bareCpuShare ?? 1))}% of bare node:http's CPU per request\n` : ''),
  );
  if (values.json) writeFileSync(values.json, JSON.stringify(report, null, 2) + '\n');
}

void main();
