/**
 * The recommendations: every catalog model planned for this machine, the installed ones
 * marked, measured figures put in place of estimates, then the best completion model (it must
 * fill in the middle and keep up with typing), the best chat model, and alternates.
 */
import type { HardwareReport } from '../../shared/hardware/hardware-report';
import type { MeasuredFigures, ModelEstimate, ModelRole, Recommendations } from '../../shared/hardware/recommendations';
import type { CatalogModel } from './catalog/catalog-schema';
import { matchInstalled } from './installed-models';
import { memoryPools } from './memory-pools';
import { fitLabel, fmtGiB as gib } from '../../shared/hardware/format-hardware';
import { planModel, type PlannedModel } from './plan-model';

/** Decode speed (the low end of the range) a role needs to feel usable: ghost text must keep up with typing; chat with reading. */
export const USABLE_TOKENS_PER_SECOND: Record<ModelRole, number> = { completion: 20, chat: 5 };
/** Prompt processing grows with the parameter count: past this size ghost text is slow to start even when decoding keeps up. */
export const COMPLETION_LARGE_MODEL_B = 10;
const ALTERNATES = 3;

export interface RecommendInput {
  hardware: HardwareReport;
  catalog: CatalogModel[];
  ollama: { reachable: boolean; url: string; installed: string[] };
  /** Measured figures of this machine, by model name as benchmarked. */
  measured: MeasuredFigures[];
}

export function recommendModels(input: RecommendInput): Recommendations {
  const pools = memoryPools(input.hardware);
  // Planned per role (a completion needs less context than a chat), and once for the table.
  const planAll = (role?: ModelRole) =>
    input.catalog
      .filter((model) => role === undefined || model.roles.includes(role))
      .map((model) => {
        const planned = planModel(model, pools, role);
        const installedAs = matchInstalled(model.ollamaTag, input.ollama.installed);
        const measured = input.measured.find((figures) => figures.model === model.ollamaTag || figures.model === model.id || (installedAs !== undefined && figures.model === installedAs));
        return withMeasured({ ...planned, ...(installedAs !== undefined ? { installedAs } : {}) }, measured);
      });
  const estimates = planAll();
  const preferences = new Map(input.catalog.map((model) => [model.id, model.preference]));
  const pick = (role: ModelRole) => pickForRole(planAll(role), role, preferences);
  const completion = pick('completion');
  const chat = pick('chat');
  const ranked = [...estimates].sort(compareForTable);
  const notes = [...pools.notes];
  if (!input.ollama.reachable) notes.push(`Ollama is not reachable at ${input.ollama.url}: installed models cannot be matched, and "Pull with Ollama" is unavailable.`);
  if (pools.gpu === undefined) notes.push('No GPU usable for models was found: estimates are for the CPU only.');
  return {
    hardware: input.hardware,
    completion: completion.best,
    chat: chat.best,
    alternates: { completion: completion.alternates, chat: chat.alternates },
    models: ranked.map((estimate) => ({ ...estimate, why: estimate.why || whyLine(estimate, undefined) })),
    ollama: input.ollama,
    notes,
  };
}

type Estimate = PlannedModel & { installedAs?: string; why?: string };

function withMeasured(estimate: Estimate, measured: MeasuredFigures | undefined): Estimate {
  if (measured === undefined) return estimate;
  return {
    ...estimate,
    speed: {
      low: measured.tokensPerSecond,
      high: measured.tokensPerSecond,
      ttftMs: measured.ttftMs,
      measured: true,
      basis: `measured on this machine: ${measured.scenario} benchmark of ${measured.model}, ${measured.requests} requests, ${measured.measuredAt}`,
    },
  };
}

function suits(estimate: Estimate, role: ModelRole): boolean {
  return estimate.roles.includes(role) && (role !== 'completion' || estimate.fim) && estimate.fit !== 'none' && estimate.speed !== null;
}

function usable(estimate: Estimate, role: ModelRole): boolean {
  return estimate.speed !== null && estimate.speed.low >= USABLE_TOKENS_PER_SECOND[role];
}

/**
 * Higher is better: the catalog's preference, installed models first; license limits, partial
 * offload and (for completion) a large model count against.
 */
function score(estimate: Estimate, preference: number, role: ModelRole): number {
  return (
    preference +
    (estimate.installedAs !== undefined ? 3 : 0) -
    (/non-commercial/i.test(estimate.licenseLimit ?? '') ? 2 : 0) -
    (estimate.fit === 'partial' ? 1 : 0) -
    (role === 'completion' && estimate.parametersB > COMPLETION_LARGE_MODEL_B ? 3 : 0)
  );
}

function pickForRole(estimates: Estimate[], role: ModelRole, preferences: Map<string, number>): { best: ModelEstimate | null; alternates: ModelEstimate[] } {
  const candidates = estimates.filter((estimate) => suits(estimate, role));
  const byScore = (a: Estimate, b: Estimate) => score(b, preferences.get(b.id) ?? 0, role) - score(a, preferences.get(a.id) ?? 0, role) || b.speed!.high - a.speed!.high;
  const good = candidates.filter((estimate) => usable(estimate, role)).sort(byScore);
  const slow = candidates.filter((estimate) => !usable(estimate, role)).sort((a, b) => b.speed!.high - a.speed!.high);
  const ordered = [...good, ...slow];
  const best = ordered[0];
  if (best === undefined) return { best: null, alternates: [] };
  return {
    best: { ...best, why: whyLine(best, role, good.length === 0, true) },
    alternates: ordered.slice(1, 1 + ALTERNATES).map((estimate) => ({ ...estimate, why: whyLine(estimate, role, !usable(estimate, role)) })),
  };
}

const FIT_ORDER = { 'full-gpu': 0, partial: 1, cpu: 2, none: 3 } as const;
function compareForTable(a: Estimate, b: Estimate): number {
  return FIT_ORDER[a.fit] - FIT_ORDER[b.fit] || (b.speed?.high ?? 0) - (a.speed?.high ?? 0);
}

function whyLine(estimate: Estimate, role: ModelRole | undefined, tooSlow = false, best = false): string {
  const parts: string[] = [];
  if (best && !tooSlow) parts.push(`the strongest ${role} model here that reaches ${USABLE_TOKENS_PER_SECOND[role!]} tok/s`);
  const where = estimate.fit === 'partial' ? `${estimate.gpuLayers}/${estimate.totalLayers} layers on the GPU (${estimate.processor})` : fitLabel(estimate.fit);
  parts.push(estimate.fit === 'none' ? `needs ${gib(estimate.memory.totalBytes)}, only ${gib(estimate.availableBytes)} free even at ${estimate.quant}` : `${where}: ${gib(estimate.memory.totalBytes)} of ${gib(estimate.availableBytes)}`);
  if (estimate.speed) {
    const speed = estimate.speed.measured ? `${estimate.speed.low} tok/s measured` : `${estimate.speed.low}–${estimate.speed.high} tok/s`;
    parts.push(role && tooSlow ? `${speed}, below the ${USABLE_TOKENS_PER_SECOND[role]} tok/s ${role} needs: the fastest that fits` : speed);
  }
  if (role === 'completion') parts.push('fills in the middle');
  if (estimate.activeParametersB !== undefined) parts.push(`mixture of experts (${estimate.activeParametersB}B active)`);
  if (estimate.installedAs !== undefined) parts.push('already installed');
  if (estimate.licenseLimit !== undefined && /non-commercial/i.test(estimate.licenseLimit)) parts.push('non-commercial license');
  if (estimate.adjustments.length > 0) parts.push(estimate.adjustments.join(', '));
  return parts.join('; ');
}
