/**
 * The benchmark presets the editor offers; `id` is the name `RunBenchmarkRequest.preset`
 * carries (the same names `switchyard bench --preset/--scenario` takes).
 */
export interface BenchmarkPreset {
  id: string;
  label: string;
  detail: string;
  /** Whether the preset loads one target route (the others pick their own targets). */
  needsTarget: boolean;
}

export const BENCHMARK_PRESETS: readonly BenchmarkPreset[] = [
  { id: 'quick', label: 'Quick sanity check', detail: 'a few hundred requests through the gateway: does the route answer, and how fast', needsTarget: true },
  { id: '000', label: 'Standard run (preset 000)', detail: 'the README\'s run: chat requests 200 concurrent through the gateway, then direct', needsTarget: true },
  { id: '002', label: 'Load-testing set (preset 002)', detail: 'fixed rate, ramp, blast and a 70/30 model mix', needsTarget: true },
  { id: '003', label: 'Concurrency sweep (preset 003)', detail: '1 to 100+ concurrent; marks the throughput ceiling', needsTarget: true },
  { id: 'overhead', label: 'Gateway overhead against direct', detail: 'the same load through the gateway and straight to the provider', needsTarget: true },
  { id: 'sweep', label: 'Sweep', detail: 'concurrency steps on the chosen route', needsTarget: true },
  { id: 'compare', label: 'Compare providers', detail: 'the same load on every healthy provider, side by side', needsTarget: false },
];

export function findPreset(id: string): BenchmarkPreset | undefined {
  return BENCHMARK_PRESETS.find((p) => p.id === id);
}
