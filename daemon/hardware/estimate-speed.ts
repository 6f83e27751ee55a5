/**
 * Decode speed from memory bandwidth: each token reads every active weight once, so
 * tokens/s ≈ efficiency × bandwidth / bytes read per token. A range, because real engines
 * reach between about half and three quarters of the bandwidth on a GPU (a little more on
 * Apple's unified memory and on the CPU). With partial offload the GPU and CPU parts are read
 * one after the other, so their times add.
 */
export const EFFICIENCY = {
  gpu: { low: 0.45, high: 0.75 },
  apple: { low: 0.6, high: 0.85 },
  cpu: { low: 0.5, high: 0.8 },
} as const;

export interface SpeedInput {
  /** Weights read per token on the GPU and on the CPU (for a mixture of experts, the active share). */
  gpuBytesPerToken: number;
  cpuBytesPerToken: number;
  gpuBandwidthGBps: number | null;
  cpuBandwidthGBps: number;
  unified: boolean;
}

export interface SpeedRange {
  low: number;
  high: number;
  basis: string;
}

export function estimateDecodeSpeed(input: SpeedInput): SpeedRange | null {
  const gpuEfficiency = input.unified ? EFFICIENCY.apple : EFFICIENCY.gpu;
  if (input.gpuBytesPerToken > 0 && !input.gpuBandwidthGBps) return null;
  if (input.cpuBytesPerToken > 0 && !(input.cpuBandwidthGBps > 0)) return null;
  const secondsPerToken = (edge: 'low' | 'high') =>
    (input.gpuBytesPerToken > 0 ? input.gpuBytesPerToken / (gpuEfficiency[edge] * input.gpuBandwidthGBps! * 1e9) : 0) +
    (input.cpuBytesPerToken > 0 ? input.cpuBytesPerToken / (EFFICIENCY.cpu[edge] * input.cpuBandwidthGBps * 1e9) : 0);
  const parts: string[] = [];
  if (input.gpuBytesPerToken > 0) parts.push(`${(input.gpuBytesPerToken / 1e9).toFixed(2)} GB per token at ${input.gpuBandwidthGBps} GB/s × ${gpuEfficiency.low}–${gpuEfficiency.high} (GPU)`);
  if (input.cpuBytesPerToken > 0) parts.push(`${(input.cpuBytesPerToken / 1e9).toFixed(2)} GB per token at ${input.cpuBandwidthGBps} GB/s × ${EFFICIENCY.cpu.low}–${EFFICIENCY.cpu.high} (CPU)`);
  return { low: round(1 / secondsPerToken('low')), high: round(1 / secondsPerToken('high')), basis: `estimate from bandwidth: ${parts.join(' + ')}` };
}

function round(value: number): number {
  return value >= 10 ? Math.round(value) : Math.round(value * 10) / 10;
}
