/**
 * One model on this machine: the memory it needs, where it fits and how fast it decodes. When
 * it does not fit, the next quantization down is tried, then a smaller context.
 */
import type { ModelEstimate, ModelRole, SpeedFigures } from '../../shared/hardware/recommendations';
import type { CatalogModel, Quant } from './catalog/catalog-schema';
import { estimateMemory } from './estimate-memory';
import { estimateFit, type FitResult } from './estimate-fit';
import { estimateDecodeSpeed } from './estimate-speed';
import type { MemoryPools } from './memory-pools';

export const QUANT_LADDER: Quant[] = ['Q4_K_M', 'Q3_K_M', 'Q2_K'];
export const DEFAULT_CONTEXT = { chat: 8192, completion: 4096 } as const;
const SMALLER_CONTEXTS = [4096, 2048];

export type PlannedModel = Omit<ModelEstimate, 'why' | 'installedAs'>;

/** The context a role needs: chat keeps a conversation, completion a window around the cursor. Without a role, the model's widest role. */
export function defaultContext(model: CatalogModel, role?: ModelRole): number {
  const forRole = role ?? (model.roles.includes('chat') ? 'chat' : 'completion');
  return Math.min(model.contextLength, DEFAULT_CONTEXT[forRole]);
}

export function planModel(model: CatalogModel, pools: MemoryPools, role?: ModelRole): PlannedModel {
  const firstContext = defaultContext(model, role);
  const contexts = [firstContext, ...SMALLER_CONTEXTS.filter((context) => context < firstContext)];
  const adjustments: string[] = [];
  let last: { quant: Quant; context: number; fit: FitResult } | undefined;
  outer: for (const context of contexts) {
    for (const quant of QUANT_LADDER) {
      const memory = estimateMemory(model, quant, context);
      const fit = estimateFit(memory, model.layers, pools);
      last = { quant, context, fit };
      if (fit.fit !== 'none') break outer;
    }
  }
  const { quant, context } = last!;
  if (quant !== QUANT_LADDER[0]) adjustments.push(`${QUANT_LADDER[0]} does not fit: ${quant} instead`);
  if (context !== firstContext) adjustments.push(`context cut from ${firstContext} to ${context} tokens to fit`);
  const memory = estimateMemory(model, quant, context);
  const fit = estimateFit(memory, model.layers, pools);
  return {
    id: model.id,
    name: model.name,
    ollamaTag: model.ollamaTag,
    roles: model.roles,
    fim: model.fim !== null,
    parametersB: model.parametersB,
    ...(model.activeParametersB !== undefined ? { activeParametersB: model.activeParametersB } : {}),
    license: model.license,
    ...(model.licenseLimit !== undefined ? { licenseLimit: model.licenseLimit } : {}),
    fit: fit.fit,
    quant,
    contextTokens: context,
    memory,
    availableBytes: fit.availableBytes,
    gpuLayers: fit.gpuLayers,
    totalLayers: model.layers,
    processor: fit.processor,
    speed: fit.fit === 'none' ? null : speedOf(model, memory.weightsBytes, fit, pools),
    adjustments,
    source: model.source,
  };
}

function speedOf(model: CatalogModel, weightsBytes: number, fit: FitResult, pools: MemoryPools): SpeedFigures | null {
  // A mixture of experts reads only its active experts per token.
  const activeShare = model.activeParametersB !== undefined ? model.activeParametersB / model.parametersB : 1;
  const gpuShare = fit.fit === 'full-gpu' ? 1 : fit.fit === 'partial' ? fit.gpuLayers / model.layers : 0;
  const range = estimateDecodeSpeed({
    gpuBytesPerToken: weightsBytes * activeShare * gpuShare,
    cpuBytesPerToken: weightsBytes * activeShare * (1 - gpuShare),
    gpuBandwidthGBps: pools.gpu?.bandwidthGBps ?? null,
    cpuBandwidthGBps: pools.cpuBandwidthGBps,
    unified: pools.gpu?.unified ?? false,
  });
  if (range === null) return null;
  const moe = activeShare < 1 ? ` (mixture of experts: ${model.activeParametersB}B of ${model.parametersB}B parameters active)` : '';
  return { low: range.low, high: range.high, measured: false, basis: range.basis + moe };
}

