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

export const DAEMON_USAGE = `Usage: switchyard daemon [--config FILE] [--state-dir DIR] [--port N] [--idle-exit-minutes M | --stay]

Starts the gateway on loopback and prints one JSON line with "ready": true once it serves.
  --config FILE     TOML configuration (default: $SWITCHYARD_CONFIG; none is fine)
  --state-dir DIR   where daemon.json, the token, cache and ledger live
                    (default: $SWITCHYARD_STATE_DIR, $XDG_STATE_HOME/switchyard or ~/.switchyard)
  --port N          listen on N (0: any free port); default: the config's port, 4141
  --idle-exit-minutes M
                    exit after M minutes with no editor connected and no requests
                    (default: the config's server.idle_exit_minutes; 0 stays up)
  --stay            never exit for idleness

The editor's LSP endpoint (a Unix socket or named pipe in the state dir, or loopback TCP)
is recorded in daemon.json as "lsp".`;
