/** A mistake in how the command line was used: printed with the usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function parsePort(text: string, flag: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`${flag} must be a port number from 0 to 65535, got "${text}"`);
  return port;
}

export const USAGE = `Usage: switchyard <command> [options]

Commands:
  daemon [--config FILE] [--state-dir DIR] [--port N]   start the gateway (loopback only)
  sim [--port N] [--latency-ms MS] [--ttft-ms MS] ...   start the simulated provider
  bench [--scenario NAME | --preset NAME] [options]      run a load benchmark (default: the standard run)
  hw [--json] [--config FILE]                            this machine's hardware and the models to run on it
  token [--state-dir DIR]                                print the bearer token for HTTP clients
  version                                                print the version

Run "switchyard <command> --help" for a command's options.`;

export const DAEMON_USAGE = `Usage: switchyard daemon [--config FILE] [--state-dir DIR] [--port N]

Starts the gateway on loopback and prints one JSON line with "ready": true once it serves.
  --config FILE     TOML configuration (default: $SWITCHYARD_CONFIG; none is fine)
  --state-dir DIR   where daemon.json, the token, cache and ledger live
                    (default: $SWITCHYARD_STATE_DIR, $XDG_STATE_HOME/switchyard or ~/.switchyard)
  --port N          listen on N (0: any free port); default: the config's port, 4141`;

export const HW_USAGE = `Usage: switchyard hw [--json] [--config FILE] [--state-dir DIR]

Detects this machine's CPU, memory and GPUs, and recommends models for completion and chat:
fit, quantization, context, memory needed against free, and a decode speed range (or the
measured figure once the model has been benchmarked here).
  --json            the recommendations as JSON (the same document GET /v1/switchyard/recommendations returns)
  --config FILE     TOML configuration; its [hardware] section overrides detected figures
  --state-dir DIR   where measured figures are kept (default: the daemon's state dir)`;
