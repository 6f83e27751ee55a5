/** The model catalog's schema: `models.json` is checked against it when it is loaded. */
import { Type, type Static } from '@sinclair/typebox';

export const QUANTS = ['F16', 'Q8_0', 'Q5_K_M', 'Q4_K_M', 'Q4_0', 'Q3_K_M', 'Q2_K'] as const;
export type Quant = (typeof QUANTS)[number];

const Positive = Type.Number({ exclusiveMinimum: 0 });
const Count = Type.Integer({ minimum: 1 });

export const CatalogModel = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9.-]+$' }),
    name: Type.String(),
    family: Type.String(),
    parametersB: Positive,
    /** Mixture of experts: the parameters read per token. */
    activeParametersB: Type.Optional(Positive),
    layers: Count,
    hiddenSize: Count,
    attentionHeads: Count,
    kvHeads: Count,
    /** Key head dimension; `valueHeadDim` when values differ (DeepSeek's MLA as llama.cpp caches it). */
    headDim: Count,
    valueHeadDim: Type.Optional(Count),
    contextLength: Count,
    fim: Type.Union([Type.Object({ prefix: Type.String(), suffix: Type.String(), middle: Type.String() }), Type.Null()]),
    roles: Type.Array(Type.Union([Type.Literal('completion'), Type.Literal('chat')]), { minItems: 1 }),
    license: Type.String(),
    licenseLimit: Type.Optional(Type.String()),
    ollamaTag: Type.String({ minLength: 1 }),
    preference: Type.Integer({ minimum: 1, maximum: 10 }),
    fileSizesGB: Type.Partial(Type.Object(Object.fromEntries(QUANTS.map((q) => [q, Positive])) as Record<Quant, typeof Positive>, { additionalProperties: false })),
    source: Type.String({ minLength: 1 }),
    sizesSource: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);
export type CatalogModel = Static<typeof CatalogModel>;

export const CatalogFile = Type.Object({
  version: Type.Literal(1),
  about: Type.String(),
  models: Type.Array(CatalogModel, { minItems: 1 }),
});
export type CatalogFile = Static<typeof CatalogFile>;
