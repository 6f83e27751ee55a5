/**
 * What a call costs. Prices are USD per million tokens; money is counted in integer
 * nano-dollars (1e-9 USD) so that sums never drift the way floating-point dollars do.
 *
 * Order of lookup: a local provider is always $0; then the provider's own `prices` from the
 * config; then the defaults below (exact name, else the longest default that starts the
 * model's name, so `gpt-4o-2024-08-06` is priced as `gpt-4o`); then the provider's `"*"`
 * price; then UNKNOWN_MODEL_PRICE, deliberately high so an unknown cloud model is never free.
 */
import type { ModelPrice, ProviderSettings } from '../core/provider';

/** List prices of well-known cloud models (USD per million tokens) as published by their vendors; override them in the config. */
export const DEFAULT_PRICES: Readonly<Record<string, ModelPrice>> = {
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-5': { input: 1.25, output: 10 },
  'gpt-5-mini': { input: 0.25, output: 2 },
  'gpt-5-nano': { input: 0.05, output: 0.4 },
  o1: { input: 15, output: 60 },
  o3: { input: 2, output: 8 },
  'o3-mini': { input: 1.1, output: 4.4 },
  'o4-mini': { input: 1.1, output: 4.4 },
  'gpt-3.5-turbo': { input: 0.5, output: 1.5 },
  'claude-opus-4': { input: 15, output: 75 },
  'claude-sonnet-4': { input: 3, output: 15 },
  'claude-haiku-4-5': { input: 1, output: 5 },
  'claude-3-7-sonnet': { input: 3, output: 15 },
  'claude-3-5-sonnet': { input: 3, output: 15 },
  'claude-3-5-haiku': { input: 0.8, output: 4 },
  'claude-3-opus': { input: 15, output: 75 },
  'claude-3-haiku': { input: 0.25, output: 1.25 },
  'gemini-2.5-pro': { input: 1.25, output: 10 },
  'gemini-2.5-flash': { input: 0.3, output: 2.5 },
  'gemini-2.0-flash': { input: 0.1, output: 0.4 },
  'mistral-large': { input: 2, output: 6 },
  codestral: { input: 0.3, output: 0.9 },
  'deepseek-chat': { input: 0.27, output: 1.1 },
  'deepseek-reasoner': { input: 0.55, output: 2.19 },
};

/** For a cloud model with no known price: high enough that a money budget notices it. */
export const UNKNOWN_MODEL_PRICE: ModelPrice = { input: 15, output: 75 };

export const FREE: ModelPrice = { input: 0, output: 0 };

const defaultNamesLongestFirst = Object.keys(DEFAULT_PRICES).sort((a, b) => b.length - a.length);

export interface PriceLookup {
  price: ModelPrice;
  /** Where the price came from, for the budgets report. */
  source: 'local' | 'config' | 'default' | 'unknown';
}

export function priceFor(provider: ProviderSettings, model: string): PriceLookup {
  if (provider.local) return { price: FREE, source: 'local' };
  const configured = provider.prices[model];
  if (configured !== undefined) return { price: configured, source: 'config' };
  const bare = model.includes('/') ? model.slice(model.lastIndexOf('/') + 1) : model;
  const exact = DEFAULT_PRICES[bare];
  if (exact !== undefined) return { price: exact, source: 'default' };
  for (const name of defaultNamesLongestFirst) {
    if (bare.startsWith(name) && /^[-.:@]/.test(bare.slice(name.length))) return { price: DEFAULT_PRICES[name]!, source: 'default' };
  }
  const wildcard = provider.prices['*'];
  if (wildcard !== undefined) return { price: wildcard, source: 'config' };
  return { price: UNKNOWN_MODEL_PRICE, source: 'unknown' };
}

/** Nano-dollars for a number of tokens: tokens × USD per million × 1000. */
export function costNanoUsd(price: ModelPrice, promptTokens: number, completionTokens: number): number {
  return Math.round(promptTokens * price.input * 1000 + completionTokens * price.output * 1000);
}

export function nanoToUsd(nano: number): number {
  return nano / 1e9;
}

export function usdToNano(usd: number): number {
  return Math.round(usd * 1e9);
}
