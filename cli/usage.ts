/** The `switchyard` command table's help text. */
export const USAGE = `Usage: switchyard <command> [options]

Commands:
  daemon [--config FILE] [--state-dir DIR] [--port N]   start the gateway (loopback only)
  sim [--port N] [--latency-ms MS] [--ttft-ms MS] ...   start the simulated provider
  bench [--scenario NAME | --preset NAME] [options]      run a load benchmark (default: the standard run)
  hw [--json] [--config FILE]                            this machine's hardware and the models to run on it
  token [--state-dir DIR]                                print the bearer token for HTTP clients
  version                                                print the version

Run "switchyard <command> --help" for a command's options.`;

export const HW_USAGE = `Usage: switchyard hw [--json] [--config FILE] [--state-dir DIR]

Detects this machine's CPU, memory and GPUs, and recommends models for completion and chat:
fit, quantization, context, memory needed against free, and a decode speed range (or the
measured figure once the model has been benchmarked here).
  --json            the recommendations as JSON (the same document GET /v1/switchyard/recommendations returns)
  --config FILE     TOML configuration; its [hardware] section overrides detected figures
  --state-dir DIR   where measured figures are kept (default: the daemon's state dir)`;
