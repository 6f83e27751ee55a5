/**
 * The `[hardware]` section of the config file: overrides for any detected figure, for the
 * machines where detection cannot see the truth (a GPU behind a VM, Windows' 4 GB WMI cap).
 *
 *   [hardware]
 *   gpu_name = "NVIDIA GeForce RTX 3090"
 *   gpu_vram_gb = 24            # total VRAM of the GPU used for models
 *   gpu_free_vram_gb = 22
 *   gpu_bandwidth_gbps = 936
 *   ram_gb = 64
 *   ram_available_gb = 48
 *   memory_bandwidth_gbps = 83  # what the CPU streams from RAM
 *   cpu_cores = 8
 *   avx2 = true
 *   apple_gpu_fraction = 0.75   # share of unified memory the GPU may use (Apple Silicon)
 *   ollama_url = "http://127.0.0.1:11434"
 */
import { Type, type Static } from '@sinclair/typebox';
import { ConfigError } from '../core/config-error';
import { schemaProblems } from '../core/config-validate';

const Positive = Type.Number({ exclusiveMinimum: 0 });

export const HardwareSection = Type.Object(
  {
    gpu_name: Type.Optional(Type.String({ minLength: 1 })),
    gpu_vram_gb: Type.Optional(Positive),
    gpu_free_vram_gb: Type.Optional(Type.Number({ minimum: 0 })),
    gpu_bandwidth_gbps: Type.Optional(Positive),
    ram_gb: Type.Optional(Positive),
    ram_available_gb: Type.Optional(Positive),
    memory_bandwidth_gbps: Type.Optional(Positive),
    cpu_cores: Type.Optional(Type.Integer({ minimum: 1 })),
    avx2: Type.Optional(Type.Boolean()),
    apple_gpu_fraction: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
    ollama_url: Type.Optional(Type.String({ pattern: '^https?://' })),
  },
  { additionalProperties: false },
);
export type HardwareSection = Static<typeof HardwareSection>;

/** The default share of unified memory macOS lets the GPU wire (its recommended working set is about three quarters of RAM). */
export const DEFAULT_APPLE_GPU_FRACTION = 0.75;
export const DEFAULT_OLLAMA_URL = 'http://127.0.0.1:11434';

/** Validates `[hardware]`; an invalid override is a ConfigError naming the key. */
export function resolveHardwareSettings(value: unknown, sourcePath?: string): HardwareSection {
  const problems = schemaProblems(HardwareSection, value ?? {}, 'hardware');
  if (problems.length > 0) throw new ConfigError(problems, sourcePath);
  return { ...((value ?? {}) as HardwareSection) };
}
