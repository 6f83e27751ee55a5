/** The `switchyard` command table's help text. */
export const USAGE = `Usage: switchyard <command> [options]

Commands:
  daemon [--config FILE] [--state-dir DIR] [--port N]   start the gateway (loopback only)
  sim [--port N] [--latency-ms MS] [--ttft-ms MS] ...   start the simulated provider
  bench [--scenario NAME | --preset NAME] [options]      run a load benchmark (default: the standard run)
  token [--state-dir DIR]                                print the bearer token for HTTP clients
  version                                                print the version

Run "switchyard <command> --help" for a command's options.`;
