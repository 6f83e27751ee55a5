/**
 * `wrk` and `hey`, the reference load tools: install when missing (Debian packages), run
 * them on the same target and concurrency, and read their figures.
 */
import { execFile, execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ToolFigures {
  requestsPerSecond: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

export function hasTool(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** apt-get install when missing and allowed (root); otherwise a message saying what to install. */
export function ensureTools(names: string[], log: (line: string) => void): string[] {
  const missing = names.filter((n) => !hasTool(n));
  if (!missing.length) return [];
  if (process.getuid?.() !== 0) return missing.map((n) => `${n} is not installed (apt-get install -y ${n})`);
  log(`Installing ${missing.join(', ')} (apt-get)…`);
  try {
    execFileSync('apt-get', ['update'], { stdio: 'ignore' });
    execFileSync('apt-get', ['install', '-y', ...missing], { stdio: 'ignore' });
  } catch (err) {
    return [`apt-get install ${missing.join(' ')} failed: ${(err as Error).message}`];
  }
  return names.filter((n) => !hasTool(n)).map((n) => `${n} is still missing after apt-get install`);
}

/** Parses "1.23ms", "450.00us", "1.02s" (wrk's units) to milliseconds. */
export function wrkDurationMs(text: string): number | null {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!m) return null;
  const v = Number(m[1]);
  return { us: v / 1000, ms: v, s: v * 1000, m: v * 60_000 }[m[2] as 'us' | 'ms' | 's' | 'm'];
}

export async function runWrk(url: string, body: string, concurrency: number, durationSec: number, dir: string): Promise<ToolFigures> {
  const script = join(dir, 'post.lua');
  writeFileSync(script, `wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = ${JSON.stringify(body)}\n`);
  const { stdout } = await run('wrk', ['-t', '2', '-c', String(concurrency), '-d', `${durationSec}s`, '--latency', '-s', script, url], { maxBuffer: 1 << 20 });
  return parseWrkOutput(stdout);
}

export function parseWrkOutput(stdout: string): ToolFigures {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
  const at = (p: string) => {
    const m = new RegExp(`^\\s*${p}%\\s+(\\S+)`, 'm').exec(stdout);
    return m ? wrkDurationMs(m[1]!) : null;
  };
  if (!rps) throw new Error(`could not read wrk's output:\n${stdout}`);
  return { requestsPerSecond: Number(rps[1]), p50Ms: at('50'), p99Ms: at('99') };
}

export async function runHey(url: string, body: string, concurrency: number, requests: number): Promise<ToolFigures> {
  const { stdout } = await run('hey', ['-n', String(requests), '-c', String(concurrency), '-m', 'POST', '-T', 'application/json', '-d', body, url], { maxBuffer: 1 << 22 });
  return parseHeyOutput(stdout);
}

export function parseHeyOutput(stdout: string): ToolFigures {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
  const at = (p: string) => {
    const m = new RegExp(`${p}% in ([\\d.]+) secs`).exec(stdout);
    return m ? Number(m[1]) * 1000 : null;
  };
  if (!rps) throw new Error(`could not read hey's output:\n${stdout}`);
  return { requestsPerSecond: Number(rps[1]), p50Ms: at('50'), p99Ms: at('99') };
}
