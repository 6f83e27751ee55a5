/**
 * Memory bandwidth of known GPUs and Apple chips, GB/s, from the vendors' published
 * specifications. Decoding reads every active weight once per token, so this figure, not
 * compute, bounds tokens per second.
 */

/** A GPU not in the table: a mid-range discrete card's bandwidth, stated as an assumption. */
export const DEFAULT_GPU_BANDWIDTH_GBPS = 250;

/** Matched against the device name in order: the more specific pattern first. */
const GPU_BANDWIDTH: [RegExp, number][] = [
  [/RTX\s*5090/i, 1792],
  [/RTX\s*5080/i, 960],
  [/RTX\s*4090\s*Laptop/i, 576],
  [/RTX\s*4090/i, 1008],
  [/RTX\s*4080\s*Laptop/i, 432],
  [/RTX\s*4080/i, 716.8],
  [/RTX\s*4070\s*Ti/i, 504],
  [/RTX\s*4070\s*Laptop/i, 256],
  [/RTX\s*4070/i, 504],
  [/RTX\s*4060\s*Ti/i, 288],
  [/RTX\s*4060\s*Laptop/i, 256],
  [/RTX\s*4060/i, 272],
  [/RTX\s*3090\s*Ti/i, 1008],
  [/RTX\s*3090/i, 936],
  [/RTX\s*3080\s*Ti/i, 912],
  [/RTX\s*3080\s*Laptop/i, 448],
  [/RTX\s*3080/i, 760],
  [/RTX\s*3070\s*Laptop/i, 448],
  [/RTX\s*3070/i, 448],
  [/RTX\s*3060\s*Laptop/i, 336],
  [/RTX\s*3060/i, 360],
  [/RTX\s*2080\s*Ti/i, 616],
  [/A100.*80\s*GB/i, 1935],
  [/A100/i, 1555],
  [/H100.*PCIe/i, 2000],
  [/H100/i, 3350],
  [/L4\b/i, 300],
  [/T4\b/i, 320],
  [/RX\s*7900\s*XTX/i, 960],
  [/RX\s*7900\s*XT/i, 800],
  [/RX\s*7800\s*XT/i, 624],
  [/RX\s*7600/i, 288],
  [/RX\s*6900\s*XT/i, 512],
  [/RX\s*6800/i, 512],
  [/RX\s*6700\s*XT/i, 384],
];

/** Apple Silicon: unified memory bandwidth of each chip (Apple's published figures; binned Max chips are lower). */
const APPLE_BANDWIDTH: [RegExp, number][] = [
  [/M4\s*Max/i, 546],
  [/M4\s*Pro/i, 273],
  [/M4/i, 120],
  [/M3\s*Ultra/i, 819],
  [/M3\s*Max/i, 400],
  [/M3\s*Pro/i, 150],
  [/M3/i, 100],
  [/M2\s*Ultra/i, 800],
  [/M2\s*Max/i, 400],
  [/M2\s*Pro/i, 200],
  [/M2/i, 100],
  [/M1\s*Ultra/i, 800],
  [/M1\s*Max/i, 400],
  [/M1\s*Pro/i, 200],
  [/M1/i, 68.25],
];

export function knownGpuBandwidth(name: string): number | undefined {
  return GPU_BANDWIDTH.find(([pattern]) => pattern.test(name))?.[1];
}

export function knownAppleBandwidth(chip: string): number | undefined {
  return APPLE_BANDWIDTH.find(([pattern]) => pattern.test(chip))?.[1];
}
