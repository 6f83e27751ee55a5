import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { startDaemon, type RunningDaemon } from '../../daemon/lifecycle/run-daemon';

export interface TestDaemon extends RunningDaemon {
  stateDir: string;
  /** Everything the daemon logged, as text. */
  logs(): string;
  /** `Authorization` header for requests. */
  auth: { authorization: string };
}

/**
 * Starts a real daemon in this process on a free loopback port, with local discovery and
 * cloud-from-environment off, so only the providers in `toml` exist.
 */
export async function startTestDaemon(toml: string, options: { env?: NodeJS.ProcessEnv; logLevel?: string; /** Replaces the `[discovery]` section that turns discovery off. */ discovery?: string } = {}): Promise<TestDaemon> {
  const stateDir = mkdtempSync(join(tmpdir(), 'switchyard-test-'));
  const configPath = join(stateDir, 'config.toml');
  const discovery = options.discovery ?? '[discovery]\nlocal = false\ncloud_from_env = false\n';
  const header = `${discovery}[log]\nlevel = "${options.logLevel ?? 'debug'}"\n`;
  writeFileSync(configPath, `${header}${toml}`);
  const logStream = new PassThrough();
  const chunks: Buffer[] = [];
  logStream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const daemon = await startDaemon({ configPath, stateDir, port: 0, env: options.env ?? {}, logDestination: logStream });
  const close = async () => {
    await daemon.close();
    rmSync(stateDir, { recursive: true, force: true });
  };
  return {
    ...daemon,
    close,
    stateDir,
    logs: () => Buffer.concat(chunks).toString('utf8'),
    auth: { authorization: `Bearer ${daemon.token}` },
  };
}

/** A `[[providers]]` entry for a simulator at `url`, speaking `kind`. */
export function simProviderToml(name: string, kind: string, url: string, extra = ''): string {
  const baseUrl = kind === 'openai' ? `${url}/v1` : url;
  return `[[providers]]\nname = "${name}"\nkind = "${kind}"\nbase_url = "${baseUrl}"\nlocal = true\n${extra}\n`;
}
