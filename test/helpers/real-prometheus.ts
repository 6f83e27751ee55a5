/** A real Prometheus (Debian's package) on a free loopback port, scraping given targets with a bearer token. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { freePort } from './free-port';

const ENSURE = join(__dirname, '..', '..', 'scripts', 'ensure-prometheus.sh');

/** Installs Prometheus if it can (as root); a reason to skip when it cannot (never under CI=true). */
export function prometheusMissing(): string | false {
  const result = spawnSync('bash', [ENSURE], { encoding: 'utf8', timeout: 300_000 });
  if (result.status === 0) return false;
  if (process.env.CI === 'true') throw new Error(`Prometheus could not be installed: ${result.stderr}`);
  return result.stderr.trim() || 'prometheus is not installed';
}

export interface PrometheusSample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface RealPrometheus {
  url: string;
  /** An instant query (`/api/v1/query`) at `time` (Unix seconds), or now. */
  query(expr: string, time?: number): Promise<PrometheusSample[]>;
  /** Waits until Prometheus has scraped the target successfully at least `scrapes` times. */
  waitForScrapes(scrapes: number): Promise<void>;
  close(): Promise<void>;
}

export async function startPrometheus(options: { target: string; token: string; scrapeIntervalSeconds: number }): Promise<RealPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-prometheus-'));
  const tokenFile = join(dir, 'token');
  writeFileSync(tokenFile, options.token, { mode: 0o600 });
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global:',
      `  scrape_interval: ${options.scrapeIntervalSeconds}s`,
      `  scrape_timeout: ${options.scrapeIntervalSeconds}s`,
      'scrape_configs:',
      '  - job_name: switchyard',
      '    authorization:',
      '      type: Bearer',
      `      credentials_file: ${tokenFile}`,
      '    static_configs:',
      `      - targets: ['${options.target}']`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn('prometheus', [
    `--config.file=${config}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const close = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error(`prometheus exited: ${stderr}`);
      const ready = await request(`${url}/-/ready`).then(async (r) => (await r.body.text(), r.statusCode === 200), () => false);
      if (ready) break;
      if (i > 150) throw new Error(`prometheus did not become ready: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (error) {
    await close();
    throw error;
  }

  const query = async (expr: string, time?: number): Promise<PrometheusSample[]> => {
    const params = new URLSearchParams({ query: expr, ...(time !== undefined ? { time: String(time) } : {}) });
    const response = await request(`${url}/api/v1/query?${params}`);
    const body = (await response.body.json()) as { status: string; error?: string; data: { resultType: string; result: PrometheusSample[] } };
    if (body.status !== 'success') throw new Error(`PromQL ${expr}: ${body.error}`);
    return body.data.result;
  };
  const waitForScrapes = async (scrapes: number) => {
    for (let i = 0; i < 600; i++) {
      const seen = await query(`count_over_time(up{job="switchyard"}[5m])`);
      const up = await query(`up{job="switchyard"}`);
      if (Number(seen[0]?.value[1] ?? 0) >= scrapes && up[0]?.value[1] === '1') return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('prometheus never scraped the daemon successfully');
  };
  return { url, query, waitForScrapes, close };
}
