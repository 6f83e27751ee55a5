/**
 * How the extension should start the daemon so that it idles small. A running process cannot
 * set these, so the spawner passes them. Measured on Linux (Node 20.20, glibc), `dist/daemon.js`
 * with one editor connected and a document open, 8 s after start (`/v1/switchyard/status`
 * rssBytes, three starts each); throughput is a 20,000-request blast at 200 concurrent through
 * the daemon to the 5 ms simulator, run in alternating pairs on a shared 2-core machine whose
 * load average was near 20, so only a ratio inside a pair means anything:
 *
 * | launch                                           | idle RSS      | req/s, paired with plain |
 * |--------------------------------------------------|---------------|--------------------------|
 * | plain                                            | 90.0-90.8 MB  | —                        |
 * | `--optimize-for-size`                            | 82.1-82.8 MB  | 898 vs 2386, 978 vs 1195 (slower: not used) |
 * | malloc trim (`MALLOC_TRIM_THRESHOLD_`) only      | 73.3-73.5 MB  |                          |
 * | `--max-semi-space-size=1` + malloc trim          | 65.6-69.8 MB  | 1719 vs 1750, 1163 vs 1119, 1272 vs 1233, 1377 vs 1391 |
 * | the same + `--optimize-for-size`                 | 65.2-65.5 MB  | (as `--optimize-for-size`) |
 * | `--lite-mode` (+ the above)                      | 60 MB         | every request failed: undici's WebAssembly HTTP parser needs the compilers; never use it |
 * | semi-spaces + trim + `--single-threaded`         | 75.8 MB (*)   | 822 vs 1229, 784 vs 1329 (slower: not used) |
 *
 * (*) Measured later, on a tree that had grown (hardware routes and more): there plain idled at
 * 106-108 MB and `--max-semi-space-size=1` + malloc trim at 85.7-86.4 MB, editor connected.
 * What grew is again mostly malloc's leftovers from start-up (V8's heap +4 MB, RSS +30 MB for a
 * bundle 1.65 → 2.29 MB); about 6 MB of it is Fastify compiling the hardware routes' schemas.
 *
 * Most of the idle excess is not V8's heap (about 14 MB used) but memory glibc's malloc keeps
 * after start-up's peak (parsing and compiling the bundle); a low trim threshold hands it back.
 * Capping the semi-spaces at 1 MB stops V8 from growing the young generation to 16 MB during
 * start-up. Under load the daemon's RSS peaked at 132-142 MB instead of 145-156 MB.
 */

/** Node/V8 flags, before the script path: `node ...DAEMON_NODE_FLAGS dist/daemon.js ...`. */
export const DAEMON_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1'];

/**
 * Environment for the daemon process. glibc reads it at start (Linux); other C libraries ignore
 * it, and so may an Electron runtime whose allocator is not glibc's malloc.
 */
export const DAEMON_ENV: Readonly<Record<string, string>> = { MALLOC_TRIM_THRESHOLD_: '131072' };
