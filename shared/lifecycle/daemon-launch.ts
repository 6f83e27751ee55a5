/**
 * How the extension should start the daemon so that it idles small. A running process cannot
 * set these, so the spawner passes them. Measured on Linux (Node 20.20, glibc) with the daemon
 * idle after start-up, then under a 20,000-request blast at 200 concurrent (a shared 2-core
 * machine, so throughput figures are noisy):
 *
 * | launch                                   | idle RSS | loaded RSS | req/s (two runs) |
 * |------------------------------------------|----------|------------|------------------|
 * | plain                                    | 90-101 MB| 153-156 MB | 1750, 1119       |
 * | `--max-semi-space-size=1` + malloc trim  | 69-76 MB | 132-142 MB | 1719, 1163       |
 * | the same + `--lite-mode`                 | 60 MB    | —          | 0: undici's WebAssembly HTTP parser fails; never use it |
 *
 * Most of the idle excess is not V8's heap (about 14 MB used) but memory glibc's malloc keeps
 * after start-up's peak (parsing and compiling the bundle); a low trim threshold hands it back.
 * The young generation capped at 1 MB semi-spaces stops V8 from growing it to 16 MB during
 * start-up. Neither changed throughput beyond the machine's noise.
 */

/** Node/V8 flags, before the script path: `node ...DAEMON_NODE_FLAGS dist/daemon.js ...`. */
export const DAEMON_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1'];

/**
 * Environment for the daemon process. glibc reads it at start (Linux); other C libraries ignore
 * it, and so may an Electron runtime whose allocator is not glibc's malloc.
 */
export const DAEMON_ENV: Readonly<Record<string, string>> = { MALLOC_TRIM_THRESHOLD_: '131072' };
