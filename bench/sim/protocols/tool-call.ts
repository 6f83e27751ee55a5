import { generateText } from '../deterministic-text';
import { isObject } from './input';
import type { ToolCallOutput, ToolChoice } from './types';

/**
 * When the simulator answers with a tool call instead of text: the request offers tools and
 * either forces one (or any), or lets the model choose (`auto`) and the last user message
 * mentions the weather, the canonical tool-calling example.
 */

export type ToolForcing = { mode: 'auto' } | { mode: 'none' } | { mode: 'any' } | { mode: 'named'; name: string };

export function decideTool(tools: readonly ToolChoice[], forcing: ToolForcing, lastUserText: string): ToolChoice | undefined {
  if (tools.length === 0 || forcing.mode === 'none') return undefined;
  if (forcing.mode === 'named') return tools.find((tool) => tool.name === forcing.name) ?? { name: forcing.name, schema: undefined };
  if (forcing.mode === 'auto' && !/\bweather\b/i.test(lastUserText)) return undefined;
  return tools.find((tool) => /weather/i.test(tool.name)) ?? tools[0];
}

/** Deterministic arguments that satisfy the tool's JSON schema well enough for a client to parse. */
export function buildToolCall(tool: ToolChoice, id: string, input: string, seed: number): ToolCallOutput {
  const schema = isObject(tool.schema) ? tool.schema : {};
  const properties = isObject(schema.properties) ? schema.properties : {};
  const names = Object.keys(properties);
  const words = generateText(input + '\u0000' + tool.name, seed, Math.max(names.length, 1)).pieces.map((piece) => piece.trim());
  const args: Record<string, unknown> = {};
  names.forEach((name, index) => {
    args[name] = valueFor(name, properties[name], words[index]!);
  });
  const json = JSON.stringify(args);
  return { id, name: tool.name, arguments: json, fragments: splitFragments(json) };
}

function valueFor(name: string, schema: unknown, word: string): unknown {
  const spec = isObject(schema) ? schema : {};
  if (Array.isArray(spec.enum) && spec.enum.length > 0) return spec.enum[0];
  switch (spec.type) {
    case 'integer':
    case 'number':
      return word.length * 7;
    case 'boolean':
      return word.length % 2 === 0;
    case 'array':
      return [word];
    case 'object':
      return {};
    default:
      return /location|city|place/i.test(name) ? 'Paris, France' : word;
  }
}

/** Cuts a JSON string into pieces of up to 8 characters, as a model streams its arguments. */
export function splitFragments(json: string): string[] {
  const fragments: string[] = [];
  for (let i = 0; i < json.length; i += 8) fragments.push(json.slice(i, i + 8));
  return fragments;
}
