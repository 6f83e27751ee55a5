/** The benchmark engine's own version, recorded in every report. */
export const BENCH_VERSION = '1.0.0';
